#!/usr/bin/perl
# POST /api/v1/auth/signup: the account, its tokens, and every validation rule of the body.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $SIGNUP = '/api/v1/auth/signup';

# A body that passes validation; tests change one thing at a time.
sub body {
    my (%over) = @_;
    my %b = (
        email     => new_email('signup'),
        password  => 'correct horse',
        name      => 'Kim Minji',
        interests => [qw(hiking books)],
    );
    for (keys %over) { if (defined $over{$_}) { $b{$_} = $over{$_} } else { delete $b{$_} } }
    return \%b;
}

# Expect a 400 VALIDATION_FAILED naming $field.
sub invalid {
    my ($body, $field, $name) = @_;
    my $res = api(POST => $SIGNUP, $body);
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $ok = error_is($res, 400, 'VALIDATION_FAILED', "$name: 400 VALIDATION_FAILED");
    ok(ref $res->{json} eq 'HASH' && ref $res->{json}{error}{fields} eq 'HASH'
            && defined $res->{json}{error}{fields}{$field},
        "$name: fields.$field explains why")
        or diag(dump_res($res));
    return $res;
}

sub accepted {
    my ($body, $name) = @_;
    my $res = api(POST => $SIGNUP, $body);
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    res_is($res, 201, "$name: 201");
    return $res;
}

# --- the happy path --------------------------------------------------------------------------

my $email = new_email('full');
my $full = {
    email         => $email,
    password      => 'secret-password-1',
    name          => '김민지',
    interests     => [qw(hiking camping photo)],
    region        => '서울 마포구',
    mbti          => 'enfp',
    profile_image => 'https://img.example.com/p/1.png',
};
my $t0 = time;
my $res = api(POST => $SIGNUP, $full);
res_is($res, 201, 'signup with every field answers 201');
my $j = $res->{json} || {};
my $u = $j->{user} || {};

is(json_type($res, 'user'), 'object', 'the answer has a user object');
is(json_type($res, 'user', 'id'), 'number', 'user.id is a JSON number');
ok(defined $u->{id} && $u->{id} =~ /^[1-9]\d*\z/, 'user.id is a positive integer');
is($u->{email}, $email, 'user.email is the address');
is($u->{name}, '김민지', 'user.name is the (Korean) name, intact');
is($u->{region}, '서울 마포구', 'user.region is the region');
is($u->{mbti}, 'ENFP', 'user.mbti is upper-cased');
is($u->{profile_image}, 'https://img.example.com/p/1.png', 'user.profile_image is the URL');
is_deeply([sort @{ $u->{interests} || [] }], [sort qw(hiking camping photo)],
    'user.interests are the codes given');
