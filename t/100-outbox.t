#!/usr/bin/perl
# The transactional outbox: nothing a user writes is lost while Kafka is down.
#
# With Kafka stopped, 50 signups and 50 profile changes (two each for 25 of the users) all
# succeed, because the user service only writes its events into its own outbox table in
# the same transaction. Once Kafka is back, somoim-outbox-relay publishes every one of the
# 100 events exactly once (by event id), keyed by the user id, with the request id of the
# HTTP request that caused it, and in each user's order (versions increasing); the outbox
# has nothing unpublished left. Kafka is read with kcat from the beginning of each topic;
# the database with the user service's own credentials.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes ();
use Somoim::Test;

my $BROKERS = conf('kafka', 'brokers') // BAIL_OUT('no [kafka] brokers in SOMOIM_CONF');
my $SIGNED_UP = 'v1.event.user-signed-up';
my $UPDATED = 'v1.event.user-updated';

# sql($schema, $query) → list of rows (array refs), as that schema's DB user.
sub sql {
    my ($schema, $query) = @_;
    local $ENV{MYSQL_PWD} = conf($schema, 'db_password') // '';
    my @cmd = ('mariadb', '--no-defaults', '-h', conf('mysql', 'host') // '127.0.0.1',
        '-P', conf('mysql', 'port'), '-u', conf($schema, 'db_user') // "somoim_$schema",
        '-D', conf($schema, 'db_name') // "somoim_$schema", '-N', '-B', '-e', $query);
    open my $fh, '-|', @cmd or die "cannot run mariadb: $!";
    my @rows = map { chomp; [split /\t/, $_, -1] } <$fh>;
    close $fh or die "mariadb failed (exit " . ($? >> 8) . "): $query\n";
    return @rows;
}

sub unpublished { return (sql('user', 'SELECT COUNT(*) FROM outbox WHERE published_at IS NULL'))[0][0] }

# Every message of a topic: { partition, offset, key, ts, headers => {}, event => {} }.
sub read_topic {
    my ($topic) = @_;
    my @cmd = ('kcat', '-C', '-b', $BROKERS, '-t', $topic, '-o', 'beginning', '-e', '-q',
        '-f', '%p\t%o\t%k\t%T\t%h\t%s\n');
    open my $fh, '-|', @cmd or die "cannot run kcat: $!";
    my @msgs;
    while (my $line = <$fh>) {
        chomp $line;
        my ($p, $o, $k, $ts, $h, $v) = split /\t/, $line, 6;
        next unless defined $v;
        my %hdr = map { split /=/, $_, 2 } grep { length } split /,/, $h;
        my $ev = eval { $Somoim::Test::JSON->decode($v) };
        push @msgs, { partition => $p, offset => $o, key => $k, ts => $ts, headers => \%hdr,
            event => $ev, topic => $topic };
    }
    close $fh;
    return @msgs;
}

# ---- Kafka down: every write still succeeds -----------------------------------------------

ok(stack('stop', 'kafka'), 'Kafka is stopped');

my (@users, %by_id);
my ($signup_ok, $patch_ok) = (0, 0);
for my $i (1 .. 50) {
    my $acct = eval { signup(name => "Outbox $i") };
    next unless $acct;
    $signup_ok++;
    my $u = { id => $acct->{user}{id}, token => $acct->{access_token},
        rids => [$acct->{res}{headers}{'x-request-id'}], names => ["Outbox $i"] };
    push @users, $u;
    $by_id{ $u->{id} } = $u;
}
is($signup_ok, 50, 'with Kafka down, 50 signups answer 201');

for my $round (1, 2) {
    for my $u (@users[0 .. 24]) {
        my $name = "Renamed $round $u->{id}";
        my $res = api(PATCH => '/api/v1/users/me', { name => $name }, token => $u->{token});
        next unless $res->{status} == 200;
        $patch_ok++;
        push @{ $u->{rids} }, $res->{headers}{'x-request-id'};
        push @{ $u->{names} }, $name;
    }
}
is($patch_ok, 50, 'with Kafka down, 50 profile changes answer 200');
cmp_ok(unpublished(), '>=', 100, 'the 100 events wait in the outbox');

# ---- Kafka back: each event arrives exactly once, in order --------------------------------

my $t0 = Time::HiRes::time();
ok(stack('start', 'kafka'), 'Kafka is started again');

my %want_rid = map { my $u = $_; map { ($_ => $u->{id}) } @{ $u->{rids} } } @users;
my @ours;
my $all_in = wait_until(90, sub {
    @ours = grep { defined $_->{headers}{'X-Request-Id'} && $want_rid{ $_->{headers}{'X-Request-Id'} } }
        map { read_topic($_) } $SIGNED_UP, $UPDATED;
    my %seen = map { ($_->{headers}{'X-Request-Id'} => 1) } @ours;
    return keys(%seen) == keys(%want_rid);
});
ok($all_in, 'all 100 events reach Kafka once it is back')
    or diag(scalar(@ours) . ' of ' . scalar(keys %want_rid) . ' found');
note(sprintf 'all events in Kafka %.1f s after `dev/stack start kafka` returned',
    Time::HiRes::time() - $t0) if $all_in;

my %by_event;
push @{ $by_event{ $_->{event} ? $_->{event}{id} : 'unparsable' } }, $_ for @ours;
is(scalar(grep { @$_ > 1 } values %by_event), 0, 'no event id appears twice')
    or diag(join ', ', grep { @{ $by_event{$_} } > 1 } keys %by_event);
is(scalar(@ours), 100, 'exactly 100 messages carry our request ids');

my @bad;
for my $m (@ours) {
    my $ev = $m->{event};
    my $uid = $want_rid{ $m->{headers}{'X-Request-Id'} };
    push @bad, "unparsable payload at $m->{topic}/$m->{partition}/$m->{offset}" and next
        unless ref $ev eq 'HASH' && ref $ev->{data} eq 'HASH';
    push @bad, "key $m->{key} for user $uid" if $m->{key} ne $uid;
    push @bad, "data.user_id $ev->{data}{user_id} for user $uid" if $ev->{data}{user_id} != $uid;
    push @bad, "event_id header $m->{headers}{event_id} != envelope id $ev->{id}"
        if ($m->{headers}{event_id} // '') ne $ev->{id};
    my $type = $m->{topic} eq $SIGNED_UP ? 'user-signed-up' : 'user-updated';
    push @bad, "type $ev->{type} on $m->{topic}" if $ev->{type} ne $type;
    push @bad, "source $ev->{source}" if ($ev->{source} // '') ne 'user';
    # An envelope's time keeps milliseconds (lib/sm_time.h); API answers do not.
    push @bad, "occurred_at $ev->{occurred_at}"
        unless ($ev->{occurred_at} // '') =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\z/;
}
is(scalar(@bad), 0, 'every message: key = user id, event_id header = envelope id, right type')
    or diag(join "\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]);

# The request id of each message is that of the HTTP request which caused it: the signup
# for version 1, the first PATCH for version 2, the second for version 3.
@bad = ();
for my $m (grep { ref $_->{event} eq 'HASH' } @ours) {
    my $u = $by_id{ $want_rid{ $m->{headers}{'X-Request-Id'} } };
    my $v = $m->{event}{data}{version} // 0;
    my $want = $u->{rids}[$v - 1] // '(none)';
    push @bad, "user $u->{id} version $v: X-Request-Id $m->{headers}{'X-Request-Id'}, want $want"
        if $m->{headers}{'X-Request-Id'} ne $want;
    push @bad, "user $u->{id} version $v: name $m->{event}{data}{name}, want $u->{names}[$v - 1]"
        if ($m->{event}{data}{name} // '') ne ($u->{names}[$v - 1] // '');
}
is(scalar(@bad), 0, 'each event carries the request id and name of the request that made it')
    or diag(join "\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]);

# Per-user order: versions 1..n each once; the relay produced them in version order (the
# producer's CreateTime never goes back; equal milliseconds are common); a user's updates
# share one partition and their offsets follow their versions.
@bad = ();
for my $u (@users) {
    my @mine = sort { $a->{event}{data}{version} <=> $b->{event}{data}{version} }
        grep { ref $_->{event} eq 'HASH' && $_->{key} eq $u->{id} } @ours;
    my @versions = map { $_->{event}{data}{version} } @mine;
    my $want = join ' ', 1 .. scalar @{ $u->{rids} };
    push @bad, "user $u->{id}: versions @versions, want $want" if "@versions" ne $want;
    my @ts = map { $_->{ts} } @mine;
    push @bad, "user $u->{id}: produced at @ts (by version)"
        if grep { $ts[$_] < $ts[$_ - 1] } 1 .. $#ts;
    my @upd = grep { $_->{topic} eq $UPDATED } @mine;
    my %parts = map { ($_->{partition} => 1) } @upd;
    push @bad, "user $u->{id}: updates on partitions " . join(',', keys %parts) if keys %parts > 1;
    my @by_offset = map { $_->{event}{data}{version} } sort { $a->{offset} <=> $b->{offset} } @upd;
    push @bad, "user $u->{id}: update versions by offset @by_offset"
        if join(',', @by_offset) ne join(',', sort { $a <=> $b } @by_offset);
    push @bad, "user $u->{id}: version 1 is not the signup event"
        if @mine && $mine[0]{topic} ne $SIGNED_UP;
    push @bad, "user $u->{id}: signup event lacks the email"
        if @mine && $mine[0]{topic} eq $SIGNED_UP && !defined $mine[0]{event}{data}{email};
    push @bad, "user $u->{id}: update lacks changed=[name]"
        if grep { ref $_->{event}{data}{changed} ne 'ARRAY'
            || !grep { $_ eq 'name' } @{ $_->{event}{data}{changed} } } @upd;
}
is(scalar(@bad), 0, 'per user: signup first, versions increasing, updates in one partition')
    or diag(join "\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]);

ok(wait_until(30, sub { unpublished() == 0 }), 'the outbox has no unpublished rows left')
    or diag(unpublished() . ' rows still unpublished');

# ---- The consumer side, when it is there: copy_profiles follows the events --------------
# (kafka-consumers/member-events fills somoim_member.copy_profiles from these events.)

subtest 'copy_profiles holds every user\'s latest name once' => sub {
    my $have = defined conf('member', 'db_password')
        && eval { (sql('member', q{SELECT COUNT(*) FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_name = 'copy_profiles'}))[0][0] };
    plan skip_all => 'no somoim_member.copy_profiles in this build' unless $have;
    my $ids = join ',', map { $_->{id} } @users;
    my %latest = map { ($_->{id} => $_->{names}[-1]) } @users;
    my @wrong;
    my $done = wait_until(60, sub {
        my %rows;
        push @{ $rows{ $_->[0] } }, $_->[1]
            for sql('member', "SELECT user_id, name FROM copy_profiles WHERE user_id IN ($ids)");
        @wrong = map {
            my $got = $rows{$_} || [];
            @$got == 1 && $got->[0] eq $latest{$_} ? () : "user $_: @$got (want $latest{$_})"
        } sort { $a <=> $b } keys %latest;
        return !@wrong;
    });
    ok($done, 'each of the 50 users has exactly one row with the latest name')
        or diag(join "\n", @wrong[0 .. ($#wrong < 9 ? $#wrong : 9)]);
};

done_testing();
