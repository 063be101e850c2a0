#!/usr/bin/perl
# Under redis-lock a member who leaves gives back their places through the same lock as
# the HTTP side (whose serial transaction does plain reads and trusts the lock): while
# someone holds the schedule's lock, somoim-schedule-events waits for it, and once the
# lock is free it gives the seat back and promotes the first in line.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Kafka qw(daemon_log);
use Somoim::Member qw(join_community leave_community);
use Somoim::Schedule;

ok(use_strategy('redis-lock'), 'the schedule instances and events daemon run with redis-lock');
my $port = conf('redis', 'port');
sub redis { my $out = `redis-cli -h 127.0.0.1 -p $port @_`; chomp $out; return $out }

my $scene = leaver_scene('레디스 반납');
my ($leaver, $lid, $cid, $sid) = @$scene{qw(leaver lid cid sid)};
my @w = @{ $scene->{w} };
sub places { return places_of($sid) }

is(attend($sid, $leaver->{access_token})->{json}{status}, 'attending', 'the leaver has the seat');
is(attend($sid, $w[0]{token})->{json}{status}, 'waitlisted', 'w0 waits');
is(attend($sid, $w[1]{token})->{json}{status}, 'waitlisted', 'w1 waits behind');
my $before = "$lid:attending $w[0]{id}:waitlisted $w[1]{id}:waitlisted";
is(places(), $before, 'the places');

my $key = "somoim:schedule:lock:$sid";
is(redis('SET', $key, 'test-holder', 'PX', 60000), 'OK', 'someone holds the schedule\'s lock');
res_is(leave_community($cid, $leaver->{access_token}), 204, 'the leaver leaves the community');
ok(wait_until(30, sub {
    grep { /schedule \Q$sid\E is locked: its give-back waits/ } daemon_log('schedule-events');
}), 'the events daemon reaches the give-back and waits for the lock');
sleep 1;
is(places(), $before, 'while the lock is held, nothing was given back');
is(scalar schedule_sql("SELECT 1 FROM copy_members WHERE community_id = $cid AND user_id = $lid"
    . " AND role IS NOT NULL"), 1, '… and the leave is not in the copy yet (it commits after)');
is(redis('GET', $key), 'test-holder', 'the holder\'s lock is untouched');
is(redis('DEL', $key), '1', 'the holder lets go');
ok(wait_until(30, sub { places() eq "$w[0]{id}:attending $w[1]{id}:waitlisted" }),
    'then the seat is given back and the first in line promoted') or diag(places());
ok(wait_member($cid, $lid, 0), 'the copy says the leaver left');
my ($ev) = grep { $_->{user_id} == $lid } reverse events_of($sid);
is_deeply([ $ev->{status}, $ev->{promoted_user_id} ], [ 'none', $w[0]{id} ],
    'the event: the leaver has none, w0 was promoted');
is(redis('EXISTS', $key), '0', 'the daemon released the lock');
invariants_ok($sid, 'give-back under the lock');

done_testing;
