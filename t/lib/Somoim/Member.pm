# Somoim::Member — helpers for the member service tests (t/21x-*.t).
#
# The one design decision: these tests go through the real event path. A community is
# created at the community service and used here only once somoim-member-events has copied
# it (community service → outbox → relay → Kafka → member-events), and a new user's name is
# awaited in copy_profiles the same way; nothing is seeded behind the services' backs.

package Somoim::Member;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(member_community wait_known wait_profile members_of my_communities
    join_community leave_community set_role);

use Somoim::Test;
use Somoim::Community;
use Somoim::Kafka qw(member_sql);

my $C = '/api/v1/communities';

# wait_known($community_id) → true once the member service has its copy (≤ 10 s).
sub wait_known {
    my ($cid) = @_;
    return wait_until(30, sub {
        my @r = member_sql(sprintf 'SELECT 1 FROM communities WHERE id = %d', $cid);
        return scalar @r;
    });
}

# wait_profile($user_id) → true once copy_profiles has the user (≤ 10 s).
sub wait_profile {
    my ($uid) = @_;
    return wait_until(30, sub {
        my @r = member_sql(sprintf 'SELECT 1 FROM copy_profiles WHERE user_id = %d', $uid);
        return scalar @r;
    });
}

# member_community($token, %over) → the community, once the member service knows it (dies
# when it does not within 10 s).
sub member_community {
    my ($token, %over) = @_;
    my $c = create_community($token, %over);
    wait_known($c->{id}) or croak "community $c->{id} did not reach the member service in 10 s";
    return $c;
}

sub join_community { my ($cid, $tok) = @_; return api(POST => "$C/$cid/members", undef, token => $tok) }
sub leave_community { my ($cid, $tok) = @_; return api(DELETE => "$C/$cid/members/me", undef, token => $tok) }
sub set_role {
    my ($cid, $uid, $role, $tok) = @_;
    return api(PATCH => "$C/$cid/members/$uid", { role => $role }, token => $tok);
}

# members_of($cid, $token) → every member (follows the cursors), or undef unless 200.
sub members_of {
    my ($cid, $tok) = @_;
    my (@all, $cursor);
    for (1 .. 100) {
        my $q = defined $cursor ? '&' . query(cursor => $cursor) : '';
        my $r = api(GET => "$C/$cid/members?limit=100$q", undef, token => $tok);
        return undef unless $r->{status} == 200;
        push @all, @{ $r->{json}{items} };
        $cursor = $r->{json}{next_cursor};
        last unless defined $cursor;
    }
    return \@all;
}

# my_communities($token) → the caller's communities (first page of 100), or undef.
sub my_communities {
    my ($tok) = @_;
    my $r = api(GET => '/api/v1/users/me/communities?limit=100', undef, token => $tok);
    return $r->{status} == 200 ? $r->{json}{items} : undef;
}

1;
