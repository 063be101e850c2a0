#!/usr/bin/perl
# Strict input at the programs' edge: control characters in a query value or the path are
# refused rather than cut short (a value is never validated as one thing and used as
# another), JSON numbers are RFC 8259's, a refresh token has the documented size on
# logout as on refresh, the JWT "nbf" claim is honoured, and the email lookup is rate
# limited per client address.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(sleep);
use Somoim::Test;

my $u = signup(name => 'Strict Tester');
my $T = $u->{access_token};

# --- control characters in the URL ------------------------------------------------------------

(my $enc = $u->{email}) =~ s/@/%40/;
my $known = api(GET => "/api/v1/users/email-exists?email=$enc");
is($known->{json}{exists}, JSON::PP::true, 'the registered email exists (control)');
error_is(api(GET => "/api/v1/users/email-exists?email=$enc%00x"), 400, 'VALIDATION_FAILED',
    'email-exists with the registered email + %00x is 400, not "true"');
error_is(api(GET => '/api/v1/communities?q=probe%00zzzz'), 400, 'VALIDATION_FAILED',
    'q=probe%00zzzz is 400, not a search for "probe"');
error_is(api(GET => '/api/v1/communities?q=' . ('a' x 10) . '%00' . ('b' x 200)), 400,
    'VALIDATION_FAILED', 'a %00 cannot hide the rest of an over-long q from its length check');
error_is(api(GET => '/api/v1/communities?region=%1F'), 400, 'VALIDATION_FAILED',
    'another control character (%1F) in a query value is 400');
error_is(api(GET => '/api/v1/communities?q=a%7Fb'), 400, 'VALIDATION_FAILED',
    'DEL (%7F) in a query value is 400');
error_is(api(GET => '/api/v1/users/me%01', undef, token => $T), 404, 'NOT_FOUND',
    'a control character (%01) in the path names nothing: 404 (nginx itself refuses %00: 400)');
res_is(api(GET => '/api/v1/communities?q=%EB%93%B1%EC%82%B0+%ED%81%B4%EB%9F%BD'), 200,
    'an ordinary UTF-8 search with a space still works');

# --- RFC 8259 numbers -------------------------------------------------------------------------

my $c = api(POST => '/api/v1/communities', {
    name => "엄격한 숫자 $$", description => '숫자 검사', region => '서울',
    interest => 'hiking', max_members => 10 }, token => $T);
res_is($c, 201, 'a community to change (control)');
my $cid = $c->{json}{id};
for my $n ('5.', '0.', '1.e5', '.5', '+5', '05', '5e', '0x5') {
    error_is(api(PATCH => "/api/v1/communities/$cid", undef, token => $T,
            raw => qq({"max_members": $n})), 400, 'INVALID_JSON',
        "the number $n is not JSON: 400 INVALID_JSON");
}
error_is(api(PATCH => "/api/v1/communities/$cid", undef, token => $T,
        raw => '{"max_members": 2.0e1}'), 400, 'VALIDATION_FAILED',
    '2.0e1 is JSON (it reaches validation: not an integer)');
res_is(api(PATCH => "/api/v1/communities/$cid", undef, token => $T,
        raw => '{"max_members": 20}'), 200, '20 is an integer member count');

# --- refresh tokens on logout: the documented size ---------------------------------------------

my $long = 'A' x 600;
error_is(api(POST => '/api/v1/auth/logout', { refresh_token => $long }, token => $T), 400,
    'VALIDATION_FAILED', 'logout with a 600-character refresh_token is 400');
error_is(api(POST => '/api/v1/auth/refresh', { refresh_token => $long }), 400,
    'VALIDATION_FAILED', 'refresh with a 600-character refresh_token is 400');
is(api(POST => '/api/v1/auth/logout', { refresh_token => 'A' x 43 }, token => $T)->{status},
    204, 'logout with an unknown token of our size is still 204 (nothing to tell)');

# --- JWT nbf --------------------------------------------------------------------------------------

my $sub = "$u->{user}{id}";
res_is(api(GET => '/api/v1/users/me', undef, token => make_jwt({ sub => $sub })), 200,
    'a token we sign without nbf is accepted (control)');
error_is(api(GET => '/api/v1/users/me', undef,
        token => make_jwt({ sub => $sub, nbf => time + 600 })), 401, 'UNAUTHORIZED',
    'a token whose nbf is 10 minutes ahead is refused');
res_is(api(GET => '/api/v1/users/me', undef,
        token => make_jwt({ sub => $sub, nbf => time - 10 })), 200,
    'a token whose nbf has passed is accepted');
error_is(api(GET => '/api/v1/users/me', undef,
        token => make_jwt({ sub => $sub, nbf => 'soon' })), 401, 'UNAUTHORIZED',
    'a token whose nbf is not a number is refused');

# --- the email lookup is rate limited ------------------------------------------------------------

# Test stack: 100 r/s with a burst of 50 per address; 20 clients x 15 lookups at once.
my @r = parallel(20, sub {
    my %n;
    for (1 .. 15) {
        my $x = api(GET => "/api/v1/users/email-exists?email=$enc", undef, no_retry => 1);
        $n{ $x->{status} }++;
        $n{json429}++ if $x->{status} == 429 && ref $x->{json} eq 'HASH'
            && ($x->{json}{error}{code} // '') eq 'RATE_LIMITED';
    }
    return \%n;
});
my %total;
for my $c (@r) { $total{$_} += $c->{$_} for keys %$c }
note(join ', ', map { "$_: $total{$_}" } sort keys %total);
cmp_ok($total{429} // 0, '>', 0, '300 lookups at once from one address get some 429');
is($total{json429} // 0, $total{429} // 0, 'every 429 is JSON RATE_LIMITED');
is(($total{200} // 0) + ($total{429} // 0), 300, 'and every other answer is a 200');
sleep 1.5;    # the bucket refills before the next file
res_is(api(GET => "/api/v1/users/email-exists?email=$enc", undef, no_retry => 1), 200,
    'after a pause the lookup answers again');

done_testing();
