#!/usr/bin/perl
# On dev/cluster (run by `dev/cluster test`): one Kafka broker is killed (SIGKILL) in
# the middle of a burst of 2,000 events (bench/outbox-load: user-updated events written
# to the user schema's outbox, relayed with acks=all and idempotence to a topic of RF 3,
# min ISR 2). Every event must reach the topic exactly once (no loss, no duplicate in the
# log) and be applied exactly once by the member service's consumer group (its
# processed_events row, the dedupe record written in the same transaction as the
# effect); the broker then comes back and rejoins every partition's ISR.

use strict;
use warnings;
use Test::More;
use Somoim::Test;
use Time::HiRes qw(time sleep);
use POSIX ();

my $top = $ENV{SOMOIM_TOP} // die "SOMOIM_TOP is not set\n";
my $build = $ENV{SOMOIM_BUILD} // die "SOMOIM_BUILD is not set\n";
my $brokers = conf('kafka', 'brokers');
my $topic = 'v1.event.user-updated';
my $N = 2000;

my ($before) = map { $_->[0] // 0 } db_sql('user', 'SELECT COALESCE(MAX(id), 0) FROM outbox');
my $t0 = time;
my $pid = fork // die "fork: $!\n";
if ($pid == 0) {
    open STDOUT, '>', '/dev/null';
    exec "$build/bench/outbox-load", 'burst', $N, 20 or POSIX::_exit(127);
}
# Mid-burst: once the first events are on their way, take broker 2 down hard.
wait_until(30, sub { (db_sql('user', "SELECT COUNT(*) FROM outbox WHERE id > $before AND published_at IS NOT NULL"))[0][0] > 0 }) or BAIL_OUT('nothing relayed');
is(system("$top/dev/cluster", 'stop-node', 'kafka-2', 'KILL'), 0, 'broker 2 killed (SIGKILL)');
my $killed = time;
waitpid($pid, 0);
is($?, 0, "outbox-load wrote $N events");

my $unpublished = sub { (db_sql('user', "SELECT COUNT(*) FROM outbox WHERE id > $before AND published_at IS NULL"))[0][0] };
ok(wait_until(60, sub { $unpublished->() == 0 }), 'every event relayed with one broker down')
    or diag($unpublished->() . ' unpublished');
my $applied = sub {
    (db_sql('member', "SELECT COUNT(*) FROM processed_events p JOIN somoim_user.outbox o"
        . " ON o.event_id = p.event_id WHERE o.id > $before AND p.consumer_group = 'member'"))[0][0];
};
ok(wait_until(60, sub { $applied->() == $N }), "all $N applied by the member group")
    or diag($applied->() . " of $N applied");
diag(sprintf 'relayed and applied %.1f s after the kill', time - $killed);

# The log: each new event id exactly once (read from the surviving brokers).
my %ids = map { $_->[0] => 0 } db_sql('user', "SELECT event_id FROM outbox WHERE id > $before");
is(scalar keys %ids, $N, "$N distinct event ids in the outbox");
open my $kc, '-|', 'kcat', '-C', '-b', $brokers, '-t', $topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'
    or die "kcat: $!\n";
my ($seen, $dup) = (0, 0);
while (my $line = <$kc>) {
    my ($id) = $line =~ /^\{"id":"([0-9a-f-]{36})"/ or next;
    next unless exists $ids{$id};
    $seen++;
    $dup++ if $ids{$id}++;
}
close $kc;
is($seen, $N, "the topic holds $N of the burst's events");
is($dup, 0, 'none of them twice');

# The broker comes back and catches up: in the ISR of every partition again.
is(system("$top/dev/cluster", 'start-node', 'kafka-2'), 0, 'broker 2 started again');
my $isr_full = sub {
    my @isr = `kcat -b '$brokers' -L -t '$topic' 2>/dev/null` =~ /isrs: ([\d,]+)/g;
    return @isr && !grep { scalar(split /,/) != 3 } @isr;
};
ok(wait_until(60, $isr_full), 'broker 2 is back in the ISR of every partition');

done_testing();
