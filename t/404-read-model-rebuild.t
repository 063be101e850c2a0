#!/usr/bin/perl
# The read model's rebuild (`somoim-board-projector rebuild`, which replays the source tables
# of the board, comment and like schemas into posts_view) gives exactly the rows the live
# projection built from events: posts edited, liked, commented, uncommented, deleted, by an
# author who renamed, in a public and a private community.  The rebuild starts from scratch
# (the rows are damaged and removed first) and the live projection carries on after it.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Board;

my %u = map { $_ => signup(name => $_) } qw(owner alice bob);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;
my $pub = board_community($tok{owner}, $id{owner}, name => "재구성 $$")->{id};
my $priv = board_community($tok{owner}, $id{owner}, name => "재구성 비공개 $$",
    is_private => JSON::PP::true)->{id};
for my $c ($pub, $priv) { board_join($c, $tok{$_}, $id{$_}) for qw(alice bob) }

sub post_ok {
    my ($cid, $who, $title) = @_;
    my $r = create_post($cid, $tok{$who}, title => $title, body => "$title 본문");
    $r->{status} == 201 or BAIL_OUT("cannot post:\n" . dump_res($r));
    return $r->{json}{id};
}
my %p = (
    edited    => post_ok($pub, 'alice', '고칠 글'),
    liked     => post_ok($pub, 'owner', '인기 글'),
    deleted   => post_ok($pub, 'bob', '지울 글'),
    renamed   => post_ok($pub, 'bob', '이름 바뀔 글'),
    private   => post_ok($priv, 'alice', '비밀 글'),
);
my @ids = sort { $a <=> $b } values %p;

# Wait until the like and comment services know every post.
ok(wait_until(30, sub {
    my $in = join ',', @ids;
    (db_sql('like', "SELECT COUNT(*) FROM targets WHERE target_type = 'post' AND target_id IN ($in)"))[0][0] == @ids
        && (db_sql('comment', "SELECT COUNT(*) FROM posts WHERE id IN ($in)"))[0][0] == @ids;
}), 'the like and comment services know the posts');

res_is(patch_post($p{edited}, $tok{alice}, { title => '고친 글', body => '새 본문' }), 200, 'an edit');
res_is(patch_post($p{edited}, $tok{alice}, { body => '또 고친 본문' }), 200, 'a second edit');
for my $who (qw(owner alice bob)) {
    res_is(api(PUT => "/api/v1/likes/post/$p{liked}", undef, token => $tok{$who}), 200, "$who likes");
}
res_is(api(DELETE => "/api/v1/likes/post/$p{liked}", undef, token => $tok{bob}), 200, 'bob unlikes');
res_is(api(PUT => "/api/v1/likes/post/$p{private}", undef, token => $tok{bob}), 200, 'bob likes the private post');
my @comments;
for my $who (qw(owner alice bob alice)) {
    my $r = api(POST => "/api/v1/posts/$p{liked}/comments", { body => "$who 댓글" }, token => $tok{$who});
    res_is($r, 201, "$who comments");
    push @comments, $r->{json}{id};
}
res_is(api(DELETE => "/api/v1/comments/$comments[1]", undef, token => $tok{alice}), 204, 'alice deletes a comment');
res_is(api(POST => "/api/v1/posts/$p{deleted}/comments", { body => '곧 사라질 댓글' }, token => $tok{owner}),
    201, 'a comment on the post to be deleted');
res_is(delete_post($p{deleted}, $tok{bob}), 204, 'a post is deleted');
res_is(api(PATCH => '/api/v1/users/me', { name => 'bob2', profile_image => 'https://example.com/b.png' },
    token => $tok{bob}), 200, 'bob renames and sets a picture');

# The live projection settles.
my $settled = wait_until(30, sub {
    my $l = get_post($p{liked}, $tok{owner})->{json} // {};
    my $e = get_post($p{edited}, $tok{owner})->{json} // {};
    my $r = get_post($p{renamed}, $tok{owner})->{json} // {};
    my $v = get_post($p{private}, $tok{owner})->{json} // {};
    ($l->{like_count} // -1) == 2 && ($l->{comment_count} // -1) == 3
        && ($e->{body} // '') eq '또 고친 본문' && ($r->{author}{name} // '') eq 'bob2'
        && ($v->{like_count} // -1) == 1
        && get_post($p{deleted}, $tok{owner})->{status} == 404;
});
ok($settled, 'the live projection settles (likes 2, comments 3, edits, rename, deletion)');

# Every real row of the read model (placeholders of version 0 are not posts).
sub all_rows {
    my %rows;
    for my $r (query_sql('SELECT id, community_id, author_id, author_name,'
        . ' COALESCE(author_image, "NULL"), title, MD5(body), created_at, updated_at, version,'
        . ' deleted, like_count, like_seq, comment_count, comment_seq, MD5(doc) FROM posts_view'
        . ' WHERE version > 0')) {
        $rows{ $r->[0] } = join "\t", @$r;
    }
    return \%rows;
}
my $live = all_rows();
ok(scalar(grep { exists $live->{$_} } @ids) == @ids, 'the live rows hold all five posts');
like($live->{ $p{deleted} }, qr/\t1\t0\t0\t0\t0\t[0-9a-f]{32}\z/, 'the deleted post is a tombstone without counts');

# Damage the read model, then rebuild it from the source tables.
query_sql("UPDATE posts_view SET like_count = 999, author_name = 'x', title = 'x', doc = '{}' WHERE id = $p{liked}");
query_sql("DELETE FROM posts_view WHERE id IN ($p{edited}, $p{deleted})");
my ($rc, $out) = rebuild_read_model();
is($rc, 0, 'rebuild exits 0') or diag($out);
like($out, qr/^rebuilt \d+ posts$/m, 'rebuild says how many posts');
my $rebuilt = all_rows();
is_deeply($rebuilt, $live, 'the rebuilt rows equal the live projection, row for row, column for column');
is_deeply(get_post($p{liked}, $tok{owner})->{json}{like_count}, 2, 'reads see the rebuilt rows');

# The live projection goes on from the rebuilt rows.
res_is(api(PUT => "/api/v1/likes/post/$p{liked}", undef, token => $tok{bob}), 200, 'bob likes again');
res_is(patch_post($p{edited}, $tok{alice}, { title => '재구성 후' }), 200, 'an edit after the rebuild');
ok(wait_until(30, sub {
    (get_post($p{liked}, $tok{owner})->{json}{like_count} // 0) == 3
        && (get_post($p{edited}, $tok{owner})->{json}{title} // '') eq '재구성 후';
}), 'events after the rebuild apply (like_count 3, the new title)');
$live = all_rows();
($rc, $out) = rebuild_read_model();
is($rc, 0, 'a second rebuild exits 0') or diag($out);
is_deeply(all_rows(), $live, 'and again equals the live projection');

done_testing;
