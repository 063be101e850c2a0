#!/usr/bin/perl
# Attendance under the "redis-lock" strategy: a per-schedule Redis lock (random token, lease, compare-and-delete release,
# bounded wait) around the plain transaction.
#
# The shared suite (t/lib/Somoim/Schedule.pm strategy_suite): 200 members racing PUT on a
# 5-seat schedule (exactly 5 seats, 195 waiting, no 5xx, counts = rows, one event per
# change); a storm of concurrent cancels, re-attends and newcomers (invariants, FIFO);
# 403 for non-members, 409 once the schedule started, 400 with fields for bad input.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Schedule;

my $S = 'redis-lock';
ok(use_strategy($S), "the schedule instances run with strategy $S");
my $owner = signup(name => "정모 $S");
my $c = schedule_community($owner);
strategy_suite($S, owner => $owner, community_id => $c->{id});

done_testing;
