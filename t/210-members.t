#!/usr/bin/perl
# The member service's endpoints, each happy path: join (201 `member`), the member list
# (owner, admins, then members in join order; cursor pages), role change, leave (204), and
# GET /users/me/communities (`community` cards); 401 without a token; unknown ids → 404;
# bad input → 400 naming the fields.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;

my $C = '/api/v1/communities';
my %u = map { $_ => signup(name => "멤버 $_") } qw(owner a b c d);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;
wait_profile($id{$_}) for keys %id;

my $c = member_community($tok{owner}, name => "회원 $$", max_members => 10);
my $cid = $c->{id};

# --- join ------------------------------------------------------------------------------------

my $r = join_community($cid, $tok{a});
res_is($r, 201, 'POST /communities/{id}/members answers 201');
my $m = $r->{json} || {};
is_deeply([sort keys %$m], [sort qw(member_id name profile_image role joined_at)],
    'the member has exactly the contract fields');
is($m->{member_id}, $id{a}, 'member_id is the caller');
is(json_type($r, 'member_id'), 'number', 'member_id is a number');
is($m->{name}, '멤버 a', 'name comes from the profile');
is($m->{role}, 'member', 'a joiner is a member');
ok(is_rfc3339_utc($m->{joined_at}), 'joined_at is RFC 3339 UTC');
error_is(join_community($cid, $tok{a}), 409, 'ALREADY_MEMBER', 'joining twice is 409 ALREADY_MEMBER');
error_is(join_community($cid, $tok{owner}), 409, 'ALREADY_MEMBER', 'the owner joining is 409 ALREADY_MEMBER');
res_is(join_community($cid, $tok{$_}), 201, "$_ joins") for qw(b c d);
error_is(api(POST => "$C/$cid/members"), 401, 'UNAUTHORIZED', 'join without a token is 401');

# --- list ------------------------------------------------------------------------------------

res_is(set_role($cid, $id{c}, 'admin', $tok{owner}), 200, 'the owner makes c an admin');
my $all = members_of($cid, $tok{a});
is_deeply([map { $_->{member_id} } @$all], [@id{qw(owner c a b d)}],
    'the list is owner, admins, then members in join order');
is_deeply([map { $_->{role} } @$all], [qw(owner admin member member member)], '… with their roles');
$r = api(GET => "$C/$cid/members?limit=2", undef, token => $tok{a});
res_is($r, 200, 'GET /members?limit=2 is 200');
is(scalar @{ $r->{json}{items} }, 2, '… with 2 items');
ok(defined $r->{json}{next_cursor}, '… and a next_cursor');
my @paged;
my $cursor;
for (1 .. 10) {
    my $q = defined $cursor ? '&' . query(cursor => $cursor) : '';
    my $p = api(GET => "$C/$cid/members?limit=2$q", undef, token => $tok{a});
    last unless $p->{status} == 200;
    push @paged, map { $_->{member_id} } @{ $p->{json}{items} };
    last unless defined($cursor = $p->{json}{next_cursor});
}
is_deeply(\@paged, [@id{qw(owner c a b d)}], 'pages of 2 give every member once, in order');
ok(exists $r->{json}{next_cursor}, 'the list has next_cursor');
$r = api(GET => "$C/$cid/members", undef, token => $tok{a});
is($r->{json}{next_cursor}, undef, 'the last page has next_cursor null');
error_is(api(GET => "$C/$cid/members"), 401, 'UNAUTHORIZED', 'the list without a token is 401');

# --- role change -----------------------------------------------------------------------------

$r = set_role($cid, $id{b}, 'admin', $tok{owner});
res_is($r, 200, 'PATCH /members/{member_id} by the owner is 200');
is($r->{json}{role}, 'admin', '… answering the member with the new role');
is($r->{json}{member_id}, $id{b}, '… the right member');
$r = set_role($cid, $id{b}, 'member', $tok{owner});
is($r->{json}{role}, 'member', 'back to member');
res_is(set_role($cid, $id{b}, 'member', $tok{owner}), 200, 'setting the same role again is 200');
error_is(set_role($cid, $id{owner}, 'member', $tok{owner}), 409, 'CONFLICT',
    "the owner's own role cannot change: 409 CONFLICT");

# --- users/me/communities --------------------------------------------------------------------

my $other = member_community($tok{owner}, name => "둘째 $$", max_members => 5);
res_is(join_community($other->{id}, $tok{a}), 201, 'a joins a second community');
$r = api(GET => '/api/v1/users/me/communities', undef, token => $tok{a});
res_is($r, 200, 'GET /users/me/communities is 200');
my @mine = @{ $r->{json}{items} || [] };
is_deeply([map { $_->{id} } @mine], [$other->{id}, $cid], "a's communities, newest join first");
is_deeply([sort keys %{ $mine[0] || {} }], [sort qw(id name description region interest
    max_members member_count owner_id is_private created_at)], 'each is a `community`');
