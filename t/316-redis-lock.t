#!/usr/bin/perl
# The redis-lock strategy's lock itself: one key per schedule; a request that cannot get
# it waits a bounded time and answers 503 without touching the holder's lock (the seed
# deleted it anyway); a holder that died frees it when its lease runs out; and a request
# releases its own lock when done.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Somoim::Test;
use Somoim::Schedule;

$ENV{SOMOIM_SCHEDULE_LOCK_WAIT_MS} = 2000;
END { delete $ENV{SOMOIM_SCHEDULE_LOCK_WAIT_MS} }
ok(use_strategy('redis-lock'), 'the schedule instances run with strategy redis-lock, 2 s waits');
my $port = conf('redis', 'port');
sub redis { my $out = `redis-cli -h 127.0.0.1 -p $port @_`; chomp $out; return $out }

my $owner = signup(name => '레디스 정모');
my $c = schedule_community($owner);
my @m = seed_members($c->{id}, 4);
my $s = new_schedule($c->{id}, $owner->{access_token}, max_participants => 5);
my $other = new_schedule($c->{id}, $owner->{access_token}, max_participants => 5);
my $key = "somoim:schedule:lock:$s->{id}";

is(redis('SET', $key, 'someone-else', 'PX', 60000), 'OK', 'someone else holds the lock');
my $t0 = time;
error_is(attend($s->{id}, $m[0]{token}), 503, 'UNAVAILABLE', 'a PUT that cannot get it: 503');
my $took = time - $t0;
cmp_ok($took, '<', 8, sprintf('… after a bounded wait (%.1f s)', $took));
is(redis('GET', $key), 'someone-else', 'the holder\'s lock is untouched');
is(attend($other->{id}, $m[0]{token})->{status}, 200, 'another schedule is not blocked');
is(scalar schedule_sql("SELECT 1 FROM attendances WHERE schedule_id = $s->{id}"), 0,
    'nothing was taken');

is(redis('SET', $key, 'a-dead-holder', 'PX', 300), 'OK', 'a holder that dies leaves a 0.3 s lease');
is(attend($s->{id}, $m[1]{token})->{status}, 200, 'the PUT gets the lock once the lease runs out');
is(redis('EXISTS', $key), '0', 'and releases it when done');
is(attend($s->{id}, $m[2]{token})->{status}, 200, 'the next PUT gets it at once');
invariants_ok($s->{id}, 'redis lock');

done_testing;
