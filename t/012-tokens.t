#!/usr/bin/perl
# Access tokens: only an HS256 JWT signed with [jwt] secret, with our iss and aud and an exp
# in the future, opens a protected endpoint. An expired but otherwise valid token is
# TOKEN_EXPIRED; everything else is UNAUTHORIZED.

use strict;
use warnings;
use utf8;
use Test::More;
use Digest::SHA qw(hmac_sha256);
use Somoim::Test;

my $ME = '/api/v1/users/me';
my $acct = signup(name => 'Token Tester');
my $other = signup(name => 'Other Tester');
my $uid = "$acct->{user}{id}";

sub me { my ($token, %opt) = @_; return api(GET => $ME, undef, token => $token, %opt) }

sub refused {
    my ($token, $name, $code) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return error_is(me($token), 401, $code // 'UNAUTHORIZED', $name);
}

# --- the real token, and the helper's own tokens ----------------------------------------------

res_is(me($acct->{access_token}), 200, 'the access token from signup opens /users/me');

my ($h, $c) = jwt_parts($acct->{access_token});
my ($hb, $cb, $sb) = split /\./, $acct->{access_token};
is(b64url(hmac_sha256("$hb.$cb", jwt_key())), $sb,
    'the real access token is HMAC-SHA256 over header.payload with the [jwt] secret bytes');

my $good = make_jwt({ sub => $uid });
my $r = me($good);
res_is($r, 200, 'a token crafted with the configured secret opens /users/me');
is($r->{json}{id}, $acct->{user}{id}, 'the crafted token is this user');

res_is(me(make_jwt({ sub => $uid }, header => { alg => 'HS256' })), 200,
    'a header without typ is fine');

# --- no or malformed credentials --------------------------------------------------------------

error_is(api(GET => $ME), 401, 'UNAUTHORIZED', 'no Authorization header is 401 UNAUTHORIZED');
error_is(api(GET => $ME, undef, headers => { Authorization => 'Bearer' }), 401, 'UNAUTHORIZED',
    '"Bearer" without a token is 401');
error_is(api(GET => $ME, undef, headers => { Authorization => 'Bearer ' }), 401, 'UNAUTHORIZED',
    '"Bearer " with an empty token is 401');
refused('garbage', 'a garbage token is 401 UNAUTHORIZED');
refused('a.b.c', 'three garbage segments are 401');
refused("$hb.$cb", 'a token without its signature segment is 401');
refused("$hb.$cb.$sb.$sb", 'a token with four segments is 401');
refused('', 'an empty bearer token is 401');
refused('x' x 4000, 'a 4000-character garbage token is 401');
refused(b64url('{"alg":"HS256"') . ".$cb.$sb", 'a header that is not JSON is 401');
refused(b64url('[]') . ".$cb." . b64url(hmac_sha256(b64url('[]') . ".$cb", jwt_key())),
    'a correctly signed header that is a JSON array is 401');
refused("$hb." . b64url('not json') . '.' . b64url(hmac_sha256("$hb." . b64url('not json'), jwt_key())),
    'a correctly signed payload that is not JSON is 401');
refused("$hb.$cb.!!!", 'a signature that is not base64url is 401');
error_is(api(GET => $ME, undef, headers => { Authorization => "Basic $acct->{access_token}" }),
    401, 'UNAUTHORIZED', 'the token under the Basic scheme is 401');
error_is(api(GET => $ME, undef, headers => { Authorization => $acct->{access_token} }),
    401, 'UNAUTHORIZED', 'the token without a scheme is 401');
refused($acct->{refresh_token}, 'the refresh token is not an access token');

# --- tampering -------------------------------------------------------------------------------

{
    # Give the payload to another user, keep the signature.
    my %forged = (%$c, sub => "$other->{user}{id}");
    my $forged = "$hb." . b64url(JSON::PP->new->canonical->encode(\%forged)) . ".$sb";
    refused($forged, 'a payload changed to another user (old signature) is 401');

    # Flip one bit in the middle of the signature.
    my $sig = b64url_decode($sb);
    substr($sig, 10, 1) = chr(ord(substr($sig, 10, 1)) ^ 0x01);
    refused("$hb.$cb." . b64url($sig), 'a signature with one flipped bit is 401');

    my $short = b64url(substr(b64url_decode($sb), 0, 16));
    refused("$hb.$cb.$short", 'a truncated signature is 401');

    refused(make_jwt({ sub => $uid }, key => 'not-the-secret'),
        'a token signed with another key is 401');
    refused(make_jwt({ sub => $uid }, key => jwt_key() . 'x'),
        'a token signed with the secret plus one byte is 401');
}

# --- algorithms ------------------------------------------------------------------------------

refused(make_jwt({ sub => $uid }, alg => 'none', no_signature => 1),
    'alg none without a signature is 401');
refused(make_jwt({ sub => $uid }, alg => 'None', no_signature => 1),
    'alg None without a signature is 401');
refused(make_jwt({ sub => $uid }, alg => 'none', sign_with => 'HS256'),
    'alg none with a valid HS256 signature is 401');
refused(make_jwt({ sub => $uid }, header => { typ => 'JWT' }, sign_with => 'HS256'),
    'a header without alg is 401');
refused(make_jwt({ sub => $uid }, alg => 'HS512'), 'an HS512 token with the secret is 401');
refused(make_jwt({ sub => $uid }, alg => 'HS384'), 'an HS384 token with the secret is 401');
refused(make_jwt({ sub => $uid }, alg => 'RS256', sign_with => 'HS256'),
    'alg RS256 (HMAC-signed, the key-confusion attack) is 401');
refused(make_jwt({ sub => $uid }, alg => 'hs256', sign_with => 'HS256'),
    'alg hs256 (wrong case) is 401');

# --- claims ----------------------------------------------------------------------------------

my $now = time;
refused(make_jwt({ sub => $uid, aud => 'someone-else' }), 'a wrong aud is 401 UNAUTHORIZED');
refused(make_jwt({ sub => $uid, iss => 'evil' }), 'a wrong iss is 401 UNAUTHORIZED');
refused(make_jwt({ sub => $uid, aud => undef }), 'a token without aud is 401');
refused(make_jwt({ sub => $uid, iss => undef }), 'a token without iss is 401');
refused(make_jwt({ sub => $uid, exp => undef }), 'a token without exp is 401');
refused(make_jwt({ sub => undef }), 'a token without sub is 401');
refused(make_jwt({ sub => '' }), 'a token with an empty sub is 401');
refused(make_jwt({ sub => 'abc' }), 'a token whose sub is not a user id is 401');
refused(make_jwt({ sub => $uid, exp => "" . ($now + 600) }), 'an exp that is a string is 401');

refused(make_jwt({ sub => $uid, iat => $now - 7200, exp => $now - 3600 }),
    'an expired token is 401 TOKEN_EXPIRED', 'TOKEN_EXPIRED');
refused(make_jwt({ sub => $uid, iat => $now - 1000, exp => $now - 100 }),
    'a token expired 100 s ago is 401 TOKEN_EXPIRED', 'TOKEN_EXPIRED');
refused(make_jwt({ sub => $uid, iat => $now - 7200, exp => $now - 3600 }, key => 'wrong'),
    'an expired token with a bad signature is UNAUTHORIZED, not TOKEN_EXPIRED');
refused(make_jwt({ sub => $uid, iat => $now - 7200, exp => $now - 3600, aud => 'x' }),
    'an expired token with a wrong aud is UNAUTHORIZED, not TOKEN_EXPIRED');
refused(make_jwt({ sub => $uid, iat => $now - 7200, exp => $now - 3600 }, alg => 'none',
        no_signature => 1),
    'an expired alg-none token is UNAUTHORIZED, not TOKEN_EXPIRED');

res_is(me(make_jwt({ sub => $uid, iat => $now - 60, exp => $now + 60 })), 200,
    'a token with a minute left still works');

# --- the same rules on another protected endpoint ---------------------------------------------

error_is(api(PATCH => $ME, { name => 'Hacker' }, token => 'garbage'), 401, 'UNAUTHORIZED',
    'PATCH /users/me with a garbage token is 401');
error_is(api(PATCH => $ME, { name => 'Hacker' },
        token => make_jwt({ sub => $uid, exp => $now - 3600, iat => $now - 7200 })),
    401, 'TOKEN_EXPIRED', 'PATCH /users/me with an expired token is 401 TOKEN_EXPIRED');
error_is(api(GET => "/api/v1/users/$acct->{user}{id}"), 401, 'UNAUTHORIZED',
    'GET /users/{id} without a token is 401');
is(api(GET => $ME, undef, token => $acct->{access_token})->{json}{name}, 'Token Tester',
    'none of the refused PATCHes changed the name');

done_testing;
