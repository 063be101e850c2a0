# t/451-community-deleted.t — a deleted community takes its posts along, and with them
# their comments, likes and read-model rows: somoim-board-events, on
# v1.event.community-deleted, turns every live post of the community into a tombstone
# with its own v1.event.post-deleted (carrying the deletion's request id), and the
# comment, like and read-model daemons do what they do for one deleted post. Posts of
# other communities are untouched, and the deleted community takes no new post.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;
use Somoim::Board qw(board_sql query_sql get_post);

my $bc = comment_community();
my $cid = $bc->{community}{id};
my $owner = $bc->{owner};
my $m = add_member($cid, 'member', $owner->{access_token});
my @pids = map { make_post($cid, $_ % 2 ? $owner : $m, title => "사라질 글 $_") } 1 .. 3;
my $gone = make_post($cid, $owner, title => '먼저 지운 글');
comment_delete_post($gone, $cid, $owner);

my $keep = comment_community();
my $kcid = $keep->{community}{id};
my $kpid = make_post($kcid, $keep->{owner}, title => '남을 글');

for my $p (@pids, $kpid) {
    my $author = $p == $kpid ? $keep->{owner} : $m;
    res_is(add_comment($p, $author->{access_token}, "댓글 $_"), 201, "comment $_ on post $p") for 1 .. 2;
    res_is(like_put(post => $p, $author->{access_token}), 200, "a like on post $p");
}
my $in = join ',', @pids;

my $r = api(DELETE => "/api/v1/communities/$cid", undef, token => $owner->{access_token});
is($r->{status}, 204, 'the owner deletes the community') or diag(dump_res($r));
my $rid = $r->{headers}{'x-request-id'} // '';
like($rid, qr/^[0-9a-f]{32}$/, "the gateway named the request ($rid)");

ok(wait_until(30, sub {
    my ($c) = comment_sql("SELECT COUNT(*) FROM comments WHERE post_id IN ($in)");
    my ($l) = like_sql("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id IN ($in)");
    my ($q) = query_sql("SELECT COUNT(*) FROM posts_view WHERE id IN ($in) AND deleted = 0");
    return $c->[0] == 0 && $l->[0] == 0 && $q->[0] == 0;
}), "the posts' comments and likes are gone, and the read model's rows are tombstones");

my @rows = board_sql("SELECT id, deleted, version FROM posts WHERE community_id = $cid ORDER BY id");
is_deeply([map { [$_->[0], $_->[1], $_->[2]] } @rows],
    [(map { [$_, 1, 2] } @pids), [$gone, 1, 2]],
    'the board: every post of the community is a tombstone, each one version on (the one deleted before, untouched)');
for my $p (@pids) {
    my @ev = outbox_events('board', 'v1.event.post-deleted', $p);
    is(scalar @ev, 1, "post $p: one v1.event.post-deleted");
    is_deeply($ev[0] && $ev[0]{data}, { id => $p, community_id => $cid, author_id =>
        ($p == $pids[1] ? $m : $owner)->{user}{id}, version => 2 }, '... with its ids and version 2');
}
my ($traced) = board_sql("SELECT COUNT(*) FROM outbox WHERE topic = 'v1.event.post-deleted'"
    . " AND msg_key IN ('" . join("','", @pids) . "') AND request_id = '$rid'");
is($traced->[0], 3, "... each traced to the deletion's request ($rid)");
is(scalar outbox_events('board', 'v1.event.post-deleted', $gone), 1,
    'the post deleted before has its one post-deleted, not a second');

for my $p (@pids) {
    is(get_post($p, $owner->{access_token})->{status}, 404, "GET /posts/$p: 404");
}
my ($row) = comment_sql("SELECT COUNT(*) FROM posts WHERE id IN ($in) AND deleted = 1 AND comment_count = 0");
is($row->[0], 3, 'comment copies: tombstones with comment_count 0');
($row) = like_sql("SELECT COUNT(*) FROM targets WHERE target_type = 'post' AND target_id IN ($in)"
    . ' AND deleted = 1 AND like_count = 0');
is($row->[0], 3, 'like copies: tombstones with like_count 0');

error_is(api(POST => "/api/v1/communities/$cid/posts", { title => '늦은 글', body => '본문' },
    token => $owner->{access_token}), 404, 'NOT_FOUND', 'a new post in the deleted community: 404');

# ---- the other community is untouched ----
is(get_post($kpid, $keep->{owner}{access_token})->{status}, 200, 'the other community\'s post is there');
is(scalar @{ comments_of($kpid, $keep->{owner}{access_token}) || [] }, 2, '... with its 2 comments');
($row) = like_sql("SELECT like_count FROM targets WHERE target_type = 'post' AND target_id = $kpid");
is($row->[0], 1, '... and its like');

done_testing;
