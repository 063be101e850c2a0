# 220-community-copies.t — somoim-community-events keeps the community schema's copies
# (user_interests, memberships, communities.member_count) current from the user and member
# events, and the community service's answers follow them.
#
# The one design decision: every effect is checked through the community service's own
# answers where one exists (recommended, GET /communities/{id}, PATCH authorization) and
# through the admin socket only for what no endpoint shows (tombstones, processed_events).
# Member events are produced with `somoim-kafka produce` with seq values the test picks,
# so ordering cases (a late, older seq) are exact; when the stack runs the member service
# (pid/member-1.pid), its real join, role-change and leave endpoints are driven as well.

use strict;
use warnings;
use utf8;

use Test::More;
use JSON::PP ();
use Time::HiRes qw(sleep time);

use Somoim::Test;
use Somoim::Community;
use Somoim::Kafka;

my $C = '/api/v1/communities';
my $JSON = JSON::PP->new->canonical;

# poll(sub { ... }, $seconds) → the first true value of the sub, or undef after $seconds.
sub poll {
    my ($f, $secs) = @_;
    my $until = time + ($secs // 30);
    while (1) {
        my $v = $f->();
        return $v if $v;
        return undef if time > $until;
        sleep 0.2;
    }
}

# produce($topic, $key, $type, \%data) → the event id (dies unless acknowledged).
sub produce {
    my ($topic, $key, $type, $data) = @_;
    my ($rc, $out) = kafka_tool('produce', $topic, '--key', $key, '--type', $type,
        '--data', $JSON->encode($data));
    die "somoim-kafka produce $topic failed ($rc)\n" if $rc != 0;
    my ($id) = $out =~ /^([0-9a-f-]{36})$/m or die "no event id in: $out";
    return $id;
}

# processed($event_id) → true once the daemon has committed (or skipped) the event.
sub processed {
    my ($id) = @_;
    return poll(sub {
        (community_sql("SELECT COUNT(*) FROM processed_events WHERE consumer_group = 'community'"
            . " AND event_id = '$id'"))[0][0];
    }, 30);
}

# member_event($topic, $cid, $uid, $role, $count, $seq) → event id, once processed.
sub member_event {
    my ($topic, $cid, $uid, $role, $count, $seq) = @_;
    (my $type = $topic) =~ s/^v1\.event\.//;
    my $id = produce($topic, $cid, $type, { community_id => $cid + 0, user_id => $uid + 0,
        role => $role, member_count => $count, seq => $seq });
    processed($id) or BAIL_OUT("event $id ($topic seq $seq) was not processed within 30 s:\n"
        . join('', map { "$_\n" } grep { defined } (daemon_log('community-events'))[-20 .. -1]));
    return $id;
}

sub role_of {
    my ($cid, $uid) = @_;
    my @r = community_sql("SELECT role FROM memberships WHERE community_id = $cid AND user_id = $uid");
    return @r ? $r[0][0] : 'none';
}

sub count_of {
    my ($cid, $token) = @_;
    my $r = api(GET => "$C/$cid", undef, token => $token);
    return $r->{status} == 200 ? $r->{json}{member_count} : "status $r->{status}";
}

# recommended_ids($token) → { id => 1 } over every page.
sub recommended_ids {
    my ($token) = @_;
    my (%ids, $cursor);
    for (1 .. 50) {
        my $r = api(GET => "$C/recommended?" . query(limit => 100, defined $cursor ? (cursor => $cursor) : ()),
            undef, token => $token);
        return undef unless $r->{status} == 200;
        $ids{ $_->{id} } = 1 for @{ $r->{json}{items} };
        $cursor = $r->{json}{next_cursor} or last;
    }
    return \%ids;
}

# --- user_interests from user-signed-up / user-updated -----------------------------------

my $owner = signup(interests => ['hiking']);
my $garden = create_community($owner->{access_token}, interest => 'gardening');
my $wine   = create_community($owner->{access_token}, interest => 'wine');

my $u = signup(interests => ['gardening']);
my $uid = $u->{user}{id};
ok(poll(sub { my $ids = recommended_ids($u->{access_token}); $ids && $ids->{ $garden->{id} } }),
    'after signup with interest gardening, recommended shows the gardening community');
is_deeply([map { $_->[0] } community_sql("SELECT code FROM user_interests WHERE user_id = $uid")],
    ['gardening'], 'user_interests holds the signup interests');
ok(!recommended_ids($u->{access_token})->{ $wine->{id} }, 'the wine community is not recommended yet');

my $p = api(PATCH => '/api/v1/users/me', { interests => ['wine'] }, token => $u->{access_token});
res_is($p, 200, 'PATCH /users/me changes the interests');
ok(poll(sub { my $ids = recommended_ids($u->{access_token});
        $ids && $ids->{ $wine->{id} } && !$ids->{ $garden->{id} } }),
    'after the PATCH, recommended shows the wine community and no longer the gardening one');
is_deeply([map { $_->[0] } community_sql("SELECT code FROM user_interests WHERE user_id = $uid")],
    ['wine'], 'user_interests was replaced, not added to');
is((community_sql("SELECT version FROM user_versions WHERE user_id = $uid"))[0][0], 2,
    'user_versions holds the applied version');

my $stale = produce('v1.event.user-updated', $uid, 'user-updated', { user_id => $uid + 0,
    name => 'old', profile_image => undef, region => undef, interests => ['gardening'],
    version => 1 });
ok(processed($stale), 'a late user-updated with an older version is consumed');
is_deeply([map { $_->[0] } community_sql("SELECT code FROM user_interests WHERE user_id = $uid")],
    ['wine'], '... and does not bring the old interests back');

# --- memberships and member_count from member events (produced) ----------------------------

my $J = 'v1.event.member-joined';
my $L = 'v1.event.member-left';
my $U = 'v1.event.member-updated';

my $c = create_community($owner->{access_token}, interest => 'hiking', max_members => 50);
my $cid = $c->{id};
my $oid = $owner->{user}{id};
my $m = signup();
my $mid = $m->{user}{id};
my ($x, $y, $z, $w) = map { signup()->{user}{id} } 1 .. 4;

member_event($J, $cid, $oid, 'owner', 1, 1);
is(role_of($cid, $oid), 'owner', "the owner's joined event upserts over the row the service wrote");

member_event($J, $cid, $mid, 'member', 2, 2);
is(role_of($cid, $mid), 'member', 'member-joined adds the memberships row');
is(count_of($cid, $owner->{access_token}), 2, 'GET /communities/{id} shows member_count 2');
error_is(api(PATCH => "$C/$cid", { description => 'by a member' }, token => $m->{access_token}),
    403, 'FORBIDDEN', 'a plain member cannot PATCH the community');

member_event($U, $cid, $mid, 'admin', 2, 3);
is(role_of($cid, $mid), 'admin', 'member-updated sets the role');
res_is(api(PATCH => "$C/$cid", { description => 'by an admin' }, token => $m->{access_token}),
    200, 'the new admin can PATCH the community');

member_event($J, $cid, $mid, 'member', 9, 2);
is(role_of($cid, $mid), 'admin', 'an older seq arriving after a newer one leaves the role alone');
is(count_of($cid, $owner->{access_token}), 2, '... and leaves member_count alone');

member_event($J, $cid, $y, 'member', 4, 5);
member_event($J, $cid, $x, 'member', 3, 4);
is(role_of($cid, $x), 'member',
    "a late join of one member behind a newer event about another still lands");
is(count_of($cid, $owner->{access_token}), 4, '... while member_count keeps the newer snapshot');

member_event($L, $cid, $x, undef, 3, 6);
is(role_of($cid, $x), 'none', 'member-left deletes the memberships row');
is(count_of($cid, $owner->{access_token}), 3, 'member_count follows the leave');
member_event($J, $cid, $x, 'member', 3, 4);
is(role_of($cid, $x), 'none', 'a late join behind the same member\'s leave does not bring it back');

# Redelivery: the very same envelope (same event id) twice.
my $eid = sprintf '%08x-0000-4000-8000-%012x', $$, int(time * 1000) % 2**48;
my $env = $JSON->encode({ id => $eid, type => 'member-joined', occurred_at => '2026-01-01T00:00:00Z',
    source => 't/220', data => { community_id => $cid + 0, user_id => $w + 0, role => 'member',
        member_count => 4, seq => 7 } });
for (1 .. 2) {
    my ($rc) = kafka_tool('produce', $J, '--key', $cid, '--raw', $env);
    is($rc, 0, "the same envelope produced (copy $_)");
}
ok(processed($eid), 'the redelivered event is processed');
ok(poll(sub { grep { /duplicate skipped.*event_id=\Q$eid\E/ } daemon_log('community-events') }),
    'the second copy is skipped as a duplicate');
is(role_of($cid, $w), 'member', 'the redelivered join applied once');
is(count_of($cid, $owner->{access_token}), 4, 'member_count is the snapshot of that one event');

# Unknown and deleted communities are ignored, not dead-lettered.
my $gone = create_community($owner->{access_token});
is(api(DELETE => "$C/$gone->{id}", undef, token => $owner->{access_token})->{status}, 204,
    'a community is deleted');
my $e1 = member_event($J, $gone->{id}, $z, 'member', 2, 2);
my $e2 = member_event($J, 4_000_000_000 + $$, $z, 'member', 2, 1);
is(role_of($gone->{id}, $z), 'none', 'an event for a deleted community writes nothing');
my @log = daemon_log('community-events');
ok((grep { /unknown community ignored.*event_id=\Q$e1\E/ } @log)
    && (grep { /unknown community ignored.*event_id=\Q$e2\E/ } @log),
    'events for deleted or unknown communities are logged as ignored');
ok(!(grep { /dead-lettered.*event_id=(?:\Q$e1\E|\Q$e2\E)/ } @log), '... and not dead-lettered');

# --- the real member service, when the stack runs it ---------------------------------------

SKIP_REAL: {
    unless (defined daemon_pid('member-1')) {
        note 'the stack runs no member service (no pid/member-1.pid): real join path not exercised';
        last SKIP_REAL;
    }
    my $rc = create_community($owner->{access_token}, max_members => 10);
    my $j = signup();
    res_is(api(POST => "$C/$rc->{id}/members", undef, token => $j->{access_token}), 201,
        'a real join through the member service');
    ok(poll(sub { role_of($rc->{id}, $j->{user}{id}) eq 'member'
            && count_of($rc->{id}, $owner->{access_token}) == 2 }),
        'the join reaches memberships and member_count');
    res_is(api(PATCH => "$C/$rc->{id}/members/$j->{user}{id}", { role => 'admin' },
        token => $owner->{access_token}), 200, 'the owner makes the joiner an admin');
    ok(poll(sub { api(PATCH => "$C/$rc->{id}", { description => 'admin edit' },
            token => $j->{access_token})->{status} == 200 }),
        'the new admin can PATCH the community a moment later');
    is(api(DELETE => "$C/$rc->{id}/members/me", undef, token => $j->{access_token})->{status}, 204,
        'the joiner leaves');
    ok(poll(sub { role_of($rc->{id}, $j->{user}{id}) eq 'none'
            && count_of($rc->{id}, $owner->{access_token}) == 1 }),
        'the leave reaches memberships and member_count');
}

done_testing;
