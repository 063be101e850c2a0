#!/usr/bin/perl
# The separate auth server (somoim-auth) on its own: discovery and JWKS, its accounts and
# session cookie, the login page a browser without JavaScript uses, the authorization
# endpoint's refusals (never a redirect to an unregistered place), and the token and
# userinfo endpoints with every refusal RFC 6749 / 7636 / 6750 ask for.

use strict;
use warnings;
use utf8;
use Digest::SHA qw(sha256 sha256_hex);
use Test::More;
use Somoim::Test;
use Somoim::OAuth;

my $BASE = base_url();
my $RU = redirect_uri();

# --- discovery -------------------------------------------------------------------------------

my $meta = api(GET => '/.well-known/oauth-authorization-server');
res_is($meta, 200, 'RFC 8414 metadata answers 200 JSON');
my $m = $meta->{json} || {};
is($m->{issuer}, $BASE, 'issuer is the gateway origin');
is($m->{authorization_endpoint}, "$BASE/oauth/authorize", 'authorization_endpoint');
is($m->{token_endpoint}, "$BASE/oauth/token", 'token_endpoint');
is($m->{userinfo_endpoint}, "$BASE/oauth/userinfo", 'userinfo_endpoint');
is_deeply($m->{code_challenge_methods_supported}, ['S256'], 'only S256 is offered for PKCE');
is_deeply($m->{response_types_supported}, ['code'], 'only the code flow');
is_deeply($m->{grant_types_supported}, ['authorization_code'], 'only the code grant');

