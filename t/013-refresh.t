#!/usr/bin/perl
# POST /api/v1/auth/refresh: rotation (each refresh token works once and yields a new pair)
# and reuse detection (presenting a used token revokes every token of that login).

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $REFRESH = '/api/v1/auth/refresh';

sub refresh { return api(POST => $REFRESH, { refresh_token => $_[0] }) }

my $acct = signup(name => 'Refresh Tester');
my $uid = "$acct->{user}{id}";

# --- rotation --------------------------------------------------------------------------------

my $r1 = refresh($acct->{refresh_token});
res_is($r1, 200, 'a fresh refresh token answers 200');
my $p1 = $r1->{json} || {};
ok(defined $p1->{access_token} && length $p1->{access_token}, 'the answer has an access token');
ok(defined $p1->{refresh_token} && length $p1->{refresh_token}, 'the answer has a refresh token');
is($p1->{token_type}, 'Bearer', 'token_type is Bearer');
is($p1->{expires_in}, conf('jwt', 'access_ttl') // 900, 'expires_in is the access TTL');
isnt($p1->{refresh_token}, $acct->{refresh_token}, 'the new refresh token differs from the old');
isnt($p1->{access_token}, $acct->{access_token}, 'the new access token differs from the old');

my (undef, $c1) = jwt_parts($p1->{access_token} // '');
my (undef, $c0) = jwt_parts($acct->{access_token});
is(ref $c1 && $c1->{sub}, $uid, 'the new access token is for the same user');
isnt(ref $c1 && $c1->{jti}, ref $c0 && $c0->{jti}, 'the new access token has a new jti');

my $me = api(GET => '/api/v1/users/me', undef, token => $p1->{access_token});
res_is($me, 200, 'the new access token opens /users/me');
is($me->{json}{id}, $acct->{user}{id}, '... as the same user');

# A chain of rotations keeps working.
my $rt = $p1->{refresh_token};
my $chain_ok = 1;
for my $n (1 .. 3) {
    my $r = refresh($rt);
    if ($r->{status} != 200 || !$r->{json}{refresh_token}) {
        $chain_ok = 0;
        diag("rotation $n: " . dump_res($r));
        last;
    }
    $rt = $r->{json}{refresh_token};
}
ok($chain_ok, 'three more rotations in a row each answer 200');

# --- reuse detection -------------------------------------------------------------------------

# A second login of the same user: a separate family that must survive the first's revocation.
my $l2 = login($acct->{email}, $acct->{password});
res_is($l2, 200, 'a second login of the same user');
my $other_family = $l2->{json}{refresh_token};

my $reuse = refresh($acct->{refresh_token});
error_is($reuse, 401, 'UNAUTHORIZED', 'an already-used refresh token is 401 UNAUTHORIZED');

error_is(refresh($rt), 401, 'UNAUTHORIZED',
    'after the reuse, the newest token of that login is revoked too');
error_is(refresh($p1->{refresh_token}), 401, 'UNAUTHORIZED',
    'an older used token of that login stays refused');

my $l2r = refresh($other_family);
res_is($l2r, 200, 'the other login of the same user still refreshes');

# Reuse of the second family's *latest* token right after its rotation.
my $latest = $l2r->{json}{refresh_token};
error_is(refresh($other_family), 401, 'UNAUTHORIZED', 'reusing the second login\'s old token is 401');
error_is(refresh($latest), 401, 'UNAUTHORIZED', '... and revokes that login\'s newest token');

res_is(login($acct->{email}, $acct->{password}), 200,
    'the user can still log in after both families were revoked');

# --- two clients racing with one token ----------------------------------------------------------

{
    my $racer = signup(name => 'Race Tester');
    my @r = parallel(6, sub {
        my $x = api(POST => $REFRESH, { refresh_token => $racer->{refresh_token} });
        return { status => $x->{status}, refresh => ($x->{json} || {})->{refresh_token} };
    });
    my @st = map { $_->{status} } @r;
    my $won = grep { $_ == 200 } @st;
    cmp_ok($won, '<=', 1, 'six concurrent refreshes with one token: at most one succeeds')
        or diag("statuses: @st");
    is(scalar(grep { $_ != 200 && $_ != 401 } @st), 0,
        'six concurrent refreshes with one token: every other answer is 401 (no 5xx)')
        or diag("statuses: @st");
    my ($winner) = map { $_->{refresh} } grep { $_->{status} == 200 } @r;
    if ($winner && $won == 1 && grep { $_ == 401 } @st) {
        error_is(refresh($winner), 401, 'UNAUTHORIZED',
            'the race counts as reuse: the winner\'s new token is revoked too');
    } else {
        pass('the race counts as reuse (nothing to check: no winner or no loser)');
    }
}

# --- bad input -------------------------------------------------------------------------------

error_is(refresh('garbage'), 401, 'UNAUTHORIZED', 'a garbage refresh token is 401 UNAUTHORIZED');
error_is(refresh('x' x 512), 401, 'UNAUTHORIZED', 'a 512-character garbage token is 401');
error_is(refresh('x' x 2000), 400, 'VALIDATION_FAILED',
    'a 2000-character token is 400: over the documented 512');
error_is(refresh($l2->{json}{access_token}), 401, 'UNAUTHORIZED',
    'an access token is not a refresh token');
error_is(refresh(make_jwt({ sub => $uid })), 401, 'UNAUTHORIZED',
    'a well-signed JWT is not a refresh token');

my $miss = api(POST => $REFRESH, {});
error_is($miss, 400, 'VALIDATION_FAILED', 'a missing refresh_token is 400 VALIDATION_FAILED');
ok(defined(($miss->{json}{error}{fields} || {})->{refresh_token}),
    'the missing field is named in fields.refresh_token') or diag(dump_res($miss));
error_is(api(POST => $REFRESH, { refresh_token => 12345 }), 400, 'VALIDATION_FAILED',
    'a numeric refresh_token is 400 VALIDATION_FAILED');
error_is(api(POST => $REFRESH, { refresh_token => undef }), 400, 'VALIDATION_FAILED',
    'a null refresh_token is 400 VALIDATION_FAILED');
error_is(api(POST => $REFRESH, undef, raw => '{"refresh_token":'), 400, 'INVALID_JSON',
    'malformed JSON is 400 INVALID_JSON');
error_is(api(GET => $REFRESH), 405, 'METHOD_NOT_ALLOWED', 'GET /auth/refresh is 405');

done_testing;
