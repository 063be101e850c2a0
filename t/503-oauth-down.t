#!/usr/bin/perl
# The auth server down or slow during a callback: the main service answers 503 UNAVAILABLE
# within a bounded time (its libcurl timeouts, [oauth_client] timeout_ms), never a 500 and
# never a half-made account; once the auth server is back, the very same code signs in.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Somoim::Test;
use Somoim::OAuth;

my @AUTH = qw(auth-1 auth-2);
my $acct = auth_signup(name => '최장애');
my $br = new_browser();
my ($v, $c) = pkce();
my $code = sign_in_code($br, $acct, $c);
my ($users) = db_sql('user', 'SELECT COUNT(*) FROM users');
my ($links) = db_sql('user', 'SELECT COUNT(*) FROM oauth_links');

# --- stopped -------------------------------------------------------------------------------------

ok(stack('stop', @AUTH), 'dev/stack stop auth-1 auth-2');
my $t0 = time;
my $down = oauth_callback($code, $v);
my $took = time - $t0;
error_is($down, 503, 'UNAVAILABLE', 'the callback with the auth server stopped: 503 UNAVAILABLE');
cmp_ok($took, '<', 10, 'answered within a bounded time') or diag("took ${took}s");
my ($users2) = db_sql('user', 'SELECT COUNT(*) FROM users');
my ($links2) = db_sql('user', 'SELECT COUNT(*) FROM oauth_links');
is_deeply([$users2->[0], $links2->[0]], [$users->[0], $links->[0]],
    'no account and no link were made');

ok(stack('start', @AUTH), 'dev/stack start auth-1 auth-2');
my $back = oauth_callback($code, $v);
res_is($back, 200, 'once it is back, the same code signs in (it was never spent)');
ok(defined $back->{json}{signup_token}, 'with a signup_token for the new person');

# --- slow: both instances frozen (SIGSTOP), so nothing answers -----------------------------------

my $timeout = (conf('oauth_client', 'timeout_ms') // 3000) / 1000;
my $code2 = sign_in_code($br, $acct, $c);
my @pgids = map {
    open my $fh, '<', "$ENV{SOMOIM_RUN}/pid/$_.pid" or die "no pid file for $_: $!";
    my $p = <$fh>;
    chomp $p;
    $p;
} @AUTH;
kill 'STOP', map { -$_ } @pgids;
$t0 = time;
my $slow = oauth_callback($code2, $v);
$took = time - $t0;
kill 'CONT', map { -$_ } @pgids;
error_is($slow, 503, 'UNAVAILABLE', 'the callback with the auth server frozen: 503 UNAVAILABLE');
cmp_ok($took, '>=', $timeout * 0.9, "it waited for the timeout ($timeout s) ...");
cmp_ok($took, '<', 2 * $timeout + 5, '... and not much longer') or diag("took ${took}s");
my ($users3) = db_sql('user', 'SELECT COUNT(*) FROM users');
is($users3->[0], $users->[0], 'still no account made');

# Thawed, the auth server serves the next sign-in at once.
my $again = oauth_callback(sign_in_code($br, $acct, $c), $v);
res_is($again, 200, 'after the freeze the next sign-in works');

done_testing;
