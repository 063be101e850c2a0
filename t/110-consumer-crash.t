#!/usr/bin/perl
# A consumer daemon killed with SIGKILL in the middle of a burst loses nothing and applies
# nothing twice: offsets are stored only after an event's transaction committed, so the
# restarted daemon replays the uncommitted tail, and processed_events turns the replayed
# events into skips.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time sleep);
use Somoim::Test;
use Somoim::Kafka;

my $N = 1000;
my $base = unique_base();
my $lo = $base + 1;
my $hi = $base + $N;
sub applied { (member_sql("SELECT COUNT(*) FROM copy_profiles WHERE user_id BETWEEN $lo AND $hi"))[0][0] }

# The daemon applies up to 500 waiting events per transaction, and would swallow the
# whole burst in two or three: for this test it runs with small batches (the config
# override reaches it through dev/stack's environment), so the kill lands mid-burst.
$ENV{SOMOIM_MEMBER_EVENTS_BATCH} = 10;
ok(stack('restart', 'member-events'), 'restart member-events with batches of 10');
END { delete $ENV{SOMOIM_MEMBER_EVENTS_BATCH}; stack('restart', 'member-events') }

my $pid = daemon_pid('member-events');
ok($pid && kill(0, $pid), 'somoim-member-events is running') or BAIL_OUT('no member-events daemon');

my $t0 = time;
my ($rc, $out) = kafka_tool('produce', 'v1.event.user-signed-up', '--type', 'user-signed-up',
    '--count', $N, '--start', $lo, '--key', '{i}',
    '--data', '{"user_id":{i},"name":"Crash {i}","profile_image":"https://img.example/{i}.png","version":1}');
is($rc, 0, "somoim-kafka produce sent a burst of $N user-signed-up events");
my @ids = grep { /^[0-9a-f-]{36}\z/ } split /\n/, $out;
is(scalar @ids, $N, "it printed $N event ids");

# The daemon applies well over 1,000 events/s: watch closely to kill it early in the burst.
my $started = 0;
for (1 .. 3000) {
    last if ($started = applied()) >= 50;
    sleep 0.01;
}
cmp_ok($started, '>=', 50, 'the daemon started applying the burst');
my $at_kill = applied();
ok(kill('KILL', $pid), "kill -9 the daemon (pid $pid) with $at_kill of $N applied");
wait_until(30, sub { !kill(0, $pid) });
ok(!kill(0, $pid), 'the daemon is gone');
cmp_ok($at_kill, '<', $N, 'it was killed in the middle of the burst');

ok(stack('start', 'member-events'), 'dev/stack start member-events');
my $t_restart = time;
ok(wait_until(60, sub { applied() == $N }), "after the restart all $N events are applied")
    or diag('applied: ' . applied());
my $t_done = time;
diag(sprintf('burst of %d: %.1f s from produce to all applied (restart included); after the restart %d events in %.1f s',
    $N, $t_done - $t0, $N - $at_kill, $t_done - $t_restart));

my $id_list = join ',', map { "'$_'" } @ids;
my ($seen) = member_sql("SELECT COUNT(*), COUNT(DISTINCT event_id) FROM processed_events "
    . "WHERE consumer_group = 'member' AND event_id IN ($id_list)");
is($seen->[0], $N, "processed_events holds each of the $N event ids");
is($seen->[1], $N, '... once each');

my @bad = member_sql("SELECT user_id, name, profile_image, version FROM copy_profiles "
    . "WHERE user_id BETWEEN $lo AND $hi AND (name <> CONCAT('Crash ', user_id) "
    . "OR profile_image <> CONCAT('https://img.example/', user_id, '.png') OR version <> 1)");
is(scalar @bad, 0, 'every profile has exactly the name, image and version of its event')
    or diag(explain(\@bad));

my @log = daemon_log('member-events');
my $replayed = grep { /duplicate skipped: topic=v1\.event\.user-signed-up/ } @log;
diag("duplicates skipped after the restart (the uncommitted tail): $replayed");
is(scalar(grep { /ERROR: (?:Leak|Address)Sanitizer|runtime error:/ } @log), 0,
    'no sanitizer report in the daemon log');

done_testing;
