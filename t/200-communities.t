#!/usr/bin/perl
# /api/v1/communities: create, read, list, edit and delete, each happy path; bad input → 400
# with fields; unknown ids → 404; 401 without a token where one is needed; each change
# leaves its v1.event.community-* in the service's outbox, written with the change.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Community;

my $C = '/api/v1/communities';
my $owner = signup(name => 'Owner Kim');
my $tok = $owner->{access_token};
my $uid = $owner->{user}{id};

# --- create ----------------------------------------------------------------------------------

my $body = community_body(name => '  북한산 등산 모임  ', description => '매주 토요일 북한산',
    region => '서울 강북구', interest => 'hiking', max_members => 30, is_private => JSON::PP::false);
my $r = api(POST => $C, $body, token => $tok);
res_is($r, 201, 'POST /communities answers 201');
my $c = $r->{json} || {};
is_deeply([sort keys %$c], [sort qw(id name description region interest max_members member_count
    owner_id is_private created_at)], 'the community has exactly the contract fields');
ok($c->{id} && $c->{id} =~ /\A\d+\z/ && json_type($r, 'id') eq 'number', 'id is a positive number');
is($c->{name}, '북한산 등산 모임', 'the name is trimmed');
is($c->{description}, '매주 토요일 북한산', 'description is kept');
is($c->{region}, '서울 강북구', 'region is kept');
is($c->{interest}, 'hiking', 'interest is kept');
is($c->{max_members}, 30, 'max_members is kept');
is($c->{member_count}, 1, 'member_count starts at 1 (the owner)');
is($c->{owner_id}, $uid, 'the creator is the owner');
is(json_type($r, 'is_private'), 'bool', 'is_private is a boolean');
ok(!$c->{is_private}, 'is_private is false');
ok(is_rfc3339_utc($c->{created_at}), 'created_at is RFC 3339 UTC');

my $p = create_community($tok, is_private => JSON::PP::true, description => undef);
ok($p->{is_private}, 'a private community can be created');
is($p->{description}, '', 'description defaults to empty');

error_is(api(POST => $C, community_body()), 401, 'UNAUTHORIZED', 'POST without a token is 401');

my ($owner_row) = community_sql("SELECT role FROM memberships WHERE community_id = $c->{id}"
    . " AND user_id = $uid");
is($owner_row && $owner_row->[0], 'owner', 'the owner is a member (owner) at once');

# --- bad input -------------------------------------------------------------------------------

my @bad = (
    [{ interest => 'knitting' }, 'interest', 'an unknown interest code'],
    [{ max_members => 1 }, 'max_members', 'max_members 1'],
    [{ max_members => 1001 }, 'max_members', 'max_members 1001'],
    [{ max_members => '10' }, 'max_members', 'max_members as a string'],
    [{ name => '가' x 51 }, 'name', 'a 51-character name'],
    [{ name => '   ' }, 'name', 'a blank name'],
    [{ name => undef }, 'name', 'no name'],
    [{ region => undef }, 'region', 'no region'],
    [{ region => 'r' x 51 }, 'region', 'a 51-character region'],
    [{ interest => undef }, 'interest', 'no interest'],
    [{ max_members => undef }, 'max_members', 'no max_members'],
    [{ description => 'd' x 2001 }, 'description', 'a 2001-character description'],
    [{ is_private => 'yes' }, 'is_private', 'is_private as a string'],
);
for my $b (@bad) {
    my ($over, $field, $what) = @$b;
    my $res = api(POST => $C, community_body(%$over), token => $tok);
    error_is($res, 400, 'VALIDATION_FAILED', "$what → 400 VALIDATION_FAILED");
    ok($res->{json}{error}{fields}{$field}, "… naming the field $field");
}
$r = api(POST => $C, community_body(name => '가' x 50, description => '설' x 2000, max_members => 1000),
    token => $tok);
res_is($r, 201, 'a 50-character name, 2000-character description and max_members 1000 are fine');
$r = api(POST => $C, { name => '', interest => 'nope', max_members => 0 }, token => $tok);
my $f = $r->{json}{error}{fields} || {};
ok($f->{name} && $f->{interest} && $f->{max_members} && $f->{region},
    'one 400 names every bad field at once');
error_is(api(POST => $C, undef, raw => '{"name":', token => $tok), 400, 'INVALID_JSON',
    'a broken body is 400 INVALID_JSON');

# --- read ------------------------------------------------------------------------------------

$r = api(GET => "$C/$c->{id}");
res_is($r, 200, 'GET /communities/{id} is public');
is_deeply($r->{json}, $c, '… and answers the community as created');
error_is(api(GET => "$C/999999999"), 404, 'NOT_FOUND', 'an unknown id is 404');
error_is(api(GET => "$C/abc"), 404, 'NOT_FOUND', 'a non-numeric id is 404');
error_is(api(GET => "$C/$c->{id}", undef, token => 'not.a.token'), 401, 'UNAUTHORIZED',
    'a bad token on a public read is 401, not silently anonymous');

# --- list ------------------------------------------------------------------------------------

