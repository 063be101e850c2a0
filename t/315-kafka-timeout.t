#!/usr/bin/perl
# The kafka strategy when nobody applies the commands: the HTTP call waits a bounded time
# and answers 503 UNAVAILABLE, and that 503 holds -- when the command consumer comes back
# it drops the command whose requester stopped waiting instead of giving a seat to
# someone who was told they have none.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Somoim::Test;
use Somoim::Kafka qw(daemon_log);
use Somoim::Schedule;

$ENV{SOMOIM_SCHEDULE_KAFKA_TIMEOUT_MS} = 2000;
END { delete $ENV{SOMOIM_SCHEDULE_KAFKA_TIMEOUT_MS} }
ok(use_strategy('kafka'), 'the schedule instances run with strategy kafka, 2 s replies');
my $owner = signup(name => '카프카 정모');
my $c = schedule_community($owner);
my @m = seed_members($c->{id}, 3);
my $s = new_schedule($c->{id}, $owner->{access_token}, max_participants => 5);
# The first call of each worker also sets up its reply reader: allow a busy machine a retry.
ok(wait_until(30, sub { attend($s->{id}, $m[0]{token})->{status} == 200 }),
    'with the consumer running, PUT is 200');

ok(stack('stop', 'schedule-attendance'), 'stop the attendance consumer');
my $t0 = time;
my $r = attend($s->{id}, $m[1]{token});
my $took = time - $t0;
error_is($r, 503, 'UNAVAILABLE', 'without it, PUT answers 503');
cmp_ok($took, '<', 8, sprintf('… after a bounded wait (%.1f s)', $took));

ok(stack('start', 'schedule-attendance'), 'start the consumer again');
# Same schedule, same partition: once a later command is answered, the earlier one
# has been read too.
ok(wait_until(30, sub { attend($s->{id}, $m[2]{token})->{status} == 200 }),
    'the consumer answers again');
is(scalar schedule_sql("SELECT 1 FROM attendances WHERE schedule_id = $s->{id}"
    . " AND user_id = $m[1]{id}"), 0, 'the command that got 503 was not applied');
ok(scalar(grep { /came after its deadline: dropped/ } daemon_log('schedule-attendance')),
    'the consumer logged dropping it');
invariants_ok($s->{id}, 'kafka timeout');

done_testing;
