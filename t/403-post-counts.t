#!/usr/bin/perl
# like_count and comment_count in the READ MODEL (GET /posts/{id} from somoim-board-query)
# settle on the exact numbers, whatever the concurrency, through the real endpoints: 25
# members liking at once plus a repeated PUT each → 25; 10 unlikes → 15; 50 comments at
# once → 50.  Then deleting the post takes it, its comments and its likes out of every view.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Board;

my $N = 25;
my $owner = signup(name => '방장');
my $cid = board_community($owner->{access_token}, $owner->{user}{id}, name => "세기 $$", max_members => 100)->{id};
my @m = map { signup(name => "회원$_") } 1 .. $N;
my @res = parallel($N, sub { join_community($cid, $m[$_[0]]{access_token})->{status} });
is_deeply(\@res, [ (201) x $N ], "$N members join");

my $post = create_post($cid, $owner->{access_token}, title => '세어 봐요', body => '좋아요와 댓글');
res_is($post, 201, 'the owner posts') or BAIL_OUT('no post');
my $pid = $post->{json}{id};
my $tok = $owner->{access_token};

# The comment and like services learn the post (and the members) from events.
sub sql_in {
    my ($schema, $q) = @_;
    my @r = db_sql($schema, $q);
    return @r ? $r[0][0] : undef;
}
ok(wait_until(30, sub {
    (sql_in('like', "SELECT COUNT(*) FROM targets WHERE target_type = 'post' AND target_id = $pid") // 0) == 1
        && (sql_in('comment', "SELECT COUNT(*) FROM posts WHERE id = $pid") // 0) == 1
        && (sql_in('comment', "SELECT COUNT(*) FROM copy_members WHERE community_id = $cid"
            . ' AND role IS NOT NULL') // 0) == $N + 1;
}), 'the like and comment services know the post and the members');

sub counts {
    my $r = get_post($pid, $tok);
    return $r->{status} == 200 ? "$r->{json}{like_count}/$r->{json}{comment_count}" : "status $r->{status}";
}
sub settles {
    my ($want, $name) = @_;
    my $got;
    wait_until(30, sub { ($got = counts()) eq $want });
    is($got, $want, $name);
}

# 25 likes at once, each PUT twice (50 concurrent requests).
@res = parallel(2 * $N, sub {
    my $r = api(PUT => "/api/v1/likes/post/$pid", undef, token => $m[$_[0] % $N]{access_token});
    return $r->{status};
});
is_deeply(\@res, [ (200) x (2 * $N) ], '50 PUTs (25 members, twice each): all 200');
settles("$N/0", 'the read model settles on like_count 25, comment_count 0');

# 10 unlikes at once.
@res = parallel(10, sub {
    api(DELETE => "/api/v1/likes/post/$pid", undef, token => $m[$_[0]]{access_token})->{status};
});
is_deeply(\@res, [ (200) x 10 ], '10 DELETEs: all 200');
settles('15/0', 'like_count 15 after 10 unlikes');

# 50 comments at once (two per member).
@res = parallel(2 * $N, sub {
    my $i = $_[0];
    api(POST => "/api/v1/posts/$pid/comments", { body => "댓글 $i" },
        token => $m[$i % $N]{access_token})->{status};
});
is_deeply(\@res, [ (201) x (2 * $N) ], '50 concurrent comments: all 201');
settles('15/50', 'comment_count 50 (and like_count still 15)');
my ($item) = grep { $_->{id} == $pid } @{ list_posts($cid, $tok, 'limit=100')->{json}{items} || [] };
is("$item->{like_count}/$item->{comment_count}", '15/50', 'the list carries the same counts');
sleep 1;
is(counts(), '15/50', 'and they stay there');

# Deleting the post removes it, its comments and its likes from every view.
res_is(delete_post($pid, $tok), 204, 'the owner deletes the post');
ok(wait_until(30, sub { get_post($pid, $tok)->{status} == 404 }), 'the post is 404 in the read model');
ok(wait_until(30, sub { !grep { $_->{id} == $pid } @{ list_posts($cid, $tok, 'limit=100')->{json}{items} || [] } }),
    'and gone from the list');
ok(wait_until(30, sub { api(GET => "/api/v1/posts/$pid/comments", undef, token => $tok)->{status} == 404 }),
    'its comments are gone (404)');
ok(wait_until(30, sub { api(PUT => "/api/v1/likes/post/$pid", undef, token => $m[0]{access_token})->{status} == 404 }),
    'it can no longer be liked (404)');
is_deeply([ map { @$_ } query_sql("SELECT deleted, like_count, comment_count FROM posts_view WHERE id = $pid") ],
    [1, 0, 0], 'the read model keeps a tombstone without counts');

done_testing;
