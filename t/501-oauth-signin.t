#!/usr/bin/perl
# Signing in to somoim with the separate auth server, as the web client does: the browser
# signs in at the auth server's page, comes back with a code, and the main service
# exchanges it server to server (POST /api/v1/auth/oauth/callback).  A new person gets a
# signup_token and `complete` makes the account (its event through the outbox like any
# signup); the next sign-in finds the account by the auth server's subject, even after the
# email there changed.  And every refusal of the callback and of complete.

use strict;
use warnings;
use utf8;
use Digest::SHA qw(sha256);
use Test::More;
use Somoim::Test;
use Somoim::OAuth;

my $CB = '/api/v1/auth/oauth/callback';
my $DONE = '/api/v1/auth/oauth/complete';

my $acct = auth_signup(name => '박소셜');
my $br = new_browser();
my ($v, $c) = pkce();

# --- first sign-in: not registered yet ------------------------------------------------------

my ($res) = browser_sign_in($br, $acct, code_challenge => $c);
is($res->{status}, 302, 'the browser signs in at the auth server and is sent back');
my $code = code_of($res);
my $first = oauth_callback($code, $v);
res_is($first, 200, 'the callback answers 200');
my $j = $first->{json} || {};
is(json_type($first, 'registered'), 'bool', 'registered is a boolean');
ok(!$j->{registered}, 'registered: false for a new person');
is($j->{email}, $acct->{email}, 'with the email from the auth server');
is($j->{name}, '박소셜', 'and the name');
like($j->{signup_token} // '', qr/^st1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\z/, 'and a signup_token');
ok(!exists $j->{access_token}, 'but no tokens of ours yet');
like($first->{headers}{'cache-control'} // '', qr/no-store/, 'not cached');
error_is(oauth_callback($code, $v), 401, 'INVALID_GRANT', 'the same code twice: 401 INVALID_GRANT');

# A signup_token is ours alone: it opens nothing else.
error_is(api(GET => '/api/v1/users/me', undef, token => $j->{signup_token}), 401, 'UNAUTHORIZED',
    'a signup_token is not an access token');

# --- complete ---------------------------------------------------------------------------------

my ($users_before) = db_sql('user', 'SELECT COUNT(*) FROM users');
error_is(api(POST => $DONE, { signup_token => $j->{signup_token}, password => 'short',
    interests => ['nope'] }), 400, 'VALIDATION_FAILED', 'complete checks its fields like signup');
my $tampered = $j->{signup_token};
$tampered =~ s/^(st1\.)(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
error_is(api(POST => $DONE, { signup_token => $tampered, password => 'long-enough-1',
    interests => ['hiking'] }), 401, 'UNAUTHORIZED', 'a changed signup_token is 401');

# An expired token, signed the way the service signs (its key derives from [jwt] secret).
sub forge {
    my (%claims) = @_;
    my $key = sha256("somoim signup_token v1" . jwt_key());
    my $p = b64url($Somoim::Test::JSON->encode(\%claims));
    return "st1.$p." . b64url(Digest::SHA::hmac_sha256($p, $key));
}
my %claims = (sub => 'forged-' . $$, email => new_email('forged'), name => 'x', jti => 'A' x 22);
my $ok_forged = api(POST => $DONE, { signup_token => forge(%claims, exp => time - 5),
    password => 'long-enough-1', interests => ['hiking'] });
error_is($ok_forged, 401, 'UNAUTHORIZED', 'an expired signup_token is 401');
my ($users_mid) = db_sql('user', 'SELECT COUNT(*) FROM users');
is($users_mid->[0], $users_before->[0], 'no account was made by the refused attempts');

my $done = api(POST => $DONE, { signup_token => $j->{signup_token}, password => 'my-password-1',
    interests => [qw(hiking books)], region => '서울', mbti => 'INTJ' });
res_is($done, 201, 'complete answers 201');
my $d = $done->{json} || {};
is($d->{user}{email}, $acct->{email}, 'the account has the auth server email');
is($d->{user}{name}, '박소셜', 'and its name');
is_deeply($d->{user}{interests}, [qw(hiking books)], 'and the interests given');
is($d->{user}{region}, '서울', 'and the region');
is($d->{token_type}, 'Bearer', 'with our own token pair');
my $me = api(GET => '/api/v1/users/me', undef, token => $d->{access_token});
res_is($me, 200, 'the access token opens /users/me');
is($me->{json}{id}, $d->{user}{id}, 'as the new user');
my $uid = $d->{user}{id};
my @ev = db_sql('user', "SELECT topic FROM outbox WHERE msg_key = '$uid'");
is_deeply([map { $_->[0] } @ev], ['v1.event.user-signed-up'],
    'its user-signed-up event went through the outbox like any signup');
res_is(login($acct->{email}, 'my-password-1'), 200, 'the password chosen at complete logs in too');
error_is(api(POST => $DONE, { signup_token => $j->{signup_token}, password => 'my-password-1',
    interests => ['hiking'] }), 401, 'UNAUTHORIZED', 'a signup_token works only once');

# --- the next sign-in finds the account ------------------------------------------------------

my $again = oauth_callback(sign_in_code($br, $acct, $c), $v);
res_is($again, 200, 'the next sign-in answers 200');
ok($again->{json}{registered}, 'registered: true');
is($again->{json}{user}{id}, $uid, 'the same account');
res_is(api(GET => '/api/v1/users/me', undef, token => $again->{json}{access_token}), 200,
    'with a working access token');
ok(length($again->{json}{refresh_token} // ''), 'and a refresh token');
res_is(api(POST => '/api/v1/auth/refresh', { refresh_token => $again->{json}{refresh_token} }),
    200, 'which refreshes like any login');

# The email changes at the auth server; the subject does not.
my $new_email = new_email('moved');
db_sql('auth', "UPDATE accounts SET email = '$new_email' WHERE subject = '$acct->{sub}'");
my $moved = oauth_callback(sign_in_code($br, $acct, $c), $v);
ok($moved->{json}{registered} && ($moved->{json}{user}{id} // 0) == $uid,
    'after the email changed at the auth server the sign-in still finds the account')
    or diag(dump_res($moved));

# --- refusals ----------------------------------------------------------------------------------

error_is(oauth_callback(b64url(join '', map { chr rand 256 } 1 .. 32), $v), 401, 'INVALID_GRANT',
    'a random code: 401 INVALID_GRANT');
my ($v3) = pkce();
error_is(oauth_callback(sign_in_code($br, $acct, $c), $v3), 401, 'INVALID_GRANT',
    'the wrong verifier: 401 INVALID_GRANT');
error_is(oauth_callback(sign_in_code($br, $acct, $c), $v, redirect_uri => 'http://evil.example/cb'),
    401, 'INVALID_GRANT', 'a redirect_uri not ours: 401 INVALID_GRANT');
for my $case ([{ code_verifier => 'short' }, 'code_verifier', 'a short verifier'],
    [{ code_verifier => ('é' x 50) }, 'code_verifier', 'a verifier with other characters'],
    [{ redirect_uri => undef }, 'redirect_uri', 'no redirect_uri'],
    [{ code => undef }, 'code', 'no code'],
    [{ code => 'x' x 300 }, 'code', 'a code too long']) {
    my $r = oauth_callback('some-code', $v, %{ $case->[0] });
    error_is($r, 400, 'VALIDATION_FAILED', "$case->[2]: 400 VALIDATION_FAILED");
    ok(exists(($r->{json}{error} || {})->{fields}{ $case->[1] }), "$case->[2]: names $case->[1]");
}
error_is(api(POST => $CB, undef, raw => '{"code":'), 400, 'INVALID_JSON', 'broken JSON is 400');

# The email is already a password account of ours: complete refuses and makes nothing.
my $taken = signup();
my $twin = auth_signup(email => $taken->{email});
my $tb = new_browser();
my ($tv, $tc) = pkce();
my $tj = oauth_callback(sign_in_code($tb, $twin, $tc), $tv)->{json} || {};
ok(defined $tj->{signup_token} && !$tj->{registered},
    'an unlinked auth account is never matched by email alone (registered: false)');
error_is(api(POST => $DONE, { signup_token => $tj->{signup_token}, password => 'long-enough-1',
    interests => ['hiking'] }), 409, 'EMAIL_TAKEN', 'complete with a taken email: 409 EMAIL_TAKEN');
my ($links) = db_sql('user', "SELECT COUNT(*) FROM oauth_links WHERE subject = '$twin->{sub}'");
is($links->[0], 0, 'and no link was stored');

done_testing;
