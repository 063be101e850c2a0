#!/usr/bin/perl
# Hostile and clumsy bodies against every JSON endpoint of the first slice: each gets a
# clear 4xx JSON error (never a 5xx, never a hang), and the services keep answering.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $acct = signup(name => 'Bad Input Tester');
my $tok = $acct->{access_token};

# Every JSON-taking endpoint, with a token where one is needed.
my @EP = (
    [POST  => '/api/v1/auth/signup',  undef],
    [POST  => '/api/v1/auth/login',   undef],
    [POST  => '/api/v1/auth/refresh', undef],
    [POST  => '/api/v1/auth/logout',  $tok],
    [PATCH => '/api/v1/users/me',     $tok],
);

sub send_raw {
    my ($ep, $raw, %opt) = @_;
    my ($m, $p, $t) = @$ep;
    return api($m => $p, undef, raw => $raw, (defined $t ? (token => $t) : ()), %opt);
}

sub valid_signup {
    my (%over) = @_;
    my %b = (email => new_email('bad'), password => 'long enough pw', name => 'Input Tester',
        interests => ['games']);
    @b{ keys %over } = values %over;
    return \%b;
}

# --- malformed JSON --------------------------------------------------------------------------

my @malformed = (
    ['{',                          'an unclosed object'],
    ['{"email":',                  'a truncated body'],
    ["{'email':'a\@example.com'}", 'single quotes'],
    ['{email:"a@example.com"}',    'unquoted keys'],
    ['{"a":1,}',                   'a trailing comma'],
    ['{"a":1} x',                  'trailing garbage'],
    ['{}{}',                       'two objects'],
    ['{"a":01}',                   'a number with a leading zero'],
    ['{"a":NaN}',                  'NaN'],
    ["{\"a\":\"\x01\"}",             'a raw control character in a string'],
    ['{"a":"\\x41"}',              'an invalid escape'],
    ['{"a":"\\u12"}',              'a short \\u escape'],
    ['',                           'an empty body'],
    ['   ',                        'a body of spaces'],
    ["{\"name\":\"\xff\xfe\"}",    'invalid UTF-8 bytes'],
    ["{\"name\":\"\xc0\xaf\"}",    'an overlong UTF-8 encoding'],
    ["{\"name\":\"\xed\xa0\x80\"}", 'a UTF-8-encoded surrogate'],
);
for my $ep (@EP) {
    for my $case (@malformed) {
        error_is(send_raw($ep, $case->[0]), 400, 'INVALID_JSON',
            "$ep->[0] $ep->[1] with $case->[1] is 400 INVALID_JSON");
    }
}

# --- valid JSON of the wrong shape: the body must be an object ---------------------------------

for my $ep (@EP) {
    for my $case (['[]', 'an array'], ['"text"', 'a string'], ['42', 'a number'],
            ['null', 'null'], ['true', 'true'], ['[{"email":"a@example.com"}]', 'an array of objects']) {
        error_is(send_raw($ep, $case->[0]), 400, 'INVALID_JSON',
            "$ep->[0] $ep->[1] with $case->[1] instead of an object is 400 INVALID_JSON");
    }
}

# --- deep nesting --------------------------------------------------------------------------------

for my $depth (1000, 100_000) {
    my $deep = ('[' x $depth) . (']' x $depth);
    my $r = api(POST => '/api/v1/auth/signup', undef,
        raw => '{"email":"deep@example.com","region":' . $deep . '}');
    error_is($r, 400, [qw(INVALID_JSON VALIDATION_FAILED)],
        "signup with arrays nested $depth deep is 400, not a crash");
    my $o = ('{"a":' x $depth) . '1' . ('}' x $depth);
    $r = api(PATCH => '/api/v1/users/me', undef, raw => $o, token => $tok);
    error_is($r, 400, [qw(INVALID_JSON VALIDATION_FAILED)],
        "PATCH with objects nested $depth deep is 400, not a crash");
}
res_is(api(GET => '/api/v1/users/me', undef, token => $tok), 200,
    'the user service still answers after the deep nesting');

# --- Content-Type ----------------------------------------------------------------------------

my $good = JSON::PP->new->utf8->encode(valid_signup());
for my $ct ('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
        'application/xml', 'application/jsonx', 'text/json') {
    error_is(api(POST => '/api/v1/auth/signup', undef, raw => $good, content_type => $ct),
        415, 'UNSUPPORTED_MEDIA_TYPE', "signup with Content-Type $ct is 415");
}
error_is(api(PATCH => '/api/v1/users/me', undef, raw => '{"name":"X"}', content_type => 'text/plain',
        token => $tok), 415, 'UNSUPPORTED_MEDIA_TYPE', 'PATCH with Content-Type text/plain is 415');
error_is(api(POST => '/api/v1/auth/login', undef,
        raw => 'email=a%40example.com&password=12345678',
        content_type => 'application/x-www-form-urlencoded'),
    415, 'UNSUPPORTED_MEDIA_TYPE', 'a form-encoded login is 415');

res_is(api(POST => '/api/v1/auth/signup', valid_signup(), content_type => undef), 201,
    'signup without a Content-Type is taken as JSON');
res_is(api(POST => '/api/v1/auth/signup', valid_signup(), content_type => 'application/json; charset=utf-8'),
    201, 'signup with application/json; charset=utf-8 is accepted');
res_is(api(POST => '/api/v1/auth/signup', valid_signup(), content_type => 'application/json;charset=UTF-8'),
    201, 'signup with application/json;charset=UTF-8 is accepted');

# --- wrong types ---------------------------------------------------------------------------------

