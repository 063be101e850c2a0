# t/450-post-deleted.t — a deleted post takes its comments and likes along: once
# v1.event.post-deleted reaches the comment and like services, the post's comment and like
# rows are gone, its counters are 0, its comment list and likes are 404, and a late
# post-created / post-updated (older or newer version, as a redelivery or another topic's
# order may bring) does not bring it back.  Other posts are untouched.
use strict;
use warnings;
use utf8;
use JSON::PP ();
use Test::More;
use Somoim::Test;
use Somoim::Comment;
use Somoim::Kafka qw(kafka_tool);

my $bc = comment_community();
my $cid = $bc->{community}{id};
my $owner = $bc->{owner};
my $m = add_member($cid, 'member', $owner->{access_token});
my $pid = make_post($cid, $owner, title => '지울 글');
my $other = make_post($cid, $owner, title => '남을 글');

for my $p ($pid, $other) {
    res_is(add_comment($p, $m->{access_token}, "댓글 $_"), 201, "comment $_ on post $p") for 1 .. 3;
    res_is(like_put(post => $p, $_->{access_token}), 200, "a like on post $p") for $owner, $m;
}

comment_delete_post($pid, $cid, $owner);
ok(wait_until(30, sub {
    my ($c) = comment_sql("SELECT COUNT(*) FROM comments WHERE post_id = $pid");
    my ($l) = like_sql("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id = $pid");
    return $c->[0] == 0 && $l->[0] == 0;
}), "the deleted post's comment and like rows are gone");
my ($row) = comment_sql("SELECT comment_count, deleted FROM posts WHERE id = $pid");
is_deeply($row, [0, 1], 'comment copy: a tombstone with comment_count 0');
($row) = like_sql("SELECT like_count, deleted FROM targets WHERE target_type = 'post' AND target_id = $pid");
is_deeply($row, [0, 1], 'like copy: a tombstone with like_count 0');

error_is(api(GET => "/api/v1/posts/$pid/comments", undef, token => $m->{access_token}), 404,
    'NOT_FOUND', 'its comment list: 404');
error_is(add_comment($pid, $m->{access_token}, '늦은 댓글'), 404, 'NOT_FOUND', 'commenting: 404');
error_is(like_put(post => $pid, $m->{access_token}), 404, 'NOT_FOUND', 'liking: 404');
error_is(like_delete(post => $pid, $owner->{access_token}), 404, 'NOT_FOUND', 'unliking: 404');

# A late post-updated (a newer version than any) and a redelivered post-created: the post
# stays deleted.  Sent straight to Kafka, as a delayed board event would arrive.
my $json = JSON::PP->new->utf8->canonical;
my @ids;
for my $ev (['post-updated', 9], ['post-created', 1]) {
    my ($type, $version) = @$ev;
    my ($rc, $out) = kafka_tool('produce', "v1.event.$type", '--type', $type, '--key', $pid,
        '--source', 'board', '--data', $json->encode({ id => $pid + 0, community_id => $cid + 0,
            author_id => $owner->{user}{id} + 0, title => '되살아난 글', body => 'x',
            created_at => '2026-01-01T00:00:00Z', updated_at => '2026-01-01T00:00:00Z',
            version => $version }));
    is($rc, 0, "a late $type (version $version) is sent");
    push @ids, $out =~ /([0-9a-f-]{36})/g;
}
is(scalar @ids, 2, 'their event ids');
my $in = join ',', map { "'$_'" } @ids;
ok(wait_until(30, sub {
    my ($c) = comment_sql("SELECT COUNT(*) FROM processed_events WHERE event_id IN ($in)");
    my ($l) = like_sql("SELECT COUNT(*) FROM processed_events WHERE event_id IN ($in)");
    return $c->[0] == 2 && $l->[0] == 2;
}), 'both daemons have processed them');
($row) = comment_sql("SELECT deleted, title FROM posts WHERE id = $pid");
is_deeply($row, [1, '지울 글'], 'comment copy: still deleted, title unchanged');
($row) = like_sql("SELECT deleted FROM targets WHERE target_type = 'post' AND target_id = $pid");
is($row->[0], 1, 'like copy: still deleted');
error_is(add_comment($pid, $m->{access_token}, '부활?'), 404, 'NOT_FOUND', 'commenting: still 404');

# ---- the other post is untouched ----
is(scalar @{ comments_of($other, $m->{access_token}) }, 3, 'the other post keeps its 3 comments');
my $r = like_put(post => $other, $m->{access_token});
is($r->{json}{like_count}, 2, 'the other post keeps its 2 likes');

done_testing;
