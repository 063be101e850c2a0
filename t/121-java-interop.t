#!/usr/bin/perl
# Our Kafka speaks to Java's: the plain Apache Kafka client (what Spring Kafka sits on),
# run from t/helpers/KafkaInterop.java against the live broker, shows that
#   - every keyed record our relay and tools produced sits on the partition the Java
#     client's default partitioner picks (murmur2), so a Java service publishing the same
#     aggregate's events keeps their order;
#   - a Java requester with ReplyingKafkaTemplate's headers gets its answer from our C
#     responder (sm_reqreply_respond), and our C requester (sm_reqreply_call) gets its
#     answer from a Java responder that follows those headers.

use strict;
use warnings;
use utf8;
use Test::More;
use POSIX ();
use JSON::PP ();
use Somoim::Test;
use Somoim::Kafka;
use Somoim::Member qw(wait_profile);

my $top = $ENV{SOMOIM_TOP} or BAIL_OUT('SOMOIM_TOP is not set');
my $run = $ENV{SOMOIM_RUN} or BAIL_OUT('SOMOIM_RUN is not set');
my $build = $ENV{SOMOIM_BUILD} // $top;
my $brokers = conf('kafka', 'brokers') or BAIL_OUT('no [kafka] brokers');
chomp(my $libs = `bash -c '. "$top/dev/lib.sh" && printf %s "\$KAFKA_LIBS"'`);
my $classes = "$run/java-interop";

ok(-d $libs, 'the Kafka client jars are there (dev/install fetched them)');
mkdir $classes;
is(system('javac', '-nowarn', '-d', $classes, '-cp', "$libs/*", "$top/t/helpers/KafkaInterop.java"),
    0, 'KafkaInterop.java compiles against kafka-clients');
my @java = ('java', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', "$classes:$libs/*",
    'KafkaInterop', $brokers);

sub java_run {
    my (@args) = @_;
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        open STDERR, '>>', "$run/log/java-interop.log" or POSIX::_exit(126);
        exec @java, @args or POSIX::_exit(127);
    }
    local $/;
    my $out = <$fh> // '';
    close $fh;
    return ($? >> 8, $out);
}

sub spawn {
    my ($out, @cmd) = @_;
    unlink $out;    # else a "ready" of an earlier run can be read before the child truncates
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', $out or POSIX::_exit(126);
        open STDERR, '>>', "$out.err" or POSIX::_exit(126);
        exec @cmd or POSIX::_exit(127);
    }
    return $pid;
}

sub ready {
    my ($pid, $out) = @_;
    my $ok = wait_until(120, sub {
        return 1 if waitpid($pid, POSIX::WNOHANG()) == $pid;
        open my $fh, '<', $out or return 0;
        local $/;
        return (<$fh> // '') =~ /^ready$/m;
    }) && kill 0, $pid;
    if (!$ok && open my $fh, '<', "$out.err") {
        my @err = <$fh>;
        diag("$out.err, its end:\n", @err[ ($#err > 30 ? $#err - 30 : 0) .. $#err ]);
    }
    return $ok;
}

sub stop {
    my ($pid) = @_;
    kill 'TERM', $pid;
    wait_until(15, sub { waitpid($pid, POSIX::WNOHANG()) == $pid }) or kill 'KILL', $pid;
}

# --- partitioning: the relay's user events, and a keyed burst from our tool ------------------
# Aggregate ids are the keys; t/111 puts prefixed keys on chosen partitions on purpose.
my $u = signup(name => 'Interop');
my $base = unique_base();
my ($rc) = kafka_tool('produce', 'v1.event.user-updated', '--type', 'user-updated', '--count', 200,
    '--start', $base, '--key', '{i}', '--data', '{"user_id":{i},"name":"J {i}","version":1}');
is($rc, 0, 'our tool produced 200 keyed events');
ok(wait_profile($u->{user}{id}), 'the relay has published the signup');
for my $topic (qw(v1.event.user-signed-up v1.event.user-updated)) {
    my ($status, $out) = java_run('partitions', $topic, '[0-9]+');
    like($out, qr/^checked [1-9]\d* mismatched 0$/m, "$topic: every key where Java puts it ($out)");
    is($status, 0, "$topic: the check exits 0");
}

# --- a Java requester, our C responder -------------------------------------------------------
my $echo = spawn("$run/log/interop-rr-echo.out", "$build/t/helpers/rr-echo");
ok(ready($echo, "$run/log/interop-rr-echo.out"), 'our C responder (rr-echo) is ready');
my ($st, $reply) = java_run('request', 'v1.test.echo.request', 'v1.test.echo.response', 'from java 안녕');
is($st, 0, 'the Java requester got a reply');
my $r = eval { JSON::PP->new->utf8->decode($reply) };
is($r && $r->{echo}, 'from java 안녕', 'with its own payload echoed');
stop($echo);

# --- our C requester, a Java responder -------------------------------------------------------
my $resp = spawn("$run/log/interop-java-respond.out", @java, 'respond', 'v1.test.echo.request');
ok(ready($resp, "$run/log/interop-java-respond.out"), 'the Java responder is ready');
my $call = system("SOMOIM_LOG_LEVEL=debug '$build/t/helpers/rr-call' -n 5 -t 30000 'from C' 2>>'$run/log/interop-rr-call.log'") >> 8;
is($call, 0, 'our C requester got 5 replies from Java, each its own');
stop($resp);

done_testing();
