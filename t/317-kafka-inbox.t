#!/usr/bin/perl
# The kafka strategy's command inbox: somoim-schedule-attendance records every command by
# the command_id the HTTP side gave it, with its outcome, in the transaction that changes
# the seat. A command delivered again (a consumer crash before its offset was committed)
# is answered from that record, not applied again: an attend replayed after the member
# cancelled does not take the seat back, and its answer says what the first one said.
# A command without command_id (an older producer) is applied as before; rows older
# than a day are pruned.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Somoim::Test;
use Somoim::Kafka qw(daemon_log);
use Somoim::Schedule;

ok(use_strategy('kafka'), 'the schedule instances run with strategy kafka');
my $owner = signup(name => '인박스 정모');
my $c = schedule_community($owner);
my @m = seed_members($c->{id}, 3);
my $s = new_schedule($c->{id}, $owner->{access_token}, max_participants => 1);
my $sid = $s->{id};
my $n = 0;
sub corr { return sprintf 't317-%d-%d-%d', $$, time, ++$n }
sub command { return { schedule_id => $sid, deadline_ms => int(time * 1000) + 60000, @_ } }
sub places {
    return join ' ', map { "$_->[0]:$_->[1]" } schedule_sql("SELECT user_id, status FROM"
        . " attendances WHERE schedule_id = $sid ORDER BY queue_id");
}

# --- the first attend, through HTTP, is recorded with its outcome --------------------------
my $first;
# The first call of each worker also sets up its reply reader: allow a busy machine a retry.
ok(wait_until(30, sub { ($first = attend($sid, $m[0]{token}))->{status} == 200 }),
    'm0 attends through HTTP') or diag(dump_res($first));
is($first->{json}{status}, 'attending', '… and gets the seat');
my @rec = schedule_sql("SELECT command_id, status, changed, COALESCE(promoted_user_id, 0)"
    . " FROM processed_commands WHERE schedule_id = $sid AND user_id = $m[0]{id} AND op = 'attend'");
is(scalar @rec, 1, 'the consumer recorded the command in processed_commands');
my $cmd_id = $rec[0][0] // '';
like($cmd_id, qr/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\z/,
    '… by the command_id (a UUID v7) the HTTP side gave it');
is_deeply([ @{ $rec[0] // [] }[1 .. 3] ], [ 'attending', 1, 0 ], '… with its outcome');

is(attend($sid, $m[1]{token})->{json}{status}, 'waitlisted', 'm1 waits');
my $cx = cancel($sid, $m[0]{token});
is($cx->{json}{status}, 'none', 'm0 cancels through HTTP');
is($cx->{json}{promoted_user_id}, $m[1]{id}, '… and m1 gets the seat');
my $events = () = events_of($sid);

# --- the same attend command again: answered from the inbox, not applied ------------------
my $corr = corr();
ok(kafka_command(command(op => 'attend', command_id => $cmd_id, user_id => $m[0]{id},
    request_id => "t317-replay-$$"), reply => $corr),
    'the first attend command is delivered again, same command_id');
my $rep;
ok(wait_until(30, sub { $rep = kafka_reply($corr) }), 'the consumer answers it');
is($rep->{result}, 'ok', '… ok');
is($rep->{status}, $first->{json}{status}, '… saying what the first answer said (attending)');
ok($rep->{changed}, '… and that it changed the schedule, as the first did');
is($rep->{promoted_user_id}, 0, '… promoting nobody, as the first did');
is($rep->{schedule}{participant_count}, 1, '… with the schedule as it is now');
is(places(), "$m[1]{id}:attending", 'the replay did not take the seat again: m1 keeps it');
is(scalar(() = events_of($sid)), $events, 'no event for the replay');
ok(scalar(grep { /command \Q$cmd_id\E .*answered from the inbox/ }
    daemon_log('schedule-attendance')), 'the consumer logged answering from the inbox');
invariants_ok($sid, 'after the replay');

# --- a new command delivered twice in a row: applied once ---------------------------------
my $id2 = sprintf '%08x-%04x-7%03x-8%03x-%012x', int(time), $$ & 0xffff, $n, $n,
    int(rand(2**40));
my ($ca, $cb) = (corr(), corr());
ok(kafka_command(command(op => 'attend', command_id => $id2, user_id => $m[2]{id}),
    reply => $ca), 'a new attend command for m2 …');
ok(kafka_command(command(op => 'attend', command_id => $id2, user_id => $m[2]{id}),
    reply => $cb), '… and the same again');
my ($ra, $rb);
ok(wait_until(30, sub { ($ra = kafka_reply($ca)) && ($rb = kafka_reply($cb)) }),
    'both are answered');
is_deeply([ map { [ $_->{result}, $_->{status}, $_->{changed} ? 1 : 0 ] } $ra, $rb ],
    [ [ 'ok', 'waitlisted', 1 ], [ 'ok', 'waitlisted', 1 ] ],
    'both answers: waitlisted, changed (the second one from the inbox)');
is(places(), "$m[1]{id}:attending $m[2]{id}:waitlisted", 'm2 is in line once');
is(scalar(() = events_of($sid)), $events + 1, 'one event for the two deliveries');
invariants_ok($sid, 'after the double delivery');

# --- an older producer's command (no command_id) is applied as before --------------------
my $cc = corr();
ok(kafka_command(command(op => 'cancel', user_id => $m[2]{id}), reply => $cc),
    'a cancel without command_id');
my $rc;
ok(wait_until(30, sub { $rc = kafka_reply($cc) }), 'is answered');
is_deeply([ $rc->{result}, $rc->{status}, $rc->{changed} ? 1 : 0 ], [ 'ok', 'none', 1 ],
    '… applied: none, changed');
is(places(), "$m[1]{id}:attending", 'm2 left the line');
is(scalar schedule_sql("SELECT 1 FROM processed_commands WHERE schedule_id = $sid"
    . " AND user_id = $m[2]{id} AND op = 'cancel'"), 0, '… and nothing was recorded for it');
invariants_ok($sid, 'after the old-style command');

# --- pruning ------------------------------------------------------------------------------
my $old = sprintf '00000000-0000-7000-8000-%012d', $$;
schedule_sql("INSERT INTO processed_commands (command_id, op, schedule_id, user_id, status,"
    . " changed, processed_at) VALUES ('$old', 'attend', $sid, 1, 'attending', 1,"
    . " NOW(3) - INTERVAL 2 DAY)");
# The consumer prunes when a command comes, at most every 10 s.
ok(wait_until(60, sub {
    attend($sid, $m[1]{token});
    Time::HiRes::sleep(1);
    !schedule_sql("SELECT 1 FROM processed_commands WHERE command_id = '$old'");
}), 'a record older than a day is pruned');
is(scalar schedule_sql("SELECT 1 FROM processed_commands WHERE command_id = '$cmd_id'"), 1,
    '… the recent ones stay');

done_testing;
