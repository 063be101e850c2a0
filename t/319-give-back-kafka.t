#!/usr/bin/perl
# Under kafka a member who leaves gives back their places through the command consumer,
# in the schedule's partition order (the HTTP side's serial transaction trusts it is the
# only writer): somoim-schedule-events sends a cancel command per place, with a
# command_id derived from the member-left event and the schedule, so handling the event
# twice cannot apply a give-back twice. With the consumer stopped nothing is given back;
# once it runs again the seat goes to the first in line. A give-back command delivered
# again after the leaver came back does not take their new place.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Digest::SHA qw(sha256_hex);
use Somoim::Test;
use Somoim::Kafka qw(daemon_log member_sql);
use Somoim::Member qw(join_community leave_community);
use Somoim::Schedule;

ok(use_strategy('kafka'), 'the schedule instances and events daemon run with kafka');
my $scene = leaver_scene('카프카 반납');
my ($leaver, $lid, $cid, $sid) = @$scene{qw(leaver lid cid sid)};
my @w = @{ $scene->{w} };
sub places { return places_of($sid) }

my $r;
# The first call of each worker also sets up its reply reader: allow a busy machine a retry.
ok(wait_until(30, sub { ($r = attend($sid, $leaver->{access_token}))->{status} == 200 }),
    'the leaver attends');
is($r->{json}{status}, 'attending', '… and has the seat');
is(attend($sid, $w[0]{token})->{json}{status}, 'waitlisted', 'w0 waits');
my $before = "$lid:attending $w[0]{id}:waitlisted";

ok(stack('stop', 'schedule-attendance'), 'stop the attendance consumer');
res_is(leave_community($cid, $leaver->{access_token}), 204, 'the leaver leaves the community');
ok(wait_member($cid, $lid, 0), 'the copy says they left (after the command was delivered)');
ok(scalar(grep { /user \Q$lid\E left community \Q$cid\E: 1 place\(s\) given back \(cancel commands sent\)/ }
    daemon_log('schedule-events')), 'the events daemon sent the give-back command');
sleep 1;
is(places(), $before, 'with the consumer stopped, the give-back has not happened');

ok(stack('start', 'schedule-attendance'), 'start the consumer again');
ok(wait_until(40, sub { places() eq "$w[0]{id}:attending" }),
    'then the seat is given back and w0 promoted') or diag(places());
my ($ev) = grep { $_->{user_id} == $lid } reverse events_of($sid);
is_deeply([ $ev->{status}, $ev->{promoted_user_id} ], [ 'none', $w[0]{id} ],
    'the event: the leaver has none, w0 was promoted');
invariants_ok($sid, 'give-back through the consumer');

my @rec = schedule_sql("SELECT command_id, status, changed, COALESCE(promoted_user_id, 0)"
    . " FROM processed_commands WHERE schedule_id = $sid AND user_id = $lid AND op = 'cancel'");
is(scalar @rec, 1, 'the consumer recorded the give-back command');
is_deeply([ @{ $rec[0] // [] }[1 .. 3] ], [ 'none', 1, $w[0]{id} ], '… with its outcome');
my $cmd_id = $rec[0][0] // '';
my ($left) = member_sql("SELECT event_id FROM outbox WHERE topic = 'v1.event.member-left'"
    . " AND JSON_EXTRACT(payload, '\$.data.community_id') = $cid"
    . " AND JSON_EXTRACT(payload, '\$.data.user_id') = $lid");
my $h = sha256_hex("member-left:$left->[0]:$sid");
substr($h, 12, 1) = '8';
substr($h, 16, 1) = (qw(8 9 a b))[hex(substr($h, 16, 1)) & 3];
is($cmd_id, join('-', unpack 'A8 A4 A4 A4 A12', $h),
    '… by an id derived from the member-left event and the schedule');

# --- the leaver comes back; the old give-back delivered again does not touch them --------
res_is(join_community($cid, $leaver->{access_token}), 201, 'the leaver joins again');
ok(wait_member($cid, $lid), '… and the schedule schema learns it');
is(attend($sid, $leaver->{access_token})->{json}{status}, 'waitlisted', '… and queues up');
ok(kafka_command({ op => 'cancel', command_id => $cmd_id, schedule_id => $sid,
    user_id => $lid, deadline_ms => int(time * 1000) + 60000 }),
    'the give-back command is delivered again');
ok(wait_until(30, sub {
    grep { /command \Q$cmd_id\E .*answered from the inbox/ } daemon_log('schedule-attendance');
}), 'the consumer answers it from the inbox');
is(attend($sid, $w[1]{token})->{json}{status}, 'waitlisted', 'a later command is answered');
is(places(), "$w[0]{id}:attending $lid:waitlisted $w[1]{id}:waitlisted",
    'the replayed give-back did not take the leaver\'s new place');
invariants_ok($sid, 'after the replayed give-back');

done_testing;
