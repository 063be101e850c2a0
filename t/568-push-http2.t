# t/568-push-http2.t — pushes go over HTTP/2, as to the real push services (FCM, Mozilla
# autopush), multiplexed. The receiver serves HTTPS with HTTP/2 offered by ALPN (HTTP/1.1
# allowed) under a self-signed certificate the test makes; somoim-push trusts it through
# [push] ca_file. One notification to a member with ten subscriptions: ten pushes, each over
# HTTP/2, all on one connection, each with a VAPID token for the https origin and a body
# npm's http_ece decrypts. Without the CA file the daemon refuses the receiver's
# certificate, and nothing is delivered.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Push;
use Somoim::Schedule;
use Somoim::Member qw(join_community);

my $port = start_receiver(8, tls => 1);
ok(-s receiver_ca(), 'the receiver\'s certificate was made');
{
    local $ENV{SOMOIM_PUSH_CA_FILE} = receiver_ca();
    ok(stack('restart', 'push'), 'somoim-push restarted trusting it ([push] ca_file)');
}
my $owner = signup(name => '모임장');
my $c = schedule_community($owner);
my $m = signup(name => '참석자');
res_is(join_community($c->{id}, $m->{access_token}), 201, 'a member joins');
ok(wait_member($c->{id}, $m->{user}{id}), '… and the schedule service knows');
ok(wait_feed($m, 'welcome', 1), 'welcome in (before subscribing)');
my @names = map { "h2-$_" } 1 .. 10;
subscribe($m, $_) for @names;
like(receiver_subscribe('probe')->{endpoint}, qr{^https://127\.0\.0\.1:$port/push/},
    'the endpoints are https');

my $s = new_schedule($c->{id}, $owner->{access_token}, title => '남산 야경');
res_is(attend($s->{id}, $m->{access_token}), 200, 'the member attends');
res_is(api(PATCH => "/api/v1/schedules/$s->{id}", { starts_at => future_time(8 * 86400) },
    token => $owner->{access_token}), 200, 'the schedule moves: one notification, ten pushes');
my @msgs;
ok(wait_until(30, sub { @msgs = map { @{ receiver_messages($_) } } @names; @msgs >= 10 }),
    'ten pushes arrived');
is(scalar @msgs, 10, 'one per subscription');
is(scalar(grep { $_->{ok} } @msgs), 10, 'every one checks out (VAPID aud https) and decrypts')
    or diag explain [ map { $_->{errors} } @msgs ];
is(scalar(grep { ($_->{payload}{type} // '') eq 'schedule_moved' } @msgs), 10,
    '… to the schedule_moved notification');
is(join(',', sort { $a cmp $b } keys %{ { map { $_->{http_version} => 1 } @msgs } }), '2.0',
    'every push came over HTTP/2');
my %conns = map { $_->{conn} => 1 } @msgs;
is(scalar keys %conns, 1, 'all ten multiplexed on one connection');

# Without the CA file, the self-signed certificate is refused: nothing arrives.
ok(stack('restart', 'push'), 'somoim-push restarted with the system\'s CAs');
res_is(api(PATCH => "/api/v1/schedules/$s->{id}", { starts_at => future_time(9 * 86400) },
    token => $owner->{access_token}), 200, 'the schedule moves again');
ok(wait_until(30, sub { scalar push_sql("SELECT 1 FROM deliveries d JOIN subscriptions s"
    . " ON s.id = d.subscription_id WHERE s.user_id = $m->{user}{id} AND d.attempts > 0"
    . " AND d.state = 'pending' AND d.last_status = 0") >= 10 }),
    'the sends failed at TLS and wait for a retry') or diag explain [ push_sql(
    "SELECT notification_id, state, attempts, last_status FROM deliveries") ];
is(scalar(map { @{ receiver_messages($_) } } @names), 10, 'and nothing more arrived');

done_testing();
