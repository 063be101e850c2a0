#!/usr/bin/perl
# The auth server against someone else's reading of the RFCs: Authlib (Python, pinned in
# dev/oauth-client/requirements.txt, installed by dev/install) discovers it from the
# RFC 8414 metadata, makes the PKCE pair, performs the authorization and the token request,
# verifies the ES256 access token against the JWKS by itself and reads userinfo; it then
# sees a reused code and a wrong verifier refused as RFC 6749 §5.2 errors.  Last, a PKCE pair
# made by Authlib signs a person in through the main service's callback.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::OAuth;

my $acct = auth_signup(name => '이라이브러리');
my $r = oauth_python('flow', base_url(), $acct->{email}, $acct->{password}, 'somoim-web',
    redirect_uri());

is($r->{issuer}, base_url(), 'Authlib read the issuer from the metadata');
is($r->{login_status}, 200, 'it signed in at the auth server');
is($r->{authorize_status}, 302, 'the authorization redirected');
ok($r->{redirected_to_client}, 'to the registered redirect URI');
is($r->{token_type}, 'Bearer', 'Authlib accepted the token response (Bearer)');
is($r->{expires_in}, conf('auth', 'token_ttl') // 600, 'with expires_in');
ok($r->{jwt_verified_with_jwks}, "Authlib verified the token's ES256 signature with the JWKS");
is($r->{jwt_header}{alg}, 'ES256', 'the header says ES256');
is_deeply($r->{claims}, { iss => base_url(), aud => 'somoim-web', sub => $acct->{sub} },
    'iss, aud and sub as Authlib decoded them');
is($r->{userinfo_status}, 200, 'userinfo answered the Bearer token');
is_deeply($r->{userinfo}, { sub => $acct->{sub}, email => $acct->{email}, name => '이라이브러리' },
    'userinfo is {sub, email, name}');
is($r->{reused_code_error}, 'invalid_grant', 'Authlib read invalid_grant for the reused code');
is($r->{userinfo_after_reuse_status}, 401, 'and the token of the first exchange is revoked');
is($r->{wrong_verifier_error}, 'invalid_grant', 'Authlib read invalid_grant for a wrong verifier');

# Authlib's PKCE pair through the browser flow and the main service's callback.
my $pair = oauth_python('pkce');
like($pair->{verifier}, qr/^[A-Za-z0-9._~-]{43,128}\z/, 'Authlib made an RFC 7636 verifier');
my $br = new_browser();
my $cb = oauth_callback(sign_in_code($br, $acct, $pair->{challenge}), $pair->{verifier});
res_is($cb, 200, "the main service's callback accepts Authlib's pair");
is($cb->{json}{email}, $acct->{email}, 'and reads the person from the auth server');

done_testing;
