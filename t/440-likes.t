# t/440-likes.t — likes on a post: PUT and DELETE are idempotent and answer {liked,
# like_count} with the exact count; a repeat changes nothing and emits nothing; each real
# change is one v1.event.like-changed (key "post:<id>") with the count and a per-target seq.
# Photos answer 404 until the album feeds them; other target types, unknown posts and ids that
# are not numbers are 404; a private community's post is 403 for a stranger.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;

my $bc = comment_community();
my $cid = $bc->{community}{id};
my $owner = $bc->{owner};
my $m = add_member($cid, 'member', $owner->{access_token});
my $stranger = signup();
my $pid = make_post($cid, $owner);

my $r = like_put(post => $pid, $m->{access_token});
res_is($r, 200, 'a member likes the post: 200');
is(json_type($r, 'liked'), 'bool', 'liked is a JSON boolean');
ok($r->{json}{liked}, 'liked: true');
is($r->{json}{like_count}, 1, 'like_count 1');
$r = like_put(post => $pid, $m->{access_token});
res_is($r, 200, 'the same PUT again: 200');
is_deeply([!!$r->{json}{liked}, $r->{json}{like_count}], [1, 1], 'still liked, still 1');
$r = like_put(post => $pid, $owner->{access_token});
is($r->{json}{like_count}, 2, 'the author likes the own post: 2');
$r = like_put(post => $pid, $stranger->{access_token});
res_is($r, 200, 'a stranger likes a public community\'s post: 200');
is($r->{json}{like_count}, 3, 'like_count 3');

$r = like_delete(post => $pid, $m->{access_token});
res_is($r, 200, 'unlike: 200');
is(json_type($r, 'liked'), 'bool', 'liked is a JSON boolean');
ok(!$r->{json}{liked}, 'liked: false');
is($r->{json}{like_count}, 2, 'like_count 2');
$r = like_delete(post => $pid, $m->{access_token});
res_is($r, 200, 'the same DELETE again: 200');
is_deeply([!!$r->{json}{liked}, $r->{json}{like_count}], ['', 2], 'still not liked, still 2');
$r = like_delete(post => $pid, signup()->{access_token});
is($r->{json}{like_count}, 2, 'unliking what one never liked: 200, count unchanged');

my ($row) = like_sql("SELECT like_count, seq FROM targets WHERE target_type = 'post' AND target_id = $pid");
is_deeply($row, [2, 4], 'the target row: like_count 2, seq 4');
my ($n) = like_sql("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id = $pid");
is($n->[0], 2, 'two like rows');

my @ev = outbox_events('like', 'v1.event.like-changed', "post:$pid");
is(scalar @ev, 4, 'four like-changed events (repeats emit nothing)');
is_deeply([map { [$_->{data}{user_id}, $_->{data}{liked} ? 1 : 0, $_->{data}{like_count}, $_->{data}{seq}] } @ev],
    [[$m->{user}{id}, 1, 1, 1], [$owner->{user}{id}, 1, 2, 2], [$stranger->{user}{id}, 1, 3, 3],
     [$m->{user}{id}, 0, 2, 4]],
    'events: (user_id, liked, like_count, seq) in order');
is($ev[0]{data}{target_type}, 'post', 'event: target_type');
is($ev[0]{data}{target_id}, $pid, 'event: target_id');
is($ev[0]{type}, 'like-changed', 'envelope type');

# ---- what is not there ----
error_is(like_put(photo => $pid, $m->{access_token}), 404, 'NOT_FOUND',
    'a photo (none are known yet): 404');
error_is(like_delete(photo => 1, $m->{access_token}), 404, 'NOT_FOUND', 'unliking a photo: 404');
error_is(like_put(comment => $pid, $m->{access_token}), 404, 'NOT_FOUND', 'another target type: 404');
error_is(like_put(post => 999999999999, $m->{access_token}), 404, 'NOT_FOUND', 'an unknown post: 404');
error_is(like_put(post => 'abc', $m->{access_token}), 404, 'NOT_FOUND', 'an id that is no number: 404');
error_is(api(PUT => "/api/v1/likes/post/$pid"), 401, 'UNAUTHORIZED', 'no token: 401');
error_is(api(GET => "/api/v1/likes/post/$pid", undef, token => $m->{access_token}), 405,
    'METHOD_NOT_ALLOWED', 'GET: 405');

# ---- a private community ----
my $pb = comment_community(is_private => 1);
my $ppid = make_post($pb->{community}{id}, $pb->{owner});
error_is(like_put(post => $ppid, $stranger->{access_token}), 403, 'FORBIDDEN',
    'a stranger cannot like a private community\'s post: 403');
error_is(like_delete(post => $ppid, $stranger->{access_token}), 403, 'FORBIDDEN',
    '...nor unlike it: 403');
$r = like_put(post => $ppid, $pb->{owner}{access_token});
is($r->{json}{like_count}, 1, 'its owner likes it: 1');

done_testing;
