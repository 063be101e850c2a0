#!/usr/bin/perl
# /api/v1/users: the caller's own profile (GET and PATCH /users/me), someone else's public
# profile (GET /users/{id}) and the public email-exists check.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $ME = '/api/v1/users/me';

my $acct = signup(
    name          => 'Park Seoyeon',
    interests     => [qw(running books)],
    region        => 'Busan',
    mbti          => 'ISTJ',
    profile_image => 'https://img.example.com/seoyeon.png',
);
my $tok = $acct->{access_token};

sub me    { return api(GET => $ME, undef, token => $tok) }
sub patch { return api(PATCH => $ME, $_[0], token => $tok) }

# --- GET /users/me ---------------------------------------------------------------------------

my $g = me();
res_is($g, 200, 'GET /users/me answers 200');
is_deeply($g->{json}, $acct->{user}, 'GET /users/me is the user signup returned');
for my $k (qw(id email name region mbti profile_image interests created_at)) {
    ok(exists $g->{json}{$k}, "the user has $k");
}
ok(!grep({ /pass|hash|salt/i } keys %{ $g->{json} || {} }), 'the user exposes nothing password-like');
error_is(api(GET => $ME), 401, 'UNAUTHORIZED', 'GET /users/me without a token is 401');

# --- PATCH /users/me -------------------------------------------------------------------------

my $p = patch({ name => 'Park Seoyeon 2' });
res_is($p, 200, 'PATCH name answers 200');
is($p->{json}{name}, 'Park Seoyeon 2', 'PATCH returns the new name');
is($p->{json}{region}, 'Busan', 'PATCH of the name leaves region alone');
is(me()->{json}{name}, 'Park Seoyeon 2', 'GET after PATCH shows the new name');

my $before = me()->{json};
my $empty = patch({});
res_is($empty, 200, 'PATCH with an empty object answers 200');
is_deeply($empty->{json}, $before, 'PATCH with an empty object changes nothing');

$p = patch({ name => '  Trimmed Name  ' });
is($p->{json}{name}, 'Trimmed Name', 'a patched name is trimmed');

$p = patch({ region => 'Seoul', mbti => 'entp', profile_image => 'http://img.example.com/2.jpg' });
res_is($p, 200, 'PATCH region, mbti and profile_image together answers 200');
is($p->{json}{region}, 'Seoul', 'region is changed');
is($p->{json}{mbti}, 'ENTP', 'mbti is changed and upper-cased');
is($p->{json}{profile_image}, 'http://img.example.com/2.jpg', 'profile_image is changed');

$p = patch({ interests => [qw(cooking pets wine)] });
res_is($p, 200, 'PATCH interests answers 200');
is_deeply([sort @{ $p->{json}{interests} || [] }], [qw(cooking pets wine)],
    'interests are replaced, not merged');
is_deeply([sort @{ me()->{json}{interests} || [] }], [qw(cooking pets wine)],
    'GET after PATCH shows the new interests');

$p = patch({ region => undef });
res_is($p, 200, 'PATCH region null answers 200');
is(json_type($p, 'region'), 'null', 'region null clears the region');
$p = patch({ mbti => undef });
is(json_type($p, 'mbti'), 'null', 'mbti null clears the mbti');
$p = patch({ profile_image => undef });
is(json_type($p, 'profile_image'), 'null', 'profile_image null clears the image');
my $cleared = me();
ok(json_type($cleared, 'region') eq 'null' && json_type($cleared, 'mbti') eq 'null'
        && json_type($cleared, 'profile_image') eq 'null',
    'GET after clearing shows the three as null');

# Unknown and read-only fields are ignored.
my $id = $acct->{user}{id};
$before = me()->{json};
$p = patch({ email => new_email('steal'), id => $id + 1000, created_at => '2000-01-01T00:00:00Z',
        password => 'new-password-123', favourite_colour => 'blue' });
res_is($p, 200, 'PATCH with only unknown/read-only fields answers 200');
is_deeply($p->{json}, $before, 'unknown and read-only fields are ignored');
res_is(login($acct->{email}, $acct->{password}), 200, 'PATCH cannot change the password');

# --- PATCH refused ---------------------------------------------------------------------------

sub invalid {
    my ($body, $field, $name) = @_;
    my $r = patch($body);
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    error_is($r, 400, 'VALIDATION_FAILED', "$name: 400 VALIDATION_FAILED");
    ok(ref $r->{json} eq 'HASH' && defined(($r->{json}{error}{fields} || {})->{$field}),
        "$name: fields.$field explains why") or diag(dump_res($r));
}

$before = me()->{json};
invalid({ name => undef }, 'name', 'name null');
invalid({ name => '' }, 'name', 'an empty name');
invalid({ name => '   ' }, 'name', 'a blank name');
invalid({ name => 'n' x 51 }, 'name', 'a 51-character name');
invalid({ name => 42 }, 'name', 'a numeric name');
invalid({ name => ['a'] }, 'name', 'a name that is an array');
invalid({ interests => [] }, 'interests', 'empty interests');
invalid({ interests => undef }, 'interests', 'interests null');
invalid({ interests => ['no-such-interest'] }, 'interests', 'an unknown interest');
invalid({ interests => [(interest_codes())[0 .. 10]] }, 'interests', 'eleven interests');
invalid({ interests => 'hiking' }, 'interests', 'interests as a string');
invalid({ region => 5 }, 'region', 'a numeric region');
invalid({ region => 'r' x 51 }, 'region', 'a 51-character region');
invalid({ mbti => 'XXXX' }, 'mbti', 'an unknown mbti');
invalid({ mbti => ['INTJ'] }, 'mbti', 'an mbti that is an array');
invalid({ profile_image => 'ftp://x.example.com/a.png' }, 'profile_image', 'an ftp image');
invalid({ profile_image => { url => 'https://x.example.com' } }, 'profile_image',
    'an image that is an object');
