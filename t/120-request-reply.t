#!/usr/bin/perl
# Request-reply over Kafka (lib/sm_reqreply): every caller gets its own reply and only its
# own, even with many processes waiting on the same reply topic at once; a call nobody
# answers fails after its timeout, not later; and with Kafka down a call still returns an
# error in bounded time.
#
# Drives the C helpers t/helpers/rr-echo (the responder) and t/helpers/rr-call (N sequential
# calls, each checking that the reply echoes exactly its own payload) from $SOMOIM_BUILD.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use POSIX ();
use Time::HiRes ();

my $build = $ENV{SOMOIM_BUILD} // $ENV{SOMOIM_TOP};
my $run = $ENV{SOMOIM_RUN} or BAIL_OUT('SOMOIM_RUN is not set');
my $ECHO = "$build/t/helpers/rr-echo";
my $CALL = "$build/t/helpers/rr-call";
for ($ECHO, $CALL) {
    -x $_ or BAIL_OUT("$_ is not built (make check_PROGRAMS in \$SOMOIM_BUILD=$build)");
}
$ENV{SOMOIM_CONF} or BAIL_OUT('SOMOIM_CONF is not set');
my $ECHO_OUT = "$run/log/rr-echo.out";
my $ECHO_LOG = "$run/log/rr-echo.log";
my $CALL_LOG = "$run/log/rr-call.log";

# --- the responder ---------------------------------------------------------------------------

my $echo_pid;

sub start_echo {
    unlink $ECHO_OUT;
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $ECHO_OUT or POSIX::_exit(126);
        open STDERR, '>>', $ECHO_LOG or POSIX::_exit(126);
        exec $ECHO or POSIX::_exit(127);
    }
    $echo_pid = $pid;
    my $ok = wait_until(60, sub {
        return 1 if waitpid($pid, POSIX::WNOHANG()) == $pid;    # died: stop waiting
        open my $fh, '<', $ECHO_OUT or return 0;
        local $/;
        return (<$fh> // '') =~ /^ready$/m;
    });
    my $alive = kill 0, $pid;
    diag("rr-echo did not come up; its log:\n" . slurp($ECHO_LOG)) unless $ok && $alive;
    return $ok && $alive;
}

# Stops the responder; its exit status (undef when it had to be killed).
sub stop_echo {
    return 0 unless $echo_pid;
    kill 'TERM', $echo_pid;
    my $status;
    if (wait_until(15, sub { waitpid($echo_pid, POSIX::WNOHANG()) == $echo_pid })) {
        $status = $? >> 8;
    } else {
        kill 'KILL', $echo_pid;
        waitpid $echo_pid, 0;
    }
    undef $echo_pid;
    return $status;
}

END {
    if ($echo_pid) {
        local ($?, $!);
        kill 'KILL', $echo_pid;
        waitpid $echo_pid, 0;
    }
}

sub slurp {
    my ($file) = @_;
    open my $fh, '<', $file or return "($file: $!)";
    local $/;
    my $s = <$fh> // '';
    return length $s > 4000 ? '...' . substr($s, -4000) : $s;
}

