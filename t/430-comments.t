# t/430-comments.t — comments on a post: write, list oldest first with cursors, delete; the
# author shown from the comment service's copy of profiles (current name at read time); the
# v1.event.comment-created / -deleted events in the comment schema's outbox carry what a
# notification needs and the post's exact comment_count.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;

my $bc = comment_community();
my $cid = $bc->{community}{id};
my $owner = $bc->{owner};
my $m = add_member($cid, 'member', $owner->{access_token}, name => '댓글러');
my $pid = make_post($cid, $owner, title => '주말 산행 공지');

# ---- write ----
my $long = '가' x 150;                                # excerpt: the first 100 characters
my $r = add_comment($pid, $m->{access_token}, $long);
res_is($r, 201, 'a member comments: 201');
my $c1 = $r->{json};
ok($c1->{id} > 0, 'comment id is a positive number');
is($c1->{post_id}, $pid, 'post_id');
is($c1->{body}, $long, 'body as sent');
is_deeply([sort keys %{ $c1->{author} }], [qw(id name profile_image)], 'author {id, name, profile_image}');
is($c1->{author}{id}, $m->{user}{id}, 'author id is the caller');
ok(is_rfc3339_utc($c1->{created_at}), 'created_at is RFC 3339 UTC');

my @ids = ($c1->{id});
for my $i (2 .. 5) {
    $r = add_comment($pid, $i % 2 ? $m->{access_token} : $owner->{access_token}, "댓글 $i");
    res_is($r, 201, "comment $i: 201");
    push @ids, $r->{json}{id};
}

# ---- list: oldest first, pages of 2 ----
$r = api(GET => "/api/v1/posts/$pid/comments?limit=2", undef, token => $m->{access_token});
res_is($r, 200, 'list: 200');
is(scalar @{ $r->{json}{items} }, 2, 'a page of 2');
ok(defined $r->{json}{next_cursor}, 'next_cursor when more follow');
my $all = comments_of($pid, $m->{access_token}, 2);
is_deeply([map { $_->{id} } @$all], \@ids, 'following the cursors: every comment once, oldest first');
is($all->[0]{author}{name}, '댓글러', "author's name from the profile copy");
$r = api(GET => "/api/v1/posts/$pid/comments?limit=100", undef, token => $m->{access_token});
ok(!defined $r->{json}{next_cursor}, 'next_cursor null on the last page');
error_is(api(GET => "/api/v1/posts/$pid/comments?cursor=bogus", undef,
    token => $m->{access_token}), 400, 'VALIDATION_FAILED', 'a bad cursor: 400');

# ---- a rename reaches old comments ----
$r = api(PATCH => '/api/v1/users/me', { name => '새이름' }, token => $m->{access_token});
res_is($r, 200, 'the commenter renames');
ok(wait_until(30, sub {
    my $l = comments_of($pid, $m->{access_token});
    return $l && $l->[0]{author}{name} eq '새이름';
}), 'the old comment shows the new name');

# ---- the events ----
my @ev;
ok(wait_until(30, sub { @ev = outbox_events('comment', 'v1.event.comment-created', $pid); @ev == 5 }),
    '5 comment-created events in the outbox, key = post id');
my $d = $ev[0]{data};
is($d->{id}, $c1->{id}, 'event: comment id');
is($d->{post_id}, $pid, 'event: post_id');
is($d->{post_title}, '주말 산행 공지', 'event: post_title');
is($d->{post_author_id}, $owner->{user}{id}, 'event: post_author_id');
is($d->{community_id}, $cid, 'event: community_id');
is($d->{author_id}, $m->{user}{id}, 'event: author_id (the commenter)');
is($d->{author_name}, '댓글러', 'event: author_name');
is($d->{excerpt}, '가' x 100, 'event: excerpt = the first 100 characters (cut on a character)');
is($d->{body}, $long, 'event: body');
ok(is_rfc3339_utc($d->{created_at}), 'event: created_at');
is_deeply([map { $_->{data}{comment_count} } @ev], [1 .. 5], 'event: comment_count 1..5');
is_deeply([map { $_->{data}{seq} } @ev], [1 .. 5], 'event: seq 1..5');
is($ev[0]{type}, 'comment-created', 'envelope type');

# The excerpt never splits a character: 4-byte emoji and 1-byte letters mixed.
my $mixed = "a\x{1F600}" x 60;                      # 120 characters
res_is(add_comment($pid, $m->{access_token}, $mixed), 201, 'a comment of emoji and letters');
ok(wait_until(30, sub { @ev = outbox_events('comment', 'v1.event.comment-created', $pid); @ev == 6 }),
    'its event');
is($ev[5]{data}{excerpt}, "a\x{1F600}" x 50, 'excerpt: exactly the first 100 characters');
is($ev[5]{data}{body}, $mixed, 'body: all of it');
my $gone = api(DELETE => "/api/v1/comments/$ev[5]{data}{id}", undef, token => $m->{access_token});
is($gone->{status}, 204, 'its author deletes it again');
is($ev[0]{source}, 'comment', 'envelope source');

# ---- delete ----
$r = api(DELETE => "/api/v1/comments/$ids[1]", undef, token => $owner->{access_token});
is($r->{status}, 204, 'the author deletes a comment: 204');
error_is(api(DELETE => "/api/v1/comments/$ids[1]", undef, token => $owner->{access_token}),
    404, 'NOT_FOUND', 'deleting it again: 404');
$all = comments_of($pid, $m->{access_token});
is_deeply([map { $_->{id} } @$all], [@ids[0, 2, 3, 4]], 'the deleted comment is gone from the list');
my @del = outbox_events('comment', 'v1.event.comment-deleted', $pid);
is(scalar @del, 2, 'two comment-deleted events (the emoji one, then this)');
shift @del;
is_deeply({ map { $_ => $del[0]{data}{$_} } qw(id post_id community_id comment_count seq) },
    { id => $ids[1], post_id => $pid, community_id => $cid, comment_count => 4, seq => 8 },
    'comment-deleted: {id, post_id, community_id, comment_count 4, seq 8}');
my ($row) = comment_sql("SELECT comment_count, seq FROM posts WHERE id = $pid");
is_deeply($row, [4, 8], "the post's counters row: comment_count 4, seq 8");

# ---- errors ----
error_is(api(GET => '/api/v1/posts/999999999999/comments', undef, token => $m->{access_token}),
    404, 'NOT_FOUND', 'list of an unknown post: 404');
error_is(api(DELETE => '/api/v1/comments/999999999999', undef, token => $m->{access_token}),
    404, 'NOT_FOUND', 'delete of an unknown comment: 404');
error_is(api(GET => "/api/v1/posts/$pid/comments"), 401, 'UNAUTHORIZED', 'no token: 401');
error_is(api(PATCH => "/api/v1/comments/$ids[0]", { body => 'x' }, token => $m->{access_token}),
    405, ['METHOD_NOT_ALLOWED', 'NOT_ALLOWED'], 'PATCH a comment: 405');

done_testing;
