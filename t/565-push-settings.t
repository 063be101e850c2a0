# t/565-push-settings.t — GET/PUT /api/v1/notifications/settings: per type on/off for push
# and for the feed, all on by default, partial updates, bad input; and the daemon honours
# them: push off → a feed row and no push; feed off → a push and no feed row.
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Somoim::Test;
use Somoim::Push;
use Somoim::Comment;

my $T = JSON::PP::true;
my $F = JSON::PP::false;
start_receiver(5);
my $bc = comment_community();
my $owner = $bc->{owner};
my $tok = $owner->{access_token};
my $m = add_member($bc->{community}{id}, 'member', $tok, name => '설정테스터');
my $pid = make_post($bc->{community}{id}, $owner);
ok(wait_feed($owner, 'welcome', 1), 'welcome in (before subscribing)');
subscribe($owner, 's565');

# ---- defaults and updates ----
my $r = api(GET => '/api/v1/notifications/settings', undef, token => $tok);
res_is($r, 200, 'settings: 200');
is_deeply($r->{json}, { map { $_ => { push => $T, feed => $T } }
    qw(comment welcome waitlist reminder schedule_moved schedule_cancelled) },
    'every type, both channels on by default');
$r = api(PUT => '/api/v1/notifications/settings', { comment => { push => $F } }, token => $tok);
res_is($r, 200, 'turn comment pushes off: 200');
is_deeply($r->{json}{comment}, { push => $F, feed => $T }, 'comment: push off, feed kept on');
is_deeply($r->{json}{welcome}, { push => $T, feed => $T }, 'other types unchanged');
is_deeply(api(GET => '/api/v1/notifications/settings', undef, token => $tok)->{json}, $r->{json},
    'GET shows what PUT answered');
is_deeply(api(GET => '/api/v1/notifications/settings', undef, token => $m->{access_token})
    ->{json}{comment}, { push => $T, feed => $T }, "another user's settings are their own");

for my $bad ([{ nope => { push => $F } }, 'nope', 'an unknown type'],
    [{ comment => { push => 'no' } }, 'comment', 'a non-boolean'],
    [{ comment => { sms => $T } }, 'comment', 'an unknown channel'],
    [{ comment => 1 }, 'comment', 'not an object']) {
    $r = api(PUT => '/api/v1/notifications/settings', $bad->[0], token => $tok);
    error_is($r, 400, 'VALIDATION_FAILED', "$bad->[2]: 400");
    ok($r->{json}{error}{fields}{ $bad->[1] }, "… naming $bad->[1]");
}
error_is(api(PUT => '/api/v1/notifications/settings', undef, token => $tok, raw => '[1]'), 400,
    'INVALID_JSON', 'an array: 400');
error_is(api(GET => '/api/v1/notifications/settings'), 401, 'UNAUTHORIZED', 'needs a token');

# ---- honoured: push off → feed row, no push ----
res_is(add_comment($pid, $m->{access_token}, '푸시 없이'), 201, 'a comment while pushes are off');
my $items = wait_feed($owner, 'comment', 1);
ok($items, 'the feed row is there');
# ---- feed off, push on → push, no feed row ----
res_is(api(PUT => '/api/v1/notifications/settings', { comment => { push => $T, feed => $F } },
    token => $tok), 200, 'now feed off, push on');
res_is(add_comment($pid, $m->{access_token}, '피드 없이'), 201, 'a second comment');
my $msgs;
ok(wait_until(30, sub { $msgs = receiver_messages('s565'); @$msgs >= 1 }), 'a push arrived');
is(scalar @$msgs, 1, 'exactly one: the first comment was not pushed');
is($msgs->[0]{payload}{body}, '피드 없이', 'it is the second comment');
ok($msgs->[0]{ok}, 'and it checks out');
is(scalar(grep { $_->{type} eq 'comment' } @{ feed_of($owner) }), 1,
    'the feed still shows only the first comment');
is(unread_of($owner), 2, 'unread counts what the feed shows (welcome + first comment)');

done_testing();
