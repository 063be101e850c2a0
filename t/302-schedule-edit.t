#!/usr/bin/perl
# Editing and cancelling a schedule: PATCH /api/v1/schedules/{id} (the creator, or the
# community's owner or admins; any of title, starts_at, place, fee, max_participants,
# validated as for POST; max below participant_count → 409 TOO_MANY_ATTENDEES; a raised
# max seats the first in line) and DELETE (cancel: 204, then 404 everywhere). Plain
# members and strangers 403, unknown 404, started 409 SCHEDULE_STARTED, bad input 400
# naming every field. The events (schedule-updated with the changed fields and the
# version, schedule-cancelled with who had a place) go through the outbox. Last, under each
# of the five strategies: a cancel racing 40 attendance PUTs (no place survives on the
# cancelled schedule, and every PUT that got a place is named by the cancel event), and a
# raise of the cap racing 40 PUTs (no free seat while someone waits).

use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Somoim::Test;
use Somoim::Member qw(join_community set_role);
use Somoim::Schedule;

my %u = map { $_ => signup(name => "편집 $_") } qw(owner creator plain admin stranger);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;
my $c = schedule_community($u{owner});
my $cid = $c->{id};
for my $who (qw(creator plain admin)) {
    res_is(join_community($cid, $tok{$who}), 201, "$who joins");
}
res_is(set_role($cid, $id{admin}, 'admin', $tok{owner}), 200, 'the owner makes one an admin');
ok(wait_until(30, sub { scalar schedule_sql("SELECT 1 FROM copy_members WHERE community_id ="
    . " $cid AND user_id = $id{admin} AND role = 'admin'") }), '… known to the schedule service');
ok(wait_member($cid, $id{$_}), "$_ is a member there") for qw(creator plain);

my $S = '/api/v1/schedules';
my $patch = sub { my ($sid, $who, $body) = @_; api(PATCH => "$S/$sid", $body, token => $tok{$who}) };
my $del = sub { my ($sid, $who) = @_; api(DELETE => "$S/$sid", undef, token => $tok{$who}) };
my $outbox = sub {
    my ($type, $sid) = @_;
    return map { JSON::PP->new->decode($_->[0])->{data} }
        schedule_sql("SELECT payload FROM outbox WHERE topic = 'v1.event.$type'"
            . " AND msg_key = '$sid' ORDER BY id");
};

# --- PATCH -----------------------------------------------------------------------------------

my $s = new_schedule($cid, $tok{creator}, title => '원래 제목', place => '서울숲',
    max_participants => 2, fee => 1000);
my $sid = $s->{id};
my @seeded = seed_members($cid, 4);
res_is(attend($sid, $_->{token}), 200, 'a member attends') for @seeded;
is(places_of($sid), join(' ', map { "$_->{id}:" . ($_ == $seeded[0] || $_ == $seeded[1]
    ? 'attending' : 'waitlisted') } @seeded), 'two seats, two waiting');

error_is($patch->($sid, 'plain', { title => 'x' }), 403, 'FORBIDDEN', 'a plain member cannot edit');
error_is($patch->($sid, 'stranger', { title => 'x' }), 403, 'FORBIDDEN', 'a stranger cannot edit');
error_is(api(PATCH => "$S/$sid", { title => 'x' }), 401, 'UNAUTHORIZED', 'no token: 401');
error_is($patch->(999999999, 'owner', { title => 'x' }), 404, 'NOT_FOUND', 'unknown schedule: 404');

my $r = $patch->($sid, 'creator', { starts_at => '2001-01-01T00:00:00Z', max_participants => 0,
    title => '', fee => -1, place => 'x' x 201 });
