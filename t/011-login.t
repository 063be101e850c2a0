#!/usr/bin/perl
# POST /api/v1/auth/login: the same answer shape as signup; one indistinguishable 401 for an
# unknown address and a wrong password.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $LOGIN = '/api/v1/auth/login';
my $acct = signup(name => 'Login Tester', interests => [qw(music wine)]);

# --- the happy path --------------------------------------------------------------------------

my $res = login($acct->{email}, $acct->{password});
res_is($res, 200, 'login with the right password answers 200');
my $j = $res->{json} || {};
is_deeply($j->{user}, $acct->{user}, 'login returns the same user as signup');
is($j->{token_type}, 'Bearer', 'token_type is Bearer');
is($j->{expires_in}, conf('jwt', 'access_ttl') // 900, 'expires_in is the access TTL');
ok(defined $j->{access_token} && length $j->{access_token}, 'an access token is issued');
ok(defined $j->{refresh_token} && length $j->{refresh_token}, 'a refresh token is issued');
isnt($j->{refresh_token}, $acct->{refresh_token}, 'login issues a new refresh token');
isnt($j->{access_token}, $acct->{access_token}, 'login issues a new access token');
unlike($res->{content}, qr/\Q$acct->{password}\E/, 'the password appears nowhere in the answer');

my (undef, $claims) = jwt_parts($j->{access_token} // '');
is(ref $claims && $claims->{sub}, "$acct->{user}{id}", 'the access token is for this user');

my $me = api(GET => '/api/v1/users/me', undef, token => $j->{access_token});
res_is($me, 200, 'the login access token opens /users/me');
is($me->{json}{id}, $acct->{user}{id}, '/users/me is the same user');

my $again = login($acct->{email}, $acct->{password});
res_is($again, 200, 'a second login also answers 200');
isnt($again->{json}{refresh_token}, $j->{refresh_token}, 'each login gets its own refresh token');

my $upper = login(uc $acct->{email}, $acct->{password});
res_is($upper, 200, 'the address is matched case-insensitively');

# --- refused ---------------------------------------------------------------------------------

my $wrong = login($acct->{email}, $acct->{password} . 'x');
error_is($wrong, 401, 'BAD_CREDENTIALS', 'a wrong password is 401 BAD_CREDENTIALS');

my $nobody = login(new_email('nobody'), $acct->{password});
error_is($nobody, 401, 'BAD_CREDENTIALS', 'an unknown address is 401 BAD_CREDENTIALS');

# Everything but the request id (which names the request) must be the same.
my ($e1, $e2) = map { my %e = %{ $_->{json}{error} || {} }; delete $e{request_id}; \%e } $nobody, $wrong;
is_deeply($e1, $e2, 'unknown address and wrong password give the same body');

error_is(login($acct->{email}, uc $acct->{password}), 401, 'BAD_CREDENTIALS',
    'the password is case-sensitive');
error_is(login($acct->{email}, substr($acct->{password}, 0, -1)), 401, 'BAD_CREDENTIALS',
    'a prefix of the password is refused');
my $nul = login($acct->{email}, $acct->{password} . "\0");
ok($nul->{status} == 400 || $nul->{status} == 401,
    'the password followed by NUL does not log in (no C-string truncation)')
    or diag(dump_res($nul));
my $nul2 = login($acct->{email} . "\0evil", $acct->{password});
ok($nul2->{status} == 400 || $nul2->{status} == 401,
    'the address followed by NUL and junk does not log in')
    or diag(dump_res($nul2));

# --- malformed bodies ------------------------------------------------------------------------

sub invalid {
    my ($body, $field, $name) = @_;
    my $r = api(POST => $LOGIN, $body);
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    error_is($r, 400, 'VALIDATION_FAILED', "$name: 400 VALIDATION_FAILED");
    ok(ref $r->{json} eq 'HASH' && defined(($r->{json}{error}{fields} || {})->{$field}),
        "$name: fields.$field explains why") or diag(dump_res($r));
}

invalid({ password => $acct->{password} }, 'email', 'a missing email');
invalid({ email => $acct->{email} }, 'password', 'a missing password');
invalid({ email => $acct->{email}, password => 12345678 }, 'password', 'a numeric password');
invalid({ email => [$acct->{email}], password => $acct->{password} }, 'email',
    'an email that is an array');
invalid({ email => undef, password => $acct->{password} }, 'email', 'a null email');
error_is(api(POST => $LOGIN, {}), 400, 'VALIDATION_FAILED', 'an empty object is 400');

error_is(api(POST => $LOGIN, undef, raw => '{"email":'), 400, 'INVALID_JSON',
    'malformed JSON is 400 INVALID_JSON');

# --- still fine afterwards -------------------------------------------------------------------

res_is(login($acct->{email}, $acct->{password}), 200,
    'the right password still works after the failed attempts');

done_testing;
