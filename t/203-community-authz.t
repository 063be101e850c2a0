#!/usr/bin/perl
# Who may do what: PATCH (owner, admin) and DELETE (owner) against stranger, member, admin
# and owner; private communities show outsiders only {id, name, interest, region,
# member_count, is_private}; recommendations follow the caller's interests, most members
# first, without the caller's own communities. Roles and interests are seeded through the
# admin socket, as the member and user services' events will write them.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Community;

my $C = '/api/v1/communities';
my %u = map { $_ => signup(name => $_) } qw(owner admin member stranger);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;

my $c = create_community($tok{owner}, name => "권한 $$");
set_member($c->{id}, $id{admin}, 'admin');
set_member($c->{id}, $id{member}, 'member');

# --- PATCH -----------------------------------------------------------------------------------

my %patch = (stranger => 403, member => 403, admin => 200, owner => 200);
for my $who (qw(stranger member admin owner)) {
    my $r = api(PATCH => "$C/$c->{id}", { description => "by $who" }, token => $tok{$who});
    if ($patch{$who} == 200) {
        res_is($r, 200, "PATCH by the $who is 200");
        is($r->{json}{description}, "by $who", "… and changes it");
    } else {
        error_is($r, 403, 'FORBIDDEN', "PATCH by a $who is 403 FORBIDDEN");
    }
}
is(api(GET => "$C/$c->{id}")->{json}{description}, 'by owner', 'refused PATCHes changed nothing');

# --- DELETE ----------------------------------------------------------------------------------

for my $who (qw(stranger member admin)) {
    error_is(api(DELETE => "$C/$c->{id}", undef, token => $tok{$who}), 403, 'FORBIDDEN',
        "DELETE by a $who is 403 FORBIDDEN");
}
res_is(api(GET => "$C/$c->{id}"), 200, 'the community survives refused DELETEs');
is(api(DELETE => "$C/$c->{id}", undef, token => $tok{owner})->{status}, 204, 'DELETE by the owner is 204');
error_is(api(DELETE => '/api/v1/communities/999999999', undef, token => $tok{owner}), 404,
    'NOT_FOUND', 'DELETE of an unknown id is 404');

# --- private visibility ----------------------------------------------------------------------

my $p = create_community($tok{owner}, name => "비공개 $$", description => '회원만', is_private => JSON::PP::true);
set_member($p->{id}, $id{member}, 'member');
my @outsider = sort qw(id name interest region member_count is_private);
for my $case (['anonymous', undef], ['stranger', $tok{stranger}]) {
    my ($who, $t) = @$case;
    my $r = api(GET => "$C/$p->{id}", undef, defined $t ? (token => $t) : ());
    res_is($r, 200, "a private community answers 200 to a $who");
    is_deeply([sort keys %{ $r->{json} || {} }], \@outsider,
        "… with only id, name, interest, region, member_count, is_private");
    ok($r->{json}{is_private}, '… and says it is private');
}
for my $who (qw(member owner)) {
    my $r = api(GET => "$C/$p->{id}", undef, token => $tok{$who});
    is_deeply($r->{json}, $p, "the $who sees the whole private community");
}
my $listed = (grep { $_->{id} == $p->{id} }
    @{ api(GET => "$C?" . query(q => "비공개 $$"), undef, token => $tok{member})->{json}{items} || [] })[0];
ok($listed && exists $listed->{description}, 'a member sees the whole card in lists too');
$listed = (grep { $_->{id} == $p->{id} }
    @{ api(GET => "$C?" . query(q => "비공개 $$"))->{json}{items} || [] })[0];
ok($listed && !exists $listed->{description}, 'an outsider sees the outsider card in lists');

# --- recommended -----------------------------------------------------------------------------

my $reader = signup(name => 'reader');
my $rid = $reader->{user}{id};
my $rt = $reader->{access_token};
my $maker = $tok{owner};
my $tag = "추천 $$";
my $small = create_community($maker, name => "$tag small", interest => 'photo');
my $big = create_community($maker, name => "$tag big", interest => 'photo');
my $mid = create_community($maker, name => "$tag mid", interest => 'pets');
my $mine = create_community($maker, name => "$tag mine", interest => 'photo');
my $other = create_community($maker, name => "$tag other", interest => 'cars');
my $own = create_community($rt, name => "$tag own", interest => 'photo');
settle_copies($small->{id}, $big->{id}, $mid->{id});
community_sql("UPDATE communities SET member_count = 50 WHERE id = $big->{id}");
community_sql("UPDATE communities SET member_count = 10 WHERE id = $mid->{id}");
set_member($mine->{id}, $rid, 'member');
set_interests($rid, qw(photo pets));

my $r = api(GET => "$C/recommended?limit=100", undef, token => $rt);
res_is($r, 200, 'GET /communities/recommended answers 200');
my @rec = grep { /\Q$tag\E/ } map { $_->{name} } @{ $r->{json}{items} || [] };
is_deeply(\@rec, ["$tag big", "$tag mid", "$tag small"],
    "the caller's interests only, most members first, not ones they belong to or own");
ok(exists $r->{json}{next_cursor}, 'it is a list with next_cursor');
my $first = api(GET => "$C/recommended?limit=1", undef, token => $rt);
my $second = api(GET => "$C/recommended?" . query(limit => 1, cursor => $first->{json}{next_cursor}),
    undef, token => $rt);
res_is($second, 200, 'the next page of recommendations answers 200');
isnt($second->{json}{items}[0]{id}, $first->{json}{items}[0]{id}, '… with the next community');

community_sql("UPDATE communities SET member_count = 10, updated_at = NOW(3) + INTERVAL 1 SECOND"
    . " WHERE id = $small->{id}");
$r = api(GET => "$C/recommended?limit=100", undef, token => $rt);
@rec = grep { /\Q$tag\E/ } map { $_->{name} } @{ $r->{json}{items} || [] };
is_deeply(\@rec, ["$tag big", "$tag small", "$tag mid"], 'equal member counts: most recent activity first');

set_interests($rid);
$r = api(GET => "$C/recommended", undef, token => $rt);
is_deeply($r->{json}{items}, [], 'no interests, no recommendations');
error_is(api(GET => "$C/recommended"), 401, 'UNAUTHORIZED', 'recommended without a token is 401');
error_is(api(GET => "$C/recommended?limit=500", undef, token => $rt), 400, 'VALIDATION_FAILED',
    'recommended with limit=500 is 400');

done_testing();