$r = api(GET => "$C?limit=100");
res_is($r, 200, 'GET /communities is public');
is(json_type($r, 'items'), 'array', 'the list has items');
ok(exists $r->{json}{next_cursor}, 'the list has next_cursor');
my @ids = map { $_->{id} } @{ $r->{json}{items} || [] };
ok((grep { $_ == $c->{id} } @ids), 'the new community is listed');
is_deeply(\@ids, [sort { $b <=> $a } @ids], 'newest first');

# --- edit ------------------------------------------------------------------------------------

$r = api(PATCH => "$C/$c->{id}", { name => '북한산 등산 모임 2', max_members => 40 }, token => $tok);
res_is($r, 200, 'PATCH by the owner answers 200');
is($r->{json}{name}, '북한산 등산 모임 2', 'the name is changed');
is($r->{json}{max_members}, 40, 'max_members is changed');
is($r->{json}{description}, '매주 토요일 북한산', 'fields not given are kept');
is(api(GET => "$C/$c->{id}")->{json}{name}, '북한산 등산 모임 2', 'GET shows the change');
$r = api(PATCH => "$C/$c->{id}", { is_private => JSON::PP::true, interest => 'camping' }, token => $tok);
ok($r->{json}{is_private} && $r->{json}{interest} eq 'camping', 'is_private and interest change');
$r = api(PATCH => "$C/$c->{id}", {}, token => $tok);
res_is($r, 200, 'an empty PATCH answers 200 and changes nothing');
$r = api(PATCH => "$C/$c->{id}", { interest => 'knitting', max_members => 1 }, token => $tok);
error_is($r, 400, 'VALIDATION_FAILED', 'PATCH with bad fields is 400');
ok($r->{json}{error}{fields}{interest} && $r->{json}{error}{fields}{max_members}, '… naming them');
error_is(api(PATCH => "$C/999999999", { name => 'x' }, token => $tok), 404, 'NOT_FOUND',
    'PATCH of an unknown id is 404');
error_is(api(PATCH => "$C/$c->{id}", { name => 'x' }), 401, 'UNAUTHORIZED', 'PATCH without a token is 401');

# max_members below member_count: 409 CONFLICT (the state says no, not the input). The
# owner's own membership reaches member_count through events; once it has, nothing else
# writes the count, and the value set here stays.
settle_copies($c->{id});
community_sql("UPDATE communities SET member_count = 5 WHERE id = $c->{id}");
error_is(api(PATCH => "$C/$c->{id}", { max_members => 4 }, token => $tok), 409, 'CONFLICT',
    'max_members below the member_count is 409 CONFLICT');
res_is(api(PATCH => "$C/$c->{id}", { max_members => 5 }, token => $tok), 200,
    'max_members equal to the member_count is fine');

# --- events ----------------------------------------------------------------------------------

my @ev = community_sql("SELECT topic, msg_key, payload FROM outbox WHERE msg_key = '$c->{id}'"
    . ' ORDER BY id');
my @topics = map { $_->[0] } @ev;
is($topics[0], 'v1.event.community-created', 'create wrote v1.event.community-created');
is(scalar(grep { $_ eq 'v1.event.community-updated' } @topics), 3,
    'each non-empty PATCH wrote one v1.event.community-updated (the empty one none)');
my $env = eval { JSON::PP->new->decode($ev[0][2]) } || {};
is($env->{type}, 'community-created', 'the envelope has the type');
is($env->{source}, 'community', '… the source');
ok($env->{id} && $env->{occurred_at}, '… an id and occurred_at');
is($env->{data}{id}, $c->{id}, '… data is the community');
is($env->{data}{owner_id}, $uid, '… with its owner');
my $last = eval { JSON::PP->new->decode($ev[-1][2]) } || {};
is($last->{data}{max_members}, 5, 'the last update carries the new fields');
ok($last->{data}{version} > $env->{data}{version}, 'the version grows with each change');

# --- delete ----------------------------------------------------------------------------------

error_is(api(DELETE => "$C/$c->{id}"), 401, 'UNAUTHORIZED', 'DELETE without a token is 401');
$r = api(DELETE => "$C/$c->{id}", undef, token => $tok);
is($r->{status}, 204, 'DELETE by the owner answers 204');
error_is(api(GET => "$C/$c->{id}"), 404, 'NOT_FOUND', 'the deleted community is gone');
error_is(api(DELETE => "$C/$c->{id}", undef, token => $tok), 404, 'NOT_FOUND',
    'deleting it again is 404');
my @del = community_sql("SELECT payload FROM outbox WHERE msg_key = '$c->{id}'"
    . " AND topic = 'v1.event.community-deleted'");
is(scalar @del, 1, 'delete wrote v1.event.community-deleted');
my $d = eval { JSON::PP->new->decode($del[0][0]) } || {};
is($d->{data}{name}, '북한산 등산 모임 2', '… carrying the community as it was');
my ($left) = community_sql("SELECT COUNT(*) FROM memberships WHERE community_id = $c->{id}");
is($left->[0], 0, 'its memberships copy is gone');

done_testing();