sub field_error {
    my ($res, $field, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    error_is($res, 400, 'VALIDATION_FAILED', "$name: 400 VALIDATION_FAILED");
    ok(defined((($res->{json} || {})->{error}{fields} || {})->{$field}),
        "$name: fields.$field") or diag(dump_res($res));
}

my %wrong = (
    email     => [123, JSON::PP::true, ['a@example.com'], { a => 1 }],
    password  => [12345678, JSON::PP::false, ['12345678'], { p => '12345678' }],
    name      => [7, JSON::PP::true, ['Name'], { first => 'N' }],
    interests => ['hiking', 3, { hiking => 1 }, [['hiking']], [{ code => 'hiking' }]],
    region    => [5, JSON::PP::false, ['Seoul']],
    mbti      => [1, ['INTJ'], JSON::PP::true],
    profile_image => [1, ['https://img.example.com/a.png'], JSON::PP::true],
);
for my $field (sort keys %wrong) {
    for my $v (@{ $wrong{$field} }) {
        my $desc = JSON::PP->new->canonical->allow_nonref->encode($v);
        field_error(api(POST => '/api/v1/auth/signup', valid_signup($field => $v)), $field,
            "signup with $field = $desc");
    }
}

# Numbers as strings are not numbers, and strings that look like numbers stay strings.
my $numname = api(POST => '/api/v1/auth/signup', valid_signup(name => '12345'));
res_is($numname, 201, 'a name that looks like a number is accepted');
is(json_type($numname, 'user', 'name'), 'string', '... and comes back as a JSON string');

# --- huge strings ------------------------------------------------------------------------------

my $t0 = time;
field_error(api(POST => '/api/v1/auth/signup', valid_signup(name => 'n' x 500_000)), 'name',
    'a 500 kB name');
field_error(api(POST => '/api/v1/auth/signup', valid_signup(password => 'p' x 500_000)), 'password',
    'a 500 kB password');
my $hugelogin = api(POST => '/api/v1/auth/login', { email => $acct->{email}, password => 'p' x 500_000 });
ok($hugelogin->{status} == 400 || $hugelogin->{status} == 401, 'a login with a 500 kB password is 400 or 401')
    or diag(dump_res($hugelogin));
field_error(api(POST => '/api/v1/auth/signup', valid_signup(interests => [('hiking') x 50_000])),
    'interests', '50000 interests');
field_error(api(PATCH => '/api/v1/users/me', { region => 'r' x 500_000 }, token => $tok), 'region',
    'a PATCH with a 500 kB region');
cmp_ok(time - $t0, '<', 20, 'the huge inputs were refused quickly (no hashing of huge passwords)');

# --- strange but valid strings -------------------------------------------------------------------

my $emoji = api(POST => '/api/v1/auth/signup', undef,
    raw => '{"email":"' . new_email('emoji') . '","password":"long enough pw",'
        . '"name":"\ud83d\ude00 \u00e9\u4e2d","interests":["games"]}');
res_is($emoji, 201, 'a name with \\u escapes and a surrogate pair is accepted');
is($emoji->{json}{user}{name}, "\x{1F600} \x{e9}\x{4e2d}", 'the escapes are decoded to the right characters');

my $lone = api(POST => '/api/v1/auth/signup', undef,
    raw => '{"email":"' . new_email('lone') . '","password":"long enough pw",'
        . '"name":"bad \ud800 surrogate","interests":["games"]}');
error_is($lone, 400, [qw(INVALID_JSON VALIDATION_FAILED)], 'a lone surrogate escape is 400');

my $nul = api(POST => '/api/v1/auth/signup', valid_signup(name => "Kim\0Evil"));
field_error($nul, 'name', 'a name containing NUL');

my $quote = api(POST => '/api/v1/auth/signup',
    valid_signup(name => q{O'Brien "Bobby"; DROP TABLE users; --}, region => q{<script>alert(1)</script>}));
res_is($quote, 201, 'a name with quotes and SQL is stored as text');
is($quote->{json}{user}{name}, q{O'Brien "Bobby"; DROP TABLE users; --}, 'the quoted name comes back verbatim');
is($quote->{json}{user}{region}, q{<script>alert(1)</script>}, 'the region with markup comes back verbatim');

my $inj = api(POST => '/api/v1/auth/login', { email => q{' OR '1'='1' -- @example.com}, password => q{' OR '1'='1} });
ok($inj->{status} == 400 || $inj->{status} == 401, 'an SQL-injection login is 400 or 401')
    or diag(dump_res($inj));

my $dup = api(POST => '/api/v1/auth/signup', undef,
    raw => '{"email":"' . new_email('dup') . '","password":"long enough pw","name":"A","name":"B",'
        . '"interests":["games"]}');
ok($dup->{status} == 201 || $dup->{status} == 400, 'duplicate keys answer 201 or 400, never 5xx')
    or diag(dump_res($dup));

# --- no body at all ----------------------------------------------------------------------------

for my $ep (@EP) {
    my ($m, $p, $t) = @$ep;
    my $r = api($m => $p, undef, (defined $t ? (token => $t) : ()));
    error_is($r, 400, [qw(INVALID_JSON VALIDATION_FAILED)], "$m $p without a body is 400");
}

# --- still alive -----------------------------------------------------------------------------------

res_is(api(GET => '/api/v1/interests'), 200, 'the service still answers after all of it');
my $after = signup(name => 'After The Storm');
res_is(api(GET => '/api/v1/users/me', undef, token => $after->{access_token}), 200,
    'signup and /users/me still work after all of it');

done_testing;
