#!/usr/bin/perl
# POST /api/v1/auth/logout: needs a valid access token; the given refresh token stops
# refreshing; other logins are untouched; nobody can log out someone else's session.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $LOGOUT = '/api/v1/auth/logout';

sub refresh { return api(POST => '/api/v1/auth/refresh', { refresh_token => $_[0] }) }

sub logout {
    my ($access, $refresh) = @_;
    return api(POST => $LOGOUT, { refresh_token => $refresh }, token => $access);
}

my $acct = signup(name => 'Logout Tester');
my $uid = "$acct->{user}{id}";

# Two more logins of the same user: one to log out, one that must survive.
my $s1 = login($acct->{email}, $acct->{password})->{json};
my $s2 = login($acct->{email}, $acct->{password})->{json};
ok($s1 && $s1->{refresh_token} && $s2 && $s2->{refresh_token}, 'two sessions logged in')
    or BAIL_OUT('login does not work');

# --- refused ---------------------------------------------------------------------------------

error_is(api(POST => $LOGOUT, { refresh_token => $s1->{refresh_token} }), 401, 'UNAUTHORIZED',
    'logout without an access token is 401 UNAUTHORIZED');
error_is(logout('garbage', $s1->{refresh_token}), 401, 'UNAUTHORIZED',
    'logout with a garbage access token is 401');
my $now = time;
error_is(logout(make_jwt({ sub => $uid, iat => $now - 7200, exp => $now - 3600 }),
        $s1->{refresh_token}),
    401, 'TOKEN_EXPIRED', 'logout with an expired access token is 401 TOKEN_EXPIRED');

my $miss = api(POST => $LOGOUT, {}, token => $s1->{access_token});
error_is($miss, 400, 'VALIDATION_FAILED', 'logout without refresh_token is 400 VALIDATION_FAILED');
ok(defined(($miss->{json}{error}{fields} || {})->{refresh_token}),
    'the missing field is named in fields.refresh_token') or diag(dump_res($miss));
error_is(api(POST => $LOGOUT, { refresh_token => [] }, token => $s1->{access_token}),
    400, 'VALIDATION_FAILED', 'a refresh_token that is an array is 400');
error_is(api(POST => $LOGOUT, undef, raw => '{"refresh_token"', token => $s1->{access_token}),
    400, 'INVALID_JSON', 'malformed JSON is 400 INVALID_JSON');

# The refused attempts changed nothing: session 1 still refreshes (and rotates).
my $r = refresh($s1->{refresh_token});
res_is($r, 200, 'the refused logouts left the refresh token working');
$s1 = $r->{json} || {};

# --- logout ----------------------------------------------------------------------------------

my $out = logout($s1->{access_token}, $s1->{refresh_token});
is($out->{status}, 204, 'logout answers 204') or diag(dump_res($out));
is($out->{content}, '', 'the 204 has no body');
like($out->{headers}{'x-request-id'} // '', qr/^[0-9a-f]{32}\z/, 'the 204 carries X-Request-Id');

error_is(refresh($s1->{refresh_token}), 401, 'UNAUTHORIZED',
    'the logged-out refresh token no longer refreshes');

my $r2 = refresh($s2->{refresh_token});
res_is($r2, 200, 'the other session of the same user still refreshes');
$s2 = $r2->{json} || {};

res_is(login($acct->{email}, $acct->{password}), 200, 'the user can log in again after logout');

# --- someone else's refresh token ------------------------------------------------------------

my $victim = signup(name => 'Logout Victim');
my $evil = logout($s2->{access_token}, $victim->{refresh_token});
ok($evil->{status} < 500, 'logging out another user\'s refresh token does not fail with 5xx')
    or diag(dump_res($evil));
my $vr = refresh($victim->{refresh_token});
res_is($vr, 200, 'another user cannot log out my refresh token');

# --- a token that was already rotated away ------------------------------------------------------

# Logging out with an old (rotated) token must not leave the session's newest token alive:
# either it is treated as reuse (whole login revoked) or refused; in no case does the logout
# of an already-dead token answer 5xx.
my $rot_old = $vr->{json}{refresh_token};
my $rot = refresh($rot_old);
res_is($rot, 200, 'rotate the victim session once more');
my $late = logout($victim->{access_token}, $rot_old);
ok($late->{status} < 500, 'logout with an already-rotated refresh token does not fail with 5xx')
    or diag(dump_res($late));

# --- idempotence -----------------------------------------------------------------------------

my $twice = logout($s2->{access_token}, $s2->{refresh_token});
is($twice->{status}, 204, 'logout of session 2 answers 204') or diag(dump_res($twice));
my $again = logout($s2->{access_token}, $s2->{refresh_token});
ok($again->{status} == 204 || $again->{status} == 401,
    'logging out the same refresh token twice answers 204 or 401, never 5xx')
    or diag(dump_res($again));
error_is(refresh($s2->{refresh_token}), 401, 'UNAUTHORIZED',
    'session 2 no longer refreshes');

error_is(api(GET => $LOGOUT, undef, token => $s2->{access_token}), 405, 'METHOD_NOT_ALLOWED',
    'GET /auth/logout is 405');

done_testing;
