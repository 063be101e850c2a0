#!/usr/bin/perl
# SIGTERM in the middle of a burst: the consumer daemon finishes the event in hand, stores
# its offset, closes the consumer (which commits) and exits 0 within a few seconds with a
# clean log; restarted, it applies the rest, each event once.
#
# The daemon is run here as the test's own child (so its exit code can be read), with the
# stack's configuration, after `dev/stack stop member-events`; the stack's own daemon is
# started again at the end.

use strict;
use warnings;
use utf8;
use Test::More;
use POSIX ();
use Time::HiRes qw(time sleep);
use Somoim::Test;
use Somoim::Kafka;

my $N = 20000;   # large enough that a SIGTERM lands mid-burst even with batching
my $base = unique_base();
my ($lo, $hi) = ($base + 1, $base + $N);
my $prog = ($ENV{SOMOIM_BUILD} // $ENV{SOMOIM_TOP}) . '/kafka-consumers/member-events/somoim-member-events';
my $logfile = "$ENV{SOMOIM_RUN}/log/member-events-t112.log";
sub applied { (member_sql("SELECT COUNT(*) FROM copy_profiles WHERE user_id BETWEEN $lo AND $hi"))[0][0] }

sub spawn {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDERR, '>>', $logfile or POSIX::_exit(127);
        open STDOUT, '>&', \*STDERR;
        # One event per transaction: slow enough that the SIGTERM lands mid-burst even
        # when this machine is busy and the polls below are slow.
        $ENV{SOMOIM_MEMBER_EVENTS_BATCH} = 1;
        exec $prog or POSIX::_exit(127);
    }
    return $pid;
}
sub log_text { open my $fh, '<', $logfile or return ''; local $/; return <$fh> }

ok(stack('stop', 'member-events'), 'dev/stack stop member-events');
unlink $logfile;
my $pid = spawn();
ok(wait_until(30, sub { log_text() =~ / ready/ }), 'our own somoim-member-events is ready');

my ($rc, $out) = kafka_tool('produce', 'v1.event.user-signed-up', '--type', 'user-signed-up',
    '--count', $N, '--start', $lo, '--key', '{i}',
    '--data', '{"user_id":{i},"name":"Term {i}","profile_image":null,"version":1}');
is($rc, 0, "produced a burst of $N events");
my @ids = grep { /^[0-9a-f-]{36}\z/ } split /\n/, $out;

my $started = 0;
for (1 .. 3000) {
    last if ($started = applied()) >= 50;
    sleep 0.01;
}
cmp_ok($started, '>=', 50, 'the daemon is applying the burst');
my $t = time;
ok(kill('TERM', $pid), 'SIGTERM');
my $waited = 0;
my $st;
while (time - $t < 30) {
    last if waitpid($pid, POSIX::WNOHANG()) == $pid && (($st = $?), 1);
    sleep 0.05;
}
my $took = time - $t;
ok(defined $st, sprintf('the daemon exited %.2f s after SIGTERM', $took)) or kill 'KILL', $pid;
cmp_ok($took, '<', 10, 'within a few seconds');
is($st, 0, 'with exit code 0') if defined $st;
my $at_stop = applied();
diag("$at_stop of $N applied when it stopped");
cmp_ok($at_stop, '<', $N, 'it stopped in the middle of the burst');
my $log = log_text();
like($log, qr/stopping: signal received/, 'it logged the signal');
like($log, qr/ stopped\n\z/, 'its last line says it stopped');
unlike($log, qr/ERROR|Sanitizer|runtime error:/, 'no error or sanitizer report in its log');

ok(stack('start', 'member-events'), 'dev/stack start member-events');
ok(wait_until(60, sub { applied() == $N }), "after the restart all $N events are applied")
    or diag('applied: ' . applied());
my $seen = 0;
for (my $i = 0; $i < @ids; $i += 1000) {      # in slices: one command line each
    my $id_list = join ',', map { "'$_'" } grep { defined } @ids[$i .. $i + 999];
    my ($n) = member_sql("SELECT COUNT(*) FROM processed_events WHERE consumer_group = 'member' AND event_id IN ($id_list)");
    $seen += $n->[0];
}
is($seen, $N, 'each event is in processed_events once');
my $dups = grep { /duplicate skipped/ } daemon_log('member-events');
diag("duplicate deliveries skipped by the stack's daemon so far: $dups");

done_testing;