error_is($r, 400, 'VALIDATION_FAILED', 'bad input: 400');
is_deeply([ sort keys %{ $r->{json}{error}{fields} // {} } ],
    [ sort qw(starts_at max_participants title fee place) ], '… naming every bad field');
error_is($patch->($sid, 'creator', { starts_at => 'tomorrow' }), 400, 'VALIDATION_FAILED',
    'starts_at not RFC 3339: 400');
error_is(api(PATCH => "$S/$sid", undef, token => $tok{creator}, raw => '[1]'), 400,
    'INVALID_JSON', 'not an object: 400');

$r = $patch->($sid, 'creator', { max_participants => 1 });
error_is($r, 409, 'TOO_MANY_ATTENDEES', 'max below the attendees: 409');
like($r->{json}{error}{message}, qr/\(2\)/, '… saying how many attend');
is(schedule_get($sid, $tok{owner})->{json}{max_participants}, 2, '… and nothing changed');

$r = $patch->($sid, 'creator', {});
res_is($r, 200, 'an empty PATCH: 200');
is_deeply([ $outbox->('schedule-updated', $sid) ], [], '… and no event');

my $when = future_time(10 * 86400);
$r = $patch->($sid, 'creator', { title => '새 제목', place => '서울숲', starts_at => $when });
res_is($r, 200, 'the creator edits: 200');
is($r->{json}{title}, '새 제목', 'the new title');
is($r->{json}{starts_at}, $when, 'the new start');
is(schedule_get($sid, $tok{plain})->{json}{title}, '새 제목', 'GET shows it');
my @ev = $outbox->('schedule-updated', $sid);
is(scalar @ev, 1, 'one schedule-updated event');
is_deeply($ev[0]{changed}, [qw(title starts_at)], '… naming what changed (place was the same)');
is_deeply([ @{ $ev[0] }{qw(id community_id title starts_at place by_user_id)} ],
    [ $sid, $cid, '새 제목', $when, '서울숲', $id{creator} ], '… with the schedule and the editor');
is_deeply($ev[0]{attendee_ids}, [ map { $_->{id} } @seeded[0, 1] ], '… the attendees');
is_deeply($ev[0]{waitlisted_ids}, [ map { $_->{id} } @seeded[2, 3] ], '… and who waits');
my $v1 = $ev[0]{version};
ok($v1 > 0, "… and a version ($v1)");

# An admin raises the cap: the first two in line get the seats.
$r = $patch->($sid, 'admin', { max_participants => 5, fee => 0 });
res_is($r, 200, 'an admin raises max_participants: 200');
is_deeply([ @{ $r->{json} }{qw(max_participants participant_count waitlist_count fee)} ],
    [ 5, 4, 0, 0 ], 'the waiting two took the new seats');
is(places_of($sid), join(' ', map { "$_->{id}:attending" } @seeded), 'every row attends');
invariants_ok($sid, 'after raising the cap');
my @att = grep { $_->{status} eq 'attending' && defined $_->{promoted_user_id} }
    $outbox->('attendance-changed', $sid);
is_deeply([ map { $_->{promoted_user_id} } @att ], [ map { $_->{id} } @seeded[2, 3] ],
    'an attendance-changed event for each promoted member, in line order');
@ev = $outbox->('schedule-updated', $sid);
is_deeply($ev[1]{changed}, [qw(fee max_participants)], 'the second event names fee and the cap');
ok($att[0]{version} > $v1 && $att[1]{version} > $att[0]{version}
    && $ev[1]{version} == $att[1]{version},
    "versions grow across both topics; the update carries the state after the promotions"
    . " ($v1, $att[0]{version}, $att[1]{version}, $ev[1]{version})");
res_is($patch->($sid, 'owner', { place => '한강공원' }), 200, 'the owner may edit too');

# --- DELETE ----------------------------------------------------------------------------------

error_is($del->($sid, 'plain'), 403, 'FORBIDDEN', 'a plain member cannot cancel');
error_is($del->($sid, 'stranger'), 403, 'FORBIDDEN', 'a stranger cannot cancel');
error_is($del->(999999999, 'owner'), 404, 'NOT_FOUND', 'unknown schedule: 404');
res_is($del->($sid, 'creator'), 204, 'the creator cancels: 204');
error_is(schedule_get($sid, $tok{owner}), 404, 'NOT_FOUND', 'GET after: 404');
my $list = api(GET => "/api/v1/communities/$cid/schedules", undef, token => $tok{owner});
ok(!grep({ $_->{id} == $sid } @{ $list->{json}{items} // [] }), 'not in the list');
error_is(attend($sid, $seeded[0]{token}), 404, 'NOT_FOUND', 'attending it: 404');
error_is(cancel($sid, $seeded[0]{token}), 404, 'NOT_FOUND', 'giving up a place on it: 404');
error_is($patch->($sid, 'creator', { title => 'x' }), 404, 'NOT_FOUND', 'editing it: 404');
error_is($del->($sid, 'creator'), 404, 'NOT_FOUND', 'cancelling it again: 404');
is(places_of($sid), '', 'its attendance rows are gone');
my @cev = $outbox->('schedule-cancelled', $sid);
is(scalar @cev, 1, 'one schedule-cancelled event');
is_deeply([ @{ $cev[0] }{qw(id community_id title by_user_id)} ],
    [ $sid, $cid, '새 제목', $id{creator} ], '… with the schedule and who cancelled');
is_deeply([ sort { $a <=> $b } @{ $cev[0]{attendee_ids} } ],
    [ sort { $a <=> $b } map { $_->{id} } @seeded ], '… naming the attendees');
ok($cev[0]{version} > $ev[-1]{version}, '… with the newest version');

my $s2 = new_schedule($cid, $tok{creator});
res_is($del->($s2->{id}, 'admin'), 204, 'an admin cancels another one');

# Started: history.
my $past = new_schedule($cid, $tok{creator});
schedule_sql("UPDATE schedules SET starts_at = NOW(3) - INTERVAL 1 HOUR WHERE id = $past->{id}");
error_is($patch->($past->{id}, 'creator', { title => 'x' }), 409, 'SCHEDULE_STARTED',
    'a started schedule is not edited');
error_is($del->($past->{id}, 'creator'), 409, 'SCHEDULE_STARTED', '… nor cancelled');

# --- racing attendance, under every strategy -------------------------------------------------
# A cancel racing 40 PUTs leaves no place and names every PUT that got one; a raise of the cap
# racing 40 PUTs leaves no free seat while someone waits.

my @racers = seed_members($cid, 40);
for my $strategy (strategies()) {
    ok(use_strategy($strategy), "$strategy: in force");
    my $race = new_schedule($cid, $tok{creator}, max_participants => 5);
    my @results = parallel(41, sub {
        my ($i) = @_;
        if ($i == 20) {
            select(undef, undef, undef, 0.05);
            return { cancel => $del->($race->{id}, 'creator')->{status} };
        }
        my $k = $i > 20 ? $i - 1 : $i;
        my $res = attend($race->{id}, $racers[$k]{token});
        return { id => $racers[$k]{id}, status => $res->{status} };
    });
    my ($cancel) = grep { exists $_->{cancel} } @results;
    is($cancel->{cancel}, 204, "$strategy: the racing cancel: 204");
    my @puts = grep { !exists $_->{cancel} } @results;
    is(scalar(grep { $_->{status} != 200 && $_->{status} != 404 } @puts), 0,
        "$strategy: every racing PUT got 200 or 404 (no 5xx)");
    is(places_of($race->{id}), '', "$strategy: no place is left on the cancelled schedule");
    my ($gone) = schedule_sql("SELECT COUNT(*) FROM schedules WHERE id = $race->{id}");
    is($gone->[0], 0, "$strategy: the schedule is gone");
    my ($rev) = $outbox->('schedule-cancelled', $race->{id});
    my %named = map { $_ => 1 } @{ $rev->{attendee_ids} }, @{ $rev->{waitlisted_ids} };
    my @placed = grep { $_->{status} == 200 } @puts;
    is(scalar(grep { !$named{ $_->{id} } } @placed), 0,
        "$strategy: " . scalar(@placed) . ' PUTs got a place first; the cancel event names every one');
    is(scalar(keys %named), scalar @placed, "$strategy: … and nobody else");

    my $grow = new_schedule($cid, $tok{creator}, max_participants => 3);
    @results = parallel(41, sub {
        my ($i) = @_;
        if ($i == 20) {
            select(undef, undef, undef, 0.05);
            return { patch => $patch->($grow->{id}, 'creator', { max_participants => 12 })->{status} };
        }
        my $k = $i > 20 ? $i - 1 : $i;
        return { status => attend($grow->{id}, $racers[$k]{token})->{status} };
    });
    is(scalar(grep { ($_->{patch} // $_->{status}) != 200 } @results), 0,
        "$strategy: the raise and every PUT beside it: 200");
    my $row = invariants_ok($grow->{id}, "$strategy raise");
    is_deeply([ @$row[0, 1, 2] ], [ 12, 28, 12 ],
        "$strategy: twelve seats taken, 28 waiting: no free seat while someone waits");
}

done_testing();