my $jwks = api(GET => '/oauth/jwks');
res_is($jwks, 200, 'the JWKS answers 200 JSON');
my ($key) = @{ ($jwks->{json} || {})->{keys} || [] };
is(scalar @{ $jwks->{json}{keys} || [] }, 1, 'one signing key');
is_deeply([@$key{qw(kty crv alg use)}], [qw(EC P-256 ES256 sig)], 'an EC P-256 ES256 signing key');
is(length(b64url_decode($key->{x} // '')), 32, 'x is 32 bytes');
is(length(b64url_decode($key->{y} // '')), 32, 'y is 32 bytes');
is($key->{kid}, b64url(sha256(qq({"crv":"P-256","kty":"EC","x":"$key->{x}","y":"$key->{y}"}))),
    'kid is the RFC 7638 thumbprint of the key');

# --- accounts --------------------------------------------------------------------------------

my $acct = auth_signup(name => '김인증');
ok($acct->{sub} =~ /^[0-9a-f-]{36}\z/, 'signup gives the account an opaque subject');
error_is(api(POST => '/oauth/signup', { email => uc $acct->{email}, password => 'another-pw1',
    name => 'x' }), 409, 'EMAIL_TAKEN', 'the same email again (any case) is 409 EMAIL_TAKEN');
error_is(api(POST => '/oauth/signup', { email => 'not-an-email', password => 'short',
    name => '' }), 400, 'VALIDATION_FAILED', 'bad signup fields are 400 VALIDATION_FAILED');

my $br = new_browser();
my $login = $br->request(POST => '/oauth/login',
    json => { email => $acct->{email}, password => $acct->{password} });
is($login->{status}, 200, 'JSON login answers 200');
is($login->{json}{sub}, $acct->{sub}, 'login names the account');
my $cookie = $br->cookie('somoim_auth') || {};
ok(length($cookie->{value} // '') >= 40, 'login sets the session cookie');
like($cookie->{raw} // '', qr/;\s*HttpOnly/i, 'the session cookie is HttpOnly');
like($cookie->{raw} // '', qr/;\s*SameSite=Lax/i, 'the session cookie is SameSite=Lax');
like($cookie->{raw} // '', qr/;\s*Path=\/oauth\//i, 'the session cookie is for /oauth/ only');
unlike($cookie->{raw} // '', qr/;\s*Secure/i, 'no Secure flag over plain http');
error_is(api(POST => '/oauth/login', { email => $acct->{email}, password => 'wrong-password' }),
    401, 'BAD_CREDENTIALS', 'a wrong password is 401 BAD_CREDENTIALS');

# With the session, /oauth/authorize sends the browser straight on with a code and the state.
my ($v, $c) = pkce();
my $direct = $br->get(authorize_url(code_challenge => $c, state => 'a b&c'));
is($direct->{status}, 302, 'authorize with a session redirects at once');
my $q = query_of($direct->{headers}{location});
like($direct->{headers}{location} // '', qr/^\Q$RU\E\?/, 'to the registered redirect URI');
ok(length($q->{code} // '') >= 40, 'with a code');
is($q->{state}, 'a b&c', 'and the state, exactly (percent-encoded on the way)');

# --- the login page (no session) ----------------------------------------------------------

my $anon = new_browser();
my $page = $anon->get(authorize_url(code_challenge => $c));
is($page->{status}, 200, 'without a session authorize shows the login page');
like($page->{headers}{'content-type'} // '', qr{^text/html; charset=utf-8}i, 'as HTML');
my $html = $page->{content};
utf8::decode($html);
like($html, qr/<html lang="ko">/, 'the page is Korean');
like($html, qr/로그인/, 'it says 로그인');
unlike($html, qr/<script/i, 'no script at all');
unlike($html, qr/\sstyle=|<style/i, 'no inline style (a strict CSP holds)');
like($page->{headers}{'content-security-policy'} // '', qr/default-src 'none'/,
    "CSP default-src 'none'");
like($page->{headers}{'content-security-policy'} // '', qr/frame-ancestors 'none'/,
    'the page cannot be framed');
like($page->{headers}{'cache-control'} // '', qr/no-store/, 'the page is not cached');
like($html, qr/<form method="post" action="\/oauth\/authorize">/, 'a plain form posts back');
ok($anon->cookie('somoim_auth_csrf'), 'a CSRF cookie comes with the form');

# The form without its CSRF token, or with another one: 403, no code, no session.
my $fields = Somoim::OAuth::form_fields($page->{content});
is($fields->{csrf}, ($anon->cookie('somoim_auth_csrf') || {})->{value},
    'the form carries the CSRF cookie value');
my %post = (%$fields, email => $acct->{email}, password => $acct->{password});
for my $case (['missing', sub { delete $_[0]{csrf} }], ['forged', sub { $_[0]{csrf} = 'x' x 32 }]) {
    my %f = %post;
    $case->[1]->(\%f);
    my $r = $anon->request(POST => '/oauth/authorize', form => \%f);
    is($r->{status}, 403, "a $case->[0] CSRF token is refused with 403");
    ok(!$r->{headers}{location} && !$anon->cookie('somoim_auth'), "... no redirect, no session");
}
{
    my $other = new_browser();                     # the right field, but no cookie to match
    my $r = $other->request(POST => '/oauth/authorize', form => \%post);
    is($r->{status}, 403, 'a form posted without the CSRF cookie is refused');
}
my $bad = $anon->request(POST => '/oauth/authorize', form => { %post, password => 'nope-nope' });
is($bad->{status}, 401, 'a wrong password on the form: 401 and the page again');
my $bad_html = $bad->{content};
utf8::decode($bad_html);
like($bad_html, qr/올바르지 않습니다/, 'with a Korean message');
ok(!$bad->{headers}{location}, '... and no redirect');

my ($res) = browser_sign_in($anon, $acct, code_challenge => $c, state => 'page-state');
is($res->{status}, 302, 'the right password on the form redirects');
like($res->{headers}{location} // '', qr/^\Q$RU\E\?code=[A-Za-z0-9_-]{43}&state=page-state\z/,
    'to redirect_uri?code=...&state=...');
ok($anon->cookie('somoim_auth'), 'and starts a session');

# --- authorize refusals ----------------------------------------------------------------------

sub no_redirect {
    my ($url, $name) = @_;
    my $r = new_browser()->request(GET => $url);
    is($r->{status}, 400, "$name: 400 error page");
    ok(!defined $r->{headers}{location}, "$name: never a redirect");
    like($r->{headers}{'content-type'} // '', qr{^text/html}, "$name: an HTML page");
}
no_redirect(authorize_url(code_challenge => $c, client_id => 'evil-client'), 'unknown client');
no_redirect(authorize_url(code_challenge => $c, client_id => undef), 'no client_id');
no_redirect(authorize_url(code_challenge => $c, redirect_uri => 'http://evil.example/cb'),
    'a redirect URI on another host');
no_redirect(authorize_url(code_challenge => $c, redirect_uri => "$RU/../evil"),
    'a registered URI stretched by a path');
no_redirect(authorize_url(code_challenge => $c, redirect_uri => "${RU}x"),
    'a registered URI as a prefix');
no_redirect(authorize_url(code_challenge => $c, redirect_uri => undef), 'no redirect_uri');

sub error_redirect {
    my ($url, $error, $state, $name) = @_;
    my $r = $br->request(GET => $url);            # signed in: only the request is wrong
    my $rq = query_of($r->{headers}{location});
    is($r->{status}, 302, "$name: redirected back to the client");
    is($rq->{error}, $error, "$name: error=$error");
    is($rq->{state}, $state, "$name: state " . (defined $state ? 'kept' : 'absent'));
    ok(!defined $rq->{code}, "$name: no code");
}
error_redirect(authorize_url(code_challenge => $c, state => undef), 'invalid_request', undef,
    'missing state');
error_redirect(authorize_url(code_challenge => $v, code_challenge_method => 'plain', state => 's1'),
    'invalid_request', 's1', 'code_challenge_method=plain');
error_redirect(authorize_url(code_challenge => $c, code_challenge_method => undef, state => 's2'),
    'invalid_request', 's2', 'no code_challenge_method');
error_redirect(authorize_url(code_challenge => undef, state => 's3'), 'invalid_request', 's3',
    'no code_challenge');
error_redirect(authorize_url(code_challenge => $c, response_type => 'token', state => 's4'),
    'unsupported_response_type', 's4', 'response_type=token');

# --- the token endpoint ----------------------------------------------------------------------

sub fresh_code {
    my ($challenge) = @_;
    my $r = $br->get(authorize_url(code_challenge => $challenge));
    return code_of($r) // die "no code:\n" . dump_res($r);
}
sub token_ok_form {
    my ($code, $verifier) = @_;
    return { grant_type => 'authorization_code', code => $code, redirect_uri => $RU,
        client_id => 'somoim-web', code_verifier => $verifier };
}
sub oauth_error_is {
    my ($r, $status, $error, $name, $why) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $ok = $r->{status} == $status && ref $r->{json} eq 'HASH' && ($r->{json}{error} // '') eq $error
        && length($r->{json}{error_description} // '') && !exists $r->{json}{code}
        && (!$why || $r->{json}{error_description} =~ $why)
        && ($r->{headers}{'cache-control'} // '') =~ /no-store/;
    ok($ok, "$name: $status {error: $error, error_description}, no-store") or diag(dump_res($r));
}

my $code = fresh_code($c);
my $tok = token_request(token_ok_form($code, $v));
res_is($tok, 200, 'the code with its verifier gives a token');
is($tok->{json}{token_type}, 'Bearer', 'token_type Bearer');
is($tok->{json}{expires_in}, conf('auth', 'token_ttl') // 600, 'expires_in is the token TTL');
like($tok->{headers}{'cache-control'} // '', qr/no-store/, 'Cache-Control: no-store');
my $at = $tok->{json}{access_token} // '';
my ($h, $claims) = jwt_parts($at);
is_deeply([@{ $h || {} }{qw(alg kid)}], ['ES256', $key->{kid}], 'signed ES256 with the JWKS key');
is($claims->{iss}, $BASE, 'iss is the issuer');
is($claims->{sub}, $acct->{sub}, 'sub is the account subject');
is($claims->{aud}, 'somoim-web', 'aud is the client');

my $ui = api(GET => '/oauth/userinfo', undef, token => $at);
res_is($ui, 200, 'userinfo with the token answers 200');
is_deeply([@{ $ui->{json} || {} }{qw(sub email name)}], [$acct->{sub}, $acct->{email}, '김인증'],
    'userinfo is {sub, email, name} of the account');

# The same code again: invalid_grant, and the token of its first exchange is revoked.
oauth_error_is(token_request(token_ok_form($code, $v)), 400, 'invalid_grant', 'a reused code',
    qr/already used/);
is(api(GET => '/oauth/userinfo', undef, token => $at)->{status}, 401,
    'after the reuse the first token is revoked (userinfo 401)');

my ($v2, $c2) = pkce();
oauth_error_is(token_request(token_ok_form(fresh_code($c2), $v)), 400, 'invalid_grant',
    'the wrong verifier', qr/code_verifier/);
my $burnt = fresh_code($c2);
oauth_error_is(token_request({ %{ token_ok_form($burnt, $v2) }, redirect_uri => "$BASE/other" }),
    400, 'invalid_grant', 'a mismatched redirect_uri', qr/redirect_uri/);
oauth_error_is(token_request(token_ok_form($burnt, $v2)), 400, 'invalid_grant',
    'a code is good for one try only (even after a failed one)', qr/already used/);

my $old = fresh_code($c2);
db_sql('auth', "UPDATE codes SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE code_hash = '"
    . sha256_hex($old) . "'");
oauth_error_is(token_request(token_ok_form($old, $v2)), 400, 'invalid_grant', 'an expired code',
    qr/expired/);
my ($ttl) = db_sql('auth', 'SELECT TIMESTAMPDIFF(SECOND, NOW(3), expires_at) FROM codes'
    . " WHERE code_hash = '" . sha256_hex(fresh_code($c2)) . "'");
ok(defined $ttl && $ttl->[0] >= 50 && $ttl->[0] <= 60, 'a code lives 60 seconds')
    or diag(explain $ttl);

oauth_error_is(token_request({ %{ token_ok_form(fresh_code($c2), $v2) }, client_id => 'evil' }),
    401, 'invalid_client', 'an unknown client');
oauth_error_is(token_request({ %{ token_ok_form('x', $v2) }, grant_type => 'password' }),
    400, 'unsupported_grant_type', 'grant_type=password');
oauth_error_is(token_request(token_ok_form(b64url(join '', map { chr rand 256 } 1 .. 32), $v2)),
    400, 'invalid_grant', 'a random code');
oauth_error_is(token_request({ %{ token_ok_form('x', $v2) }, code_verifier => 'short' }),
    400, 'invalid_request', 'a verifier shorter than 43');
oauth_error_is(token_request({ %{ token_ok_form('x', $v2) }, code => undef }), 400,
    'invalid_request', 'no code');
oauth_error_is(token_request(undef, raw => 'grant_type=authorization_code&code=a&code=b'
    . "&client_id=somoim-web&redirect_uri=$RU&code_verifier=$v2"), 400, 'invalid_request',
    'a repeated parameter');
oauth_error_is(token_request(undef, raw => '{"grant_type":"authorization_code"}',
    content_type => 'application/json'), 400, 'invalid_request', 'a JSON body');

# --- userinfo and the two kinds of token -----------------------------------------------------

my $at2 = token_request(token_ok_form(fresh_code($c2), $v2))->{json}{access_token};
res_is(api(GET => '/oauth/userinfo', undef, token => $at2), 200, 'a fresh token works');
my $main = signup();
my $r401 = api(GET => '/oauth/userinfo', undef, token => $main->{access_token});
is($r401->{status}, 401, "a main-service token at /oauth/userinfo is 401");
like($r401->{headers}{'www-authenticate'} // '', qr/^Bearer error="invalid_token"/,
    '... with WWW-Authenticate: Bearer error="invalid_token"');
is(api(GET => '/oauth/userinfo')->{status}, 401, 'no token at userinfo is 401');
error_is(api(GET => '/api/v1/users/me', undef, token => $at2), 401, 'UNAUTHORIZED',
    'an auth-server token at /api/v1/users/me is 401');

my ($hp, $pp) = split /\./, $at2;
my $none = b64url('{"alg":"none","typ":"JWT"}') . ".$pp.";
is(api(GET => '/oauth/userinfo', undef, token => $none)->{status}, 401, 'alg none is refused');
my $pub = b64url('{"alg":"HS256","typ":"JWT","kid":"' . $key->{kid} . '"}');
my $hs = "$pub.$pp." . b64url(Digest::SHA::hmac_sha256("$pub.$pp", $key->{x}));
is(api(GET => '/oauth/userinfo', undef, token => $hs)->{status}, 401,
    'an HS256 token with our kid (algorithm confusion) is refused');
my %cl = %{ (jwt_parts($at2))[1] };
$cl{sub} = $main->{user}{id};
my $forged = join '.', $hp, b64url($Somoim::Test::JSON->encode(\%cl)), (split /\./, $at2)[2];
is(api(GET => '/oauth/userinfo', undef, token => $forged)->{status}, 401,
    'a token with a changed payload is refused');

# --- logout and the failed-login throttle ----------------------------------------------------

my $out = $br->request(POST => '/oauth/logout');
is($out->{status}, 204, 'logout answers 204');
ok(!$br->cookie('somoim_auth'), 'and clears the session cookie');
is($br->get(authorize_url(code_challenge => $c))->{status}, 200,
    'after logout authorize shows the login page again');

my $victim = auth_signup();
my @st = map { api(POST => '/oauth/login', { email => $victim->{email}, password => "wrong-$_" })->{status} } 1 .. 10;
is_deeply(\@st, [(401) x 10], 'ten wrong passwords are ten 401s');
my $locked = api(POST => '/oauth/login', { email => $victim->{email}, password => $victim->{password} });
error_is($locked, 429, 'RATE_LIMITED', 'then even the right password is 429 for a while');
ok(($locked->{headers}{'retry-after'} // 0) > 0, 'with Retry-After');

# --- nothing secret in the logs --------------------------------------------------------------

my $logs = '';
for my $f (glob "$ENV{SOMOIM_RUN}/log/auth-*.log") {
    open my $fh, '<', $f or next;
    local $/;
    $logs .= <$fh>;
}
ok(length $logs, 'the auth server logged something');
ok(index($logs, $acct->{password}) < 0 && index($logs, $code) < 0 && index($logs, $at) < 0
    && index($logs, $v) < 0, 'no password, code, verifier or token in its logs');

done_testing;
