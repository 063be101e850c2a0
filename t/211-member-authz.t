#!/usr/bin/perl
# Who may do what in the member service, for stranger, member, admin and owner: the member
# list of a public community (everyone signed in) and of a private one (members only, 403
# otherwise), role changes (the owner only, 403 otherwise), leaving (everyone but the owner)
# and joining (a stranger may, the others are members already).

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;

my %u = map { $_ => signup(name => $_) } qw(owner admin member stranger target);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;

for my $private (0, 1) {
    my $kind = $private ? 'private' : 'public';
    my $c = member_community($tok{owner}, name => "권한 $kind $$",
        is_private => $private ? JSON::PP::true : JSON::PP::false);
    my $cid = $c->{id};
    res_is(join_community($cid, $tok{$_}), 201, "$kind: $_ joins") for qw(admin member target);
    res_is(set_role($cid, $id{admin}, 'admin', $tok{owner}), 200, "$kind: the owner makes an admin");

    # The member list.
    for my $who (qw(owner admin member stranger)) {
        my $r = Somoim::Test::api(GET => "/api/v1/communities/$cid/members", undef, token => $tok{$who});
        if ($private && $who eq 'stranger') {
            error_is($r, 403, 'FORBIDDEN', "$kind: the list for a stranger is 403 FORBIDDEN");
        } else {
            res_is($r, 200, "$kind: the list for the $who is 200");
            is(scalar @{ $r->{json}{items} }, 4, "$kind: … with 4 members");
        }
    }

    # Role changes: only the owner.
    for my $who (qw(stranger member admin)) {
        error_is(set_role($cid, $id{target}, 'admin', $tok{$who}), 403, 'FORBIDDEN',
            "$kind: a role change by the $who is 403 FORBIDDEN");
    }
    error_is(set_role($cid, $id{owner}, 'member', $tok{admin}), 403, 'FORBIDDEN',
        "$kind: an admin demoting the owner is 403");
    my ($t) = grep { $_->{member_id} == $id{target} } @{ members_of($cid, $tok{owner}) };
    is($t->{role}, 'member', "$kind: refused role changes changed nothing");
    res_is(set_role($cid, $id{target}, 'admin', $tok{owner}), 200, "$kind: the owner's role change is 200");
    error_is(set_role($cid, $id{owner}, 'admin', $tok{owner}), 409, 'CONFLICT',
        "$kind: the owner's own role cannot change");

    # Joining.
    error_is(join_community($cid, $tok{$_}), 409, 'ALREADY_MEMBER', "$kind: the $_ joining is 409")
        for qw(owner admin member);

    # Leaving.
    error_is(leave_community($cid, $tok{owner}), 409, 'OWNER_CANNOT_LEAVE', "$kind: the owner cannot leave");
    res_is(leave_community($cid, $tok{$_}), 204, "$kind: the $_ leaves: 204") for qw(admin member);
    res_is(leave_community($cid, $tok{stranger}), 204, "$kind: a stranger leaving is 204 (nothing to do)");
    is_deeply([sort { $a <=> $b } map { $_->{member_id} } @{ members_of($cid, $tok{owner}) }],
        [sort { $a <=> $b } @id{qw(owner target)}], "$kind: owner and target remain");
    if ($private) {
        error_is(Somoim::Test::api(GET => "/api/v1/communities/$cid/members", undef,
            token => $tok{member}), 403, 'FORBIDDEN', 'private: a member who left no longer sees the list');
    }
    res_is(join_community($cid, $tok{stranger}), 201, "$kind: a stranger may join");
    ok(grep({ $_->{id} == $cid } @{ my_communities($tok{stranger}) }),
        "$kind: … and finds it under users/me/communities");
    ok(!grep({ $_->{id} == $cid } @{ my_communities($tok{member}) }),
        "$kind: the one who left does not");
}

done_testing;