invalid({ name => 'Fine Name', interests => [] }, 'interests',
    'a good name together with bad interests');
is_deeply(me()->{json}, $before, 'the refused PATCHes changed nothing (not even the good name)');

error_is(api(PATCH => $ME, { name => 'X' }), 401, 'UNAUTHORIZED', 'PATCH without a token is 401');
error_is(api(PATCH => $ME, [{ name => 'X' }], token => $tok), 400, 'INVALID_JSON',
    'PATCH with an array body is 400 INVALID_JSON (the body must be an object)');

# --- GET /users/{id} -------------------------------------------------------------------------

my $viewer = signup(name => 'Viewer');
my $pub_full = patch({ name => 'Public Name', region => 'Incheon',
        profile_image => 'https://img.example.com/pub.png', interests => [qw(photo travel)] });
res_is($pub_full, 200, 'set up a public profile');

my $pub = api(GET => "/api/v1/users/$id", undef, token => $viewer->{access_token});
res_is($pub, 200, 'GET /users/{id} of another user answers 200');
my $pj = $pub->{json} || {};
is($pj->{id}, $id, 'the public profile has the id');
is(json_type($pub, 'id'), 'number', 'the public id is a JSON number');
is($pj->{name}, 'Public Name', 'the public profile has the name');
is($pj->{region}, 'Incheon', 'the public profile has the region');
is($pj->{profile_image}, 'https://img.example.com/pub.png', 'the public profile has the image');
is_deeply([sort @{ $pj->{interests} || [] }], [qw(photo travel)], 'the public profile has the interests');
ok(!exists $pj->{email}, 'the public profile has no email');
unlike($pub->{content}, qr/\Q$acct->{email}\E/i, 'the address appears nowhere in the public profile');
ok(!grep({ /pass|hash|salt/i } keys %$pj), 'the public profile exposes nothing password-like');

res_is(api(GET => "/api/v1/users/$id", undef, token => $tok), 200, 'a user may view their own public profile');

for my $bad ('999999999', '0', '-1', 'abc', '1abc', '99999999999999999999999', '1.5', '%20') {
    error_is(api(GET => "/api/v1/users/$bad", undef, token => $tok), 404, 'NOT_FOUND',
        "GET /users/$bad is 404 NOT_FOUND");
}
error_is(api(GET => "/api/v1/users/$id/extra", undef, token => $tok), 404, 'NOT_FOUND',
    'GET /users/{id}/extra is 404 NOT_FOUND');

# --- email-exists ----------------------------------------------------------------------------

my $EX = '/api/v1/users/email-exists';
my $ex = api(GET => "$EX?" . query(email => $acct->{email}));
res_is($ex, 200, 'email-exists answers 200 without a token');
is(json_type($ex, 'exists'), 'bool', 'exists is a JSON boolean');
ok($ex->{json}{exists}, 'a registered address exists');
ok(api(GET => "$EX?" . query(email => uc $acct->{email}))->{json}{exists},
    'a registered address in upper case exists');
my $nx = api(GET => "$EX?" . query(email => new_email('never')));
res_is($nx, 200, 'email-exists for a new address answers 200');
ok(JSON::PP::is_bool($nx->{json}{exists}) && !$nx->{json}{exists}, 'an unregistered address does not exist');

my $plus = new_email('exists');
$plus =~ s/@/+box@/;
signup(email => $plus);
ok(api(GET => "$EX?" . query(email => $plus))->{json}{exists},
    'an address with + (sent as %2B) exists');
(my $plus_other = $plus) =~ s/\+box@/+other@/;
ok(!api(GET => "$EX?" . query(email => $plus_other))->{json}{exists},
    'another +tag of that address does not');

for my $case (['', 'an empty email'], ['not-an-address', 'an invalid email'],
        [q{' OR '1'='1}, 'an SQL-looking email']) {
    my $r = api(GET => "$EX?" . query(email => $case->[0]));
    error_is($r, 400, 'VALIDATION_FAILED', "email-exists with $case->[1] is 400");
    ok(defined(($r->{json}{error}{fields} || {})->{email}), "email-exists with $case->[1] names fields.email")
        or diag(dump_res($r));
}
my $noq = api(GET => $EX);
error_is($noq, 400, 'VALIDATION_FAILED', 'email-exists without email is 400');
ok(defined(($noq->{json}{error}{fields} || {})->{email}), 'email-exists without email names fields.email')
    or diag(dump_res($noq));
res_is(api(GET => "$EX?" . query(email => $acct->{email}), undef, token => $tok), 200,
    'email-exists also answers with a token');

done_testing;
