#!/usr/bin/perl
# A poison event (a user-updated whose name does not fit copy_profiles.name) is tried
# exactly 3 times about 1 s apart, then lands in v1.event.user-updated.DLT with Spring's
# kafka_dlt-* headers. The partition it blocked goes on after the retries, other partitions
# never stop, and an envelope that is not JSON goes to the DLT without retries. Once the
# fault is fixed, `somoim-kafka dlt redrive` re-applies it exactly once, in the group that
# dead-lettered it only (the redrive names the group; other groups pass it by).

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time sleep);
use Somoim::Test;
use Somoim::Kafka;

my $TOPIC = 'v1.event.user-updated';
my $DLT = "$TOPIC.DLT";
my $base = unique_base();
my $poison_user = $base + 1;
my $long = 'p' x 200;

sub profile { my ($id) = @_; return (member_sql("SELECT name, version FROM copy_profiles WHERE user_id = $id"))[0] }
sub produce_one {
    my ($partition, $user, $name, %o) = @_;
    my $version = $o{version} // 2;
    my ($rc, $out) = kafka_tool('produce', $TOPIC, '--type', 'user-updated', '--key', "u$user",
        '--partition', $partition, '--data',
        qq({"user_id":$user,"name":"$name","profile_image":null,"version":$version}));
    die "somoim-kafka produce failed\n" if $rc;
    my ($id) = $out =~ /^([0-9a-f-]{36})$/m;
    return $id;
}
sub dead_letters {
    my ($rc, $out) = kafka_tool('dlt', 'list', $DLT);
    my @msgs;
    for my $block (split /^(?=--- )/m, $out) {
        next unless $block =~ /^--- partition=(\d+) offset=(\d+) timestamp=(-?\d+) redriven=(\w+) key=(.*)$/m;
        my %m = (partition => $1, offset => $2, redriven => $4, key => $5, headers => {});
        $m{headers}{$1} = $2 while $block =~ /^header ([^:]+): (.*)$/mg;
        ($m{value}) = $block =~ /^value: (.*)$/m;
        push @msgs, \%m;
    }
    return @msgs;
}
# The member group's dead letter of an event: every group that copies profiles (the
# member, comment, board and schedule daemons) dead-letters the poison on its own.
sub dead_letter_of {
    my ($event_id) = @_;
    return grep { ($_->{headers}{event_id} // '') eq $event_id
        && ($_->{headers}{'kafka_dlt-original-consumer-group'} // '') eq 'member' } dead_letters();
}

# The column as the migration made it (the rows only this test can have made too long go).
sub restore_column {
    member_sql('DELETE FROM copy_profiles WHERE CHAR_LENGTH(name) > 50');
    member_sql('ALTER TABLE copy_profiles MODIFY name VARCHAR(50) NOT NULL');
}
END { eval { restore_column() } }
restore_column();

my ($rc) = kafka_tool('dlt', 'list', $DLT);
is($rc, 0, "somoim-kafka dlt list $DLT works");

# --- the poison, one good event behind it on its partition, one on another partition -------

# The daemon is held (SIGSTOP) while the five events are produced, so it finds them all
# waiting at once however slowly the producing goes: the poison's retries cannot be over
# before the event on the other partition exists.
my $daemon = daemon_pid('member-events') or BAIL_OUT('no member-events pid');
ok(kill('STOP', $daemon), 'member-events held');
END { kill 'CONT', $daemon if $daemon }
my ($t_poison, $poison, $t_produced, @behind, $other);
my $produced = eval {
    $t_poison = time;
    $poison = produce_one(1, $poison_user, $long);
    $t_produced = time;
    @behind = map { produce_one(1, $base + 1 + $_, "Behind $_") } 1 .. 3;
    $other = produce_one(0, $base + 10, 'Other Partition');
    1;
};
kill 'CONT', $daemon;
diag($@) unless $produced;
ok($poison && $other && @behind == 3 && !grep { !$_ } @behind,
    'produced a user-updated with a 200-character name on partition 1, 3 events behind it, one on partition 0');

ok(wait_until(60, sub { dead_letter_of($poison) }), "the poison event reached $DLT");
ok(wait_until(30, sub { profile($base + 10) && !grep { !profile($base + 1 + $_) } 1 .. 3 }),
    'the event on another partition and the 3 behind the poison on its partition were applied');
ok(!profile($poison_user), 'the poison changed nothing');

# --- attempts and their spacing, from the daemon's log -------------------------------------

my @log = daemon_log('member-events');
my @attempts = grep { /attempt \d+\/3 failed.*event_id=$poison/ } @log;
is(scalar @attempts, 3, 'the daemon logged exactly 3 failed attempts') or diag(join "\n", @attempts);
like($attempts[0] // '', qr/attempt 1\/3 failed, retrying in 1000 ms: topic=$TOPIC partition=1 offset=\d+ event_id=$poison: Data too long/,
    'attempt 1 names topic, partition, offset, event id and the SQL error');
like($attempts[2] // '', qr/attempt 3\/3 failed, dead-lettering/, 'attempt 3 dead-letters');
my @t = map { log_time($_) } @attempts;
# The backoff is 1 s; the attempt itself (a failing transaction) adds its own time, which a
# loaded machine stretches.
for my $i (1 .. $#t) {
    my $gap = $t[$i] - $t[$i - 1];
    ok($gap >= 0.9 && $gap < 3.0, sprintf('attempt %d came %.2f s after attempt %d (about 1 s)', $i + 1, $gap, $i));
}
is(scalar(grep { /dead-lettered topic=$TOPIC partition=1 offset=\d+ event_id=$poison to $DLT \[1\]/ } @log), 1,
    'one dead-letter line, to the same partition number');

# --- the order, from the daemon's clocks: its log, and each event's commit ----------------

sub applied_at {
    my ($event_id) = @_;
    my ($row) = member_sql('SELECT UNIX_TIMESTAMP(processed_at) FROM processed_events'
        . " WHERE consumer_group = 'member' AND event_id = '$event_id'");
    return $row ? $row->[0] : undef;
}
my $t_last = $t[-1] // 0;
my $t_other = applied_at($other) // 9e9;
my @t_behind = map { applied_at($_) // 0 } @behind;
cmp_ok($t_other, '<', $t_last, 'the event on partition 0 was applied while the poison was being retried')
    or diag("applied at $t_other, last attempt at $t_last");
is(scalar(grep { $_ < $t_last - 0.05 } @t_behind), 0,
    'the events behind the poison on its partition waited for its last attempt')
    or diag("applied at @t_behind, last attempt at $t_last");
my ($latest) = sort { $b <=> $a } @t_behind;
cmp_ok($latest - $t_last, '<', 5, 'and then waited for nothing else')
    or diag("applied at @t_behind, last attempt at $t_last");

# --- the dead letter -------------------------------------------------------------------------

my ($dl) = dead_letter_of($poison);
is($dl->{partition}, 1, 'the dead letter is on partition 1 of the DLT');
is($dl->{key}, "u$poison_user", 'it keeps the original key');
like($dl->{value}, qr/"id":"$poison"/, 'it keeps the original value');
my $h = $dl->{headers};
is($h->{'kafka_dlt-original-topic'}, $TOPIC, 'kafka_dlt-original-topic');
is($h->{'kafka_dlt-original-partition'}, 1, 'kafka_dlt-original-partition (int32 BE)');
like($h->{'kafka_dlt-original-offset'} // '', qr/^\d+$/, 'kafka_dlt-original-offset (int64 BE)');
my $ts = ($h->{'kafka_dlt-original-timestamp'} // 0) / 1000;
ok($ts >= $t_poison - 1 && $ts <= $t_produced + 1,
    'kafka_dlt-original-timestamp (int64 BE, epoch ms) is when it was produced')
    or diag("timestamp $ts, produced between $t_poison and $t_produced");
is($h->{'kafka_dlt-original-timestamp-type'}, 'CreateTime', 'kafka_dlt-original-timestamp-type');
is($h->{'kafka_dlt-original-consumer-group'}, 'member', 'kafka_dlt-original-consumer-group');
is($h->{'kafka_dlt-exception-fqcn'}, 'org.springframework.kafka.listener.ListenerExecutionFailedException',
    'kafka_dlt-exception-fqcn (what Spring tools expect)');
like($h->{'kafka_dlt-exception-message'} // '', qr/Data too long for column 'name'/,
    'kafka_dlt-exception-message carries the SQL error');
is($h->{event_id}, $poison, 'the original headers are kept');
is($dl->{redriven}, 'no', 'it is not re-driven yet');

# --- fix the fault, re-drive ----------------------------------------------------------------

member_sql('ALTER TABLE copy_profiles MODIFY name VARCHAR(255) NOT NULL');
my ($drc, $dout) = kafka_tool('dlt', 'redrive', $DLT, '--offset', "$dl->{partition}:$dl->{offset}");
is($drc, 0, 'dlt redrive --offset P:N after widening the column');
like($dout, qr/re-driven 1 message/, 'it re-drove one message');
ok(wait_until(30, sub { my $p = profile($poison_user); $p && $p->[0] eq $long }),
    'the re-driven event is applied');
($drc, $dout) = kafka_tool('dlt', 'redrive', $DLT, '--all');
is($drc, 0, 'dlt redrive --all');
# (Matched with its partition: dead letters of earlier runs may share the offset number.)
my $ours = qr/partition=$dl->{partition} offset=$dl->{offset}: re-driven/;
unlike($dout, $ours, '--all does not send the re-driven one again');
($drc, $dout) = kafka_tool('dlt', 'redrive', $DLT, '--all');
unlike($dout, $ours, 'a second --all does not send it either');
sleep 2;
my ($n) = member_sql("SELECT COUNT(*) FROM processed_events WHERE consumer_group = 'member' AND event_id = '$poison'");
is($n->[0], 1, 'the poison event was applied exactly once');
is(scalar(grep { /duplicate skipped.*event_id=$poison/ } daemon_log('member-events')), 0,
    'and never sent to the daemon twice');
my ($again) = dead_letter_of($poison);
is($again->{redriven}, 'yes', 'dlt list shows it as re-driven');

# --- not an envelope: no retries -----------------------------------------------------------

my ($rrc) = kafka_tool('produce', $TOPIC, '--key', "raw$base", '--partition', 2, '--raw', "garbage $base");
is($rrc, 0, 'produced a value that is not an envelope');
my ($raw) = (undef);
ok(wait_until(30, sub { ($raw) = grep { ($_->{value} // '') eq "garbage $base" } dead_letters(); $raw }),
    'it reached the DLT');
is($raw && $raw->{headers}{'kafka_dlt-exception-fqcn'},
    'org.springframework.kafka.support.serializer.DeserializationException',
    '... as a DeserializationException');
is(scalar(grep { /not an event envelope.*partition=2 offset=$raw->{headers}{'kafka_dlt-original-offset'} / } daemon_log('member-events')), 1,
    '... without retries') if $raw;

done_testing;