ok(is_rfc3339_utc($u->{created_at}), 'user.created_at is RFC 3339 UTC (...Z)')
    or diag("created_at: " . ($u->{created_at} // 'undef'));
if (($u->{created_at} // '') =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/) {
    require Time::Local;
    my $ts = Time::Local::timegm($6, $5, $4, $3, $2 - 1, $1);
    ok(abs($ts - $t0) < 300, 'user.created_at is now (within 5 minutes)')
        or diag("created_at $u->{created_at}, now " . gmtime($t0));
} else {
    fail('user.created_at is now (within 5 minutes)');
}
ok(!exists $u->{password} && !exists $u->{password_hash}, 'the user carries no password');
unlike($res->{content}, qr/secret-password-1/, 'the password appears nowhere in the answer');

is($j->{token_type}, 'Bearer', 'token_type is Bearer');
is(json_type($res, 'expires_in'), 'number', 'expires_in is a JSON number');
is($j->{expires_in}, conf('jwt', 'access_ttl') // 900, 'expires_in is the access TTL');
ok(defined $j->{access_token} && length $j->{access_token}, 'an access token is issued');
ok(defined $j->{refresh_token} && length $j->{refresh_token}, 'a refresh token is issued');
isnt($j->{refresh_token}, $j->{access_token}, 'the refresh token is not the access token');

# The access token is the contract's JWT.
my ($h, $c, $sig) = jwt_parts($j->{access_token} // '');
is(ref $h && $h->{alg}, 'HS256', 'the access token header says alg HS256');
is(ref $c && $c->{sub}, "$u->{id}", 'the access token sub is the user id');
ok(ref $c && !ref $c->{sub} && $c->{sub} =~ /^\d+\z/ && do {
        my ($hb, $cb) = split /\./, $j->{access_token};
        b64url_decode($cb) =~ /"sub"\s*:\s*"/;
    }, 'the access token sub is a JSON string');
is(ref $c && $c->{iss}, conf('jwt', 'issuer') // 'somoim', 'the access token iss is the issuer');
is(ref $c && $c->{aud}, conf('jwt', 'audience') // 'somoim-api', 'the access token aud is the audience');
ok(ref $c && defined $c->{jti} && length $c->{jti}, 'the access token has a jti');
ok(ref $c && defined $c->{iat} && abs($c->{iat} - $t0) < 300, 'the access token iat is now');
is(ref $c && ($c->{exp} // 0) - ($c->{iat} // 0), conf('jwt', 'access_ttl') // 900,
    'the access token lives access_ttl seconds');

my $me = api(GET => '/api/v1/users/me', undef, token => $j->{access_token});
res_is($me, 200, 'the fresh access token opens /users/me');
is_deeply($me->{json}, $u, '/users/me is the user signup returned');

# --- minimal body: optionals are null ---------------------------------------------------------

my $min = api(POST => $SIGNUP, body());
res_is($min, 201, 'signup with only the required fields answers 201');
my $mu = $min->{json}{user} || {};
is(json_type($min, 'user', 'region'), 'null', 'an unset region is null');
is(json_type($min, 'user', 'mbti'), 'null', 'an unset mbti is null');
is(json_type($min, 'user', 'profile_image'), 'null', 'an unset profile_image is null');
isnt($mu->{id}, $u->{id}, 'a second account gets another id');

# --- email -----------------------------------------------------------------------------------

error_is(api(POST => $SIGNUP, body(email => $email)), 409, 'EMAIL_TAKEN',
    'the same address again is 409 EMAIL_TAKEN');
error_is(api(POST => $SIGNUP, body(email => uc $email)), 409, 'EMAIL_TAKEN',
    'the same address in upper case is 409 EMAIL_TAKEN (case-insensitive)');

my $mixed = 'MiXeD.' . new_email('case');
$mixed =~ s/example\.com\z/Example.COM/;
my $mres = accepted(body(email => $mixed), 'a mixed-case address');
is($mres->{json}{user}{email}, lc $mixed, 'the address is stored lower-case');

my $plus = new_email('plus');
$plus =~ s/@/+tag@/;
my $pres = accepted(body(email => $plus), 'an address with +tag');
is($pres->{json}{user}{email}, $plus, 'the +tag address is kept as written');

invalid(body(email => undef), 'email', 'a missing email');
invalid(body(email => ''), 'email', 'an empty email');
invalid(body(email => 'no-at-sign.example.com'), 'email', 'an address without @');
invalid(body(email => '@example.com'), 'email', 'an address without local part');
invalid(body(email => 'user@'), 'email', 'an address without domain');
invalid(body(email => 'two@@example.com'), 'email', 'an address with two @');
invalid(body(email => 'sp ace@example.com'), 'email', 'an address with a space');
invalid(body(email => "line\@example.com\nX-Evil: 1"), 'email', 'an address with a newline');

# Exactly 254 characters is fine, 255 is not (local part 64, DNS labels at most 63).
sub long_email {
    my ($len) = @_;
    my $local = substr(sprintf('l%d-%d-%d-', $$, time, int rand 1e9) . ('x' x 64), 0, 64);
    my $r = $len - length($local) - 1 - length('.com');
    my @labels;
    while ($r > 63) {
        my $l = $r == 64 ? 62 : 63;                 # never leave an empty label
        push @labels, 'd' x $l;
        $r -= $l + 1;
    }
    push @labels, 'd' x $r;
    return $local . '@' . join('.', @labels) . '.com';
}
my $e254 = long_email(254);
is(length $e254, 254, 'the helper built a 254-character address');
accepted(body(email => $e254), 'a 254-character address');
my $e255 = long_email(255);
is(length $e255, 255, 'the helper built a 255-character address');
invalid(body(email => $e255), 'email', 'a 255-character address');
invalid(body(email => ('a' x 300) . '@example.com'), 'email', 'a 312-character address');

# --- password --------------------------------------------------------------------------------

invalid(body(password => undef), 'password', 'a missing password');
invalid(body(password => ''), 'password', 'an empty password');
invalid(body(password => '1234567'), 'password', 'a 7-character password');
accepted(body(password => '12345678'), 'an 8-character password');
accepted(body(password => 'p' x 128), 'a 128-character password');
invalid(body(password => 'p' x 129), 'password', 'a 129-character password');
accepted(body(password => '비밀번호비밀번호'), 'an 8-character Korean password (characters, not bytes)');
invalid(body(password => '비밀번호'), 'password', 'a 4-character Korean password (12 bytes)');

# --- name ------------------------------------------------------------------------------------

invalid(body(name => undef), 'name', 'a missing name');
invalid(body(name => ''), 'name', 'an empty name');
invalid(body(name => "  \t "), 'name', 'a name of only whitespace');
my $trim = accepted(body(name => '  Lee Jiho  '), 'a name with surrounding spaces');
is($trim->{json}{user}{name}, 'Lee Jiho', 'the name is trimmed');
accepted(body(name => 'n' x 50), 'a 50-character name');
invalid(body(name => 'n' x 51), 'name', 'a 51-character name');
my $k50 = accepted(body(name => '가' x 50), 'a 50-character Korean name (150 bytes)');
is($k50->{json}{user}{name}, '가' x 50, 'the 50-character Korean name comes back intact');
invalid(body(name => '가' x 51), 'name', 'a 51-character Korean name');

# --- interests -------------------------------------------------------------------------------

invalid(body(interests => undef), 'interests', 'missing interests');
invalid(body(interests => []), 'interests', 'an empty interests array');
invalid(body(interests => ['no-such-interest']), 'interests', 'an unknown interest code');
invalid(body(interests => [qw(hiking no-such-interest)]), 'interests',
    'a known and an unknown interest code');
my @all = interest_codes();
my $ten = accepted(body(interests => [@all[0 .. 9]]), 'ten interests');
is_deeply([sort @{ $ten->{json}{user}{interests} || [] }], [sort @all[0 .. 9]],
    'all ten interests are kept');
invalid(body(interests => [@all[0 .. 10]]), 'interests', 'eleven interests');
invalid(body(interests => 'hiking'), 'interests', 'interests as a string');
invalid(body(interests => [1, 2]), 'interests', 'interests as numbers');
invalid(body(interests => [undef]), 'interests', 'interests containing null');
my $one = accepted(body(interests => ['free']), 'one interest');
is_deeply($one->{json}{user}{interests}, ['free'], 'the single interest is kept');

# --- region ----------------------------------------------------------------------------------

accepted(body(region => 'r' x 50), 'a 50-character region');
invalid(body(region => 'r' x 51), 'region', 'a 51-character region');
invalid(body(region => 5), 'region', 'a region that is a number');

# --- mbti ------------------------------------------------------------------------------------

for my $t (qw(INTJ intp EnFj esfp)) {
    my $r = accepted(body(mbti => $t), "mbti $t");
    is($r->{json}{user}{mbti}, uc $t, "mbti $t comes back as " . uc $t);
}
invalid(body(mbti => 'ABCD'), 'mbti', 'an mbti that is not a type');
invalid(body(mbti => 'INTJX'), 'mbti', 'a five-letter mbti');
invalid(body(mbti => ''), 'mbti', 'an empty mbti');
invalid(body(mbti => 1234), 'mbti', 'an mbti that is a number');

# --- profile_image ---------------------------------------------------------------------------

accepted(body(profile_image => 'http://img.example.com/a.jpg'), 'an http profile image');
my $url500 = 'https://img.example.com/' . ('p' x (500 - length 'https://img.example.com/'));
accepted(body(profile_image => $url500), 'a 500-character profile image URL');
invalid(body(profile_image => $url500 . 'p'), 'profile_image', 'a 501-character profile image URL');
invalid(body(profile_image => 'ftp://img.example.com/a.jpg'), 'profile_image', 'an ftp URL');
invalid(body(profile_image => 'javascript:alert(1)'), 'profile_image', 'a javascript: URL');
invalid(body(profile_image => 'not a url'), 'profile_image', 'a profile image that is not a URL');
invalid(body(profile_image => 'https://'), 'profile_image', 'a URL without host');

# --- several problems at once ----------------------------------------------------------------

my $all = api(POST => $SIGNUP, {});
error_is($all, 400, 'VALIDATION_FAILED', 'an empty object is 400 VALIDATION_FAILED');
is_deeply([sort grep { /^(?:email|password|name|interests)\z/ }
        keys %{ $all->{json}{error}{fields} || {} }],
    [qw(email interests name password)],
    'an empty object names every missing required field');

# --- nothing is half-created ------------------------------------------------------------------

my $ghost = new_email('ghost');
invalid(body(email => $ghost, interests => ['no-such-interest']), 'interests',
    'a refused signup');
my $ex = api(GET => '/api/v1/users/email-exists?' . query(email => $ghost));
ok($ex->{status} == 200 && $ex->{json} && !$ex->{json}{exists},
    'a refused signup leaves no account behind') or diag(dump_res($ex));
accepted(body(email => $ghost), 'the same address then signs up');

done_testing;