is($mine[1]{member_count}, 5, 'member_count counts every member');
is($mine[1]{max_members}, 10, 'max_members is the community\'s');
is($mine[1]{owner_id}, $id{owner}, 'owner_id is the owner');
is($mine[0]{member_count}, 2, 'the second community has 2 members');
$r = api(GET => '/api/v1/users/me/communities?limit=1', undef, token => $tok{a});
is(scalar @{ $r->{json}{items} }, 1, 'limit=1 gives one');
my $r2 = api(GET => '/api/v1/users/me/communities?limit=1&' . query(cursor => $r->{json}{next_cursor}),
    undef, token => $tok{a});
is_deeply([map { $_->{id} } @{ $r2->{json}{items} }], [$cid], '… and its cursor the next one');
is($r2->{json}{next_cursor}, undef, '… which is the last');
my $own = my_communities($tok{owner});
is_deeply([sort map { $_->{id} } @$own], [sort $cid, $other->{id}], 'the owner has both');
error_is(api(GET => '/api/v1/users/me/communities'), 401, 'UNAUTHORIZED', 'without a token: 401');

# --- leave -----------------------------------------------------------------------------------

$r = leave_community($cid, $tok{d});
res_is($r, 204, 'DELETE /members/me is 204');
ok(!grep({ $_->{member_id} == $id{d} } @{ members_of($cid, $tok{a}) }), 'd is gone from the list');
res_is(leave_community($cid, $tok{d}), 204, 'leaving again is 204 (idempotent)');
error_is(leave_community($cid, $tok{owner}), 409, 'OWNER_CANNOT_LEAVE', 'the owner cannot leave');
is((grep { $_->{id} == $cid } @{ my_communities($tok{a}) })[0]{member_count}, 4,
    'member_count went down by one');
res_is(join_community($cid, $tok{d}), 201, 'd can join again');
error_is(api(DELETE => "$C/$cid/members/me"), 401, 'UNAUTHORIZED', 'leave without a token is 401');

# --- unknown ids -----------------------------------------------------------------------------

my $none = 999_999_999;
error_is(join_community($none, $tok{a}), 404, 'NOT_FOUND', 'join an unknown community: 404');
error_is(leave_community($none, $tok{a}), 404, 'NOT_FOUND', 'leave an unknown community: 404');
error_is(api(GET => "$C/$none/members", undef, token => $tok{a}), 404, 'NOT_FOUND',
    'members of an unknown community: 404');
error_is(set_role($none, $id{a}, 'admin', $tok{owner}), 404, 'NOT_FOUND', 'PATCH in an unknown community: 404');
error_is(set_role($cid, $none, 'admin', $tok{owner}), 404, 'NOT_FOUND', 'PATCH an unknown member: 404');
my $stranger = signup(name => 'stranger');
error_is(set_role($cid, $stranger->{user}{id}, 'admin', $tok{owner}), 404, 'NOT_FOUND',
    'PATCH a user who is no member: 404');
error_is(api(GET => "$C/abc/members", undef, token => $tok{a}), 404, 'NOT_FOUND',
    'a non-numeric community id: 404');

# --- bad input -------------------------------------------------------------------------------

for my $b ([{ role => 'owner' }, 'role owner'], [{ role => 'boss' }, 'role boss'],
    [{}, 'no role'], [{ role => 5 }, 'role as a number'], [{ role => undef }, 'role null']) {
    my ($body, $what) = @$b;
    my $res = api(PATCH => "$C/$cid/members/$id{a}", $body, token => $tok{owner});
    error_is($res, 400, 'VALIDATION_FAILED', "$what → 400 VALIDATION_FAILED");
    ok($res->{json}{error}{fields}{role}, '… naming the field role');
}
error_is(api(PATCH => "$C/$cid/members/$id{a}", undef, raw => '{"role":', token => $tok{owner}),
    400, 'INVALID_JSON', 'a broken body is 400 INVALID_JSON');
for my $q ('limit=0', 'limit=101', 'limit=x', 'cursor=nope') {
    my ($field) = $q =~ /^(\w+)/;
    my $res = api(GET => "$C/$cid/members?$q", undef, token => $tok{a});
    error_is($res, 400, 'VALIDATION_FAILED', "members?$q → 400");
    ok($res->{json}{error}{fields}{$field}, "… naming $field");
    $res = api(GET => "/api/v1/users/me/communities?$q", undef, token => $tok{a});
    error_is($res, 400, 'VALIDATION_FAILED', "users/me/communities?$q → 400");
}
my $mc = api(GET => '/api/v1/users/me/communities?limit=1', undef, token => $tok{a})->{json}{next_cursor};
error_is(api(GET => "$C/$cid/members?" . query(cursor => $mc), undef, token => $tok{a}), 400,
    'VALIDATION_FAILED', "another list's cursor is refused");

done_testing;