# rr_call(@args) → { rc, lines => [...], ok, timeout, mismatch, ms => [...], wall }
sub rr_call {
    my (@args) = @_;
    my $t0 = Time::HiRes::time();
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if ($pid == 0) {
        open STDERR, '>>', $CALL_LOG or POSIX::_exit(126);
        exec $CALL, @args or POSIX::_exit(127);
    }
    my @lines = <$fh>;
    close $fh;
    my %r = (rc => $? >> 8, lines => [map { s/\s+\z//r } @lines], ok => 0, timeout => 0,
        mismatch => 0, ms => [], wall => Time::HiRes::time() - $t0);
    for (@{ $r{lines} }) {
        next unless /^call \d+ (ok|timeout|mismatch) ([\d.]+)/;
        $r{$1}++;
        push @{ $r{ms} }, $2 + 0 if $1 eq 'ok';
    }
    return \%r;
}

sub pct {
    my ($p, @v) = @_;
    @v = sort { $a <=> $b } @v;
    return 0 unless @v;
    my $i = int($p / 100 * @v + 0.999999) - 1;
    $i = 0 if $i < 0;
    return $v[$i];
}

# --- every call gets its own reply -----------------------------------------------------------

ok(start_echo(), 'rr-echo consumes v1.test.echo.request and says ready')
    or BAIL_OUT('no responder');

my $warm = rr_call('-n', 3, 'warm-up');
is($warm->{ok}, 3, 'a first rr-call -n 3 gets 3 replies') or diag(explain($warm));

# The timeout is generous: this part is about whose reply each call gets, not speed (the
# round trips are printed below), and 20 processes on a loaded 2-core machine are slow.
my @res = parallel(20, sub { my ($i) = @_; return rr_call('-n', 10, '-t', 20000, "caller-$i") });
my ($ok, $timeout, $mismatch, $clean) = (0, 0, 0, 0);
my (@ms, @ms_warm);
for my $r (@res) {
    $ok += $r->{ok};
    $timeout += $r->{timeout};
    $mismatch += $r->{mismatch};
    $clean++ if $r->{rc} == 0;
    push @ms, @{ $r->{ms} };
    push @ms_warm, @{ $r->{ms} }[1 .. $#{ $r->{ms} }] if @{ $r->{ms} } > 1;
}
is($ok, 200, '20 concurrent rr-call -n 10: all 200 calls got a reply');
is($mismatch, 0, '... and no call got a reply meant for another call or process');
is($timeout, 0, '... and none timed out');
is($clean, 20, '... and all 20 rr-call processes exit 0')
    or diag(join "\n", map { join "\n", @{ $_->{lines} } } grep { $_->{rc} } @res);
diag(sprintf 'round trip over %d calls (20 processes at once): p50 %.1f ms, p99 %.1f ms, max %.1f ms;'
        . ' without each process\'s first call: p50 %.1f ms, p99 %.1f ms',
    scalar @ms, pct(50, @ms), pct(99, @ms), pct(100, @ms), pct(50, @ms_warm), pct(99, @ms_warm));
my $seq = rr_call('-n', 50, 'sequential');
is($seq->{ok}, 50, 'one rr-call -n 50 alone: 50 replies');
diag(sprintf 'round trip, one caller alone, 50 calls: p50 %.1f ms, p99 %.1f ms',
    pct(50, @{ $seq->{ms} }), pct(99, @{ $seq->{ms} }));

# --- nobody answers --------------------------------------------------------------------------

is(stop_echo(), 0, 'rr-echo exits 0 on SIGTERM');

my $t = rr_call('-t', 1000, 'nobody home');
isnt($t->{rc}, 0, 'with no responder, rr-call -t 1000 fails');
is($t->{timeout}, 1, '... reporting a timeout') or diag(join "\n", @{ $t->{lines} });
# (Wall clock includes the process's start and exit, which a loaded machine stretches.)
ok($t->{wall} >= 1.0 && $t->{wall} <= 6.0, '... after 1 to 6 s of wall clock')
    or diag("took $t->{wall} s");
note(sprintf 'no responder: rr-call -t 1000 took %.2f s', $t->{wall});

# --- Kafka down ------------------------------------------------------------------------------

ok(stack('stop', 'kafka'), 'dev/stack stop kafka') or BAIL_OUT('cannot stop kafka');
my $d = rr_call('-t', 2000, 'kafka is down');
isnt($d->{rc}, 0, 'with Kafka down, rr-call -t 2000 fails');
is($d->{timeout}, 1, '... reporting the failed call') or diag(join "\n", @{ $d->{lines} });
ok($d->{wall} <= 8.0, '... within 8 s of wall clock') or diag("took $d->{wall} s");
note(sprintf 'Kafka down: rr-call -t 2000 took %.2f s', $d->{wall});

ok(stack('start', 'kafka'), 'dev/stack start kafka') or BAIL_OUT('cannot start kafka');
ok(start_echo(), 'rr-echo is ready again once Kafka is back');
my $back = rr_call('-n', 5, '-t', 20000, 'kafka is back');
is($back->{ok}, 5, 'after Kafka came back, 5 calls get their replies')
    or diag(join "\n", @{ $back->{lines} });
is(stop_echo(), 0, 'rr-echo exits 0 on SIGTERM again');

done_testing;
