# t/560-push-subscriptions.t — push subscriptions through Kafka request-reply: the API
# (somoim-notification) answers only after somoim-push, which owns the subscriptions,
# confirmed over v1.event.subscription.request/.response; with the daemon stopped the API
# answers 503 and nothing is stored, not even once the daemon comes back and reads the
# stale request. Also the VAPID key, and bad input.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Push;
use Somoim::Kafka qw(daemon_log);

# ---- the VAPID public key: public, a P-256 point ----
my $r = api(GET => '/api/v1/push/vapid-public-key');
res_is($r, 200, 'vapid-public-key: 200 without a token');
my $key = $r->{json}{key};
like($key, qr/^[A-Za-z0-9_-]{87}$/, 'the key is base64url of 65 bytes, unpadded');
is(substr(b64url_decode($key), 0, 1), "\x04", 'an uncompressed point (0x04)');
is($key, conf('push', 'vapid_public_key'), 'the key dev/genconf generated');

start_receiver(0);
my $u = signup(name => '구독자');
my $tok = $u->{access_token};

# ---- subscribe: confirmed by the daemon, stored in the push schema only ----
my $sub = receiver_subscribe('s560a');
$r = api(POST => '/api/v1/push/subscriptions', $sub, token => $tok);
res_is($r, 201, 'subscribe: 201 once the push daemon confirmed');
is($r->{json}{endpoint}, $sub->{endpoint}, 'the endpoint answered back');
my @rows = push_sql("SELECT user_id, p256dh, auth FROM subscriptions WHERE endpoint = '$sub->{endpoint}'");
is(scalar @rows, 1, 'one row in the push schema');
is_deeply($rows[0], [$u->{user}{id}, $sub->{keys}{p256dh}, $sub->{keys}{auth}],
    'with the caller and the keys');
$r = api(POST => '/api/v1/push/subscriptions', $sub, token => $tok);
res_is($r, 201, 'subscribing the same endpoint again: 201');
is(scalar push_sql("SELECT 1 FROM subscriptions WHERE endpoint = '$sub->{endpoint}'"), 1,
    '… still one row');

# ---- bad input ----
error_is(api(POST => '/api/v1/push/subscriptions', undef, token => $tok, raw => '{'), 400,
    'INVALID_JSON', 'broken JSON: 400');
error_is(api(POST => '/api/v1/push/subscriptions', { endpoint => $sub->{endpoint} },
    token => $tok), 400, 'VALIDATION_FAILED', 'no keys: 400');
error_is(api(POST => '/api/v1/push/subscriptions', { endpoint => $sub->{endpoint},
    keys => { p256dh => 'AAAA', auth => $sub->{keys}{auth} } }, token => $tok), 400,
    'VALIDATION_FAILED', 'a p256dh that is no P-256 point: 400');
my $bad = { %$sub, keys => { p256dh => $sub->{keys}{p256dh}, auth => 'short' } };
error_is(api(POST => '/api/v1/push/subscriptions', $bad, token => $tok), 400,
    'VALIDATION_FAILED', 'an auth secret that is not 16 bytes: 400');
for my $ep ('http://10.0.0.1/', 'https://10.0.0.1/push', 'https://169.254.169.254/x',
    'ftp://example.org/', 'https://user@127.0.0.1/', 'not a url') {
    $r = api(POST => '/api/v1/push/subscriptions', { endpoint => $ep, keys => $sub->{keys} },
        token => $tok);
    error_is($r, 400, 'VALIDATION_FAILED', "endpoint $ep refused: 400");
    ok($r->{json}{error}{fields}{endpoint}, '… naming the endpoint');
}
error_is(api(POST => '/api/v1/push/subscriptions', $sub), 401, 'UNAUTHORIZED',
    'no token: 401');

# ---- unsubscribe ----
$r = api(DELETE => '/api/v1/push/subscriptions', { endpoint => $sub->{endpoint} }, token => $tok);
res_is($r, 204, 'unsubscribe: 204');
is(scalar push_sql("SELECT 1 FROM subscriptions WHERE endpoint = '$sub->{endpoint}'"), 0,
    'the row is gone');
res_is(api(DELETE => '/api/v1/push/subscriptions', { endpoint => $sub->{endpoint} },
    token => $tok), 204, 'unsubscribing again: 204');
error_is(api(DELETE => '/api/v1/push/subscriptions', {}, token => $tok), 400,
    'VALIDATION_FAILED', 'unsubscribe without endpoint: 400');

# ---- the push daemon stopped: 503, and nothing stored, ever ----
my $late = receiver_subscribe('s560b');
ok(stack('stop', 'push'), 'somoim-push stopped');
$r = api(POST => '/api/v1/push/subscriptions', $late, token => $tok);
error_is($r, 503, 'UNAVAILABLE', 'subscribe while the push daemon is down: 503');
is(scalar push_sql("SELECT 1 FROM subscriptions WHERE endpoint = '$late->{endpoint}'"), 0,
    'nothing stored');
ok(stack('start', 'push'), 'somoim-push started again');
ok(wait_until(60, sub { grep { /read after its deadline: dropped/ } daemon_log('push') }),
    'the daemon read the stale request and dropped it');
is(scalar push_sql("SELECT 1 FROM subscriptions WHERE endpoint = '$late->{endpoint}'"), 0,
    'still nothing stored');
$r = api(POST => '/api/v1/push/subscriptions', $late, token => $tok);
res_is($r, 201, 'the same subscribe once the daemon is back: 201');

done_testing();
