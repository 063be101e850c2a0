# Somoim::Community — helpers for the community tests (t/20x-*.t).
#
# The one design decision: what other services will feed this schema through events
# (memberships, user_interests) is written directly through the MariaDB admin socket, so
# these tests prove the community service's own queries without the member service.

package Somoim::Community;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(community_sql create_community set_member set_interests community_body
    settle_copies indexed indexed_gone);

use Somoim::Test;
use Time::HiRes ();

# community_sql($sql) → the rows as array refs (tab-separated output, no header). Dies on
# failure. Only for trusted SQL the test builds itself (ids are numbers).
sub community_sql { return db_sql('community', @_) }

# A valid create body; %over replaces fields (undef removes one).
sub community_body {
    my (%over) = @_;
    my %b = (
        name        => "모임 $$-" . int(rand 1e6),
        description => '함께 해요',
        region      => '서울',
        interest    => 'hiking',
        max_members => 20,
    );
    for (keys %over) { if (defined $over{$_}) { $b{$_} = $over{$_} } else { delete $b{$_} } }
    return \%b;
}

# create_community($token, %over) → the community (dies unless 201).
sub create_community {
    my ($token, %over) = @_;
    my $r = api(POST => '/api/v1/communities', community_body(%over), token => $token);
    croak "create community failed (want 201):\n" . dump_res($r) unless $r->{status} == 201;
    return $r->{json};
}

# set_member($community_id, $user_id, $role): what v1.event.member-joined will write.
sub set_member {
    my ($cid, $uid, $role) = @_;
    croak 'bad role' unless $role =~ /\A(?:owner|admin|member)\z/;
    community_sql(sprintf 'INSERT INTO memberships (community_id, user_id, role)'
        . " VALUES (%d, %d, '%s') ON DUPLICATE KEY UPDATE role = VALUES(role)", $cid, $uid, $role);
}

# _wait_for($sql, $secs): polls until the query's first value is true ($secs, default 10, at
# most; dies after).
sub _wait_for {
    my ($sql, $secs) = @_;
    my $until = Time::HiRes::time() + ($secs // 10);
    while (Time::HiRes::time() < $until) {
        my @r = community_sql($sql);
        return if @r && $r[0][0];
        Time::HiRes::sleep(0.1);
    }
    croak "copies did not settle within " . ($secs // 10) . " s: $sql";
}

# settle_copies(@community_ids): waits until somoim-community-events has applied the owner's
# member-joined (seq 1, from the member service's reply to community-created) to each, so a
# test that writes member_count itself is not overwritten by it a moment later. A no-op when
# the stack runs no member service.
sub settle_copies {
    my (@ids) = @_;
    return unless $ENV{SOMOIM_RUN} && -e "$ENV{SOMOIM_RUN}/pid/member-1.pid";
    _wait_for(sprintf 'SELECT member_seq >= 1 FROM communities WHERE id = %d', $_) for @ids;
}

# indexed(@community_ids): waits until somoim-community-search has put each community's
# current version into the search index (its gate has caught up with the row), so a
# search sees it. indexed_gone(@ids): until each deleted community's tombstone is there.
sub indexed {
    my (@ids) = @_;
    _wait_for(sprintf('SELECT g.version >= c.version FROM communities c'
        . ' JOIN search_gates g ON g.community_id = c.id WHERE c.id = %d', $_), 60) for @ids;
}
sub indexed_gone {
    my (@ids) = @_;
    _wait_for(sprintf('SELECT deleted FROM search_gates WHERE community_id = %d', $_), 60) for @ids;
}

# set_interests($user_id, @codes): what v1.event.user-signed-up/-updated will write. Waits
# for the user's signup event to be applied first (user_versions), so it cannot undo this.
sub set_interests {
    my ($uid, @codes) = @_;
    _wait_for(sprintf 'SELECT COUNT(*) FROM user_versions WHERE user_id = %d', $uid);
    community_sql(sprintf 'DELETE FROM user_interests WHERE user_id = %d', $uid);
    for my $c (@codes) {
        croak 'bad code' unless $c =~ /\A[a-z]+\z/;
        community_sql(sprintf "INSERT INTO user_interests (user_id, code) VALUES (%d, '%s')",
            $uid, $c);
    }
}

1;
