# Somoim::Schedule — helpers for the schedule service tests (t/300-319).
#
# The one design decision: the people in a test are of two kinds. Real users (signup, a
# real community, a real join) check the event path end to end: a membership reaches
# the schedule schema's copy a moment after the join, so tests wait for it
# (wait_member). The crowds of the concurrency tests (200 racers per strategy) are
# seeded straight into the schedule schema's copies with tokens minted with the stack's
# JWT secret — what somoim-schedule-events would write for a member-joined — because
# 1,000 memory-hard signups per run would cost minutes; every attendance request still
# goes through nginx and the real service.

package Somoim::Schedule;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
use POSIX qw(strftime);
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(schedule_sql wait_community wait_member schedule_community seed_members
    new_schedule schedule_body attend cancel schedule_get use_strategy strategies
    invariants_ok future_time events_of strategy_suite kafka_command kafka_reply leaver_scene
    places_of);

use Somoim::Test;
use Somoim::Community qw(create_community);
use Somoim::Member ();
use Somoim::Kafka qw(unique_base);
use Test::More ();
use Time::HiRes ();
use JSON::PP ();

my $S = '/api/v1/schedules';

# The five strategies, default first.
sub strategies { return qw(conditional-update optimistic pessimistic redis-lock kafka) }

# schedule_sql($sql) → the rows as array refs (NULL as "NULL"). Dies on failure.
sub schedule_sql { return db_sql('schedule', @_) }

# wait_community($cid) → true once the schedule schema has the community (≤ 15 s).
sub wait_community {
    my ($cid) = @_;
    return wait_until(30, sub {
        scalar schedule_sql(sprintf 'SELECT 1 FROM copy_communities WHERE id = %d', $cid);
    });
}

# wait_member($cid, $uid, $present) → true once the copy says $uid is (or, with
# $present = 0, is no longer) a member of $cid (≤ 15 s).
sub wait_member {
    my ($cid, $uid, $present) = @_;
    $present //= 1;
    return wait_until(30, sub {
        my @r = schedule_sql(sprintf 'SELECT 1 FROM copy_members WHERE community_id = %d'
            . ' AND user_id = %d AND role IS NOT NULL', $cid, $uid);
        return $present ? scalar @r : !@r;
    });
}

# schedule_community($owner, %over) → the community, once its copy and its owner's
# membership reached the schedule schema (dies otherwise).
sub schedule_community {
    my ($owner, %over) = @_;
    my $c = create_community($owner->{access_token}, %over);
    wait_community($c->{id}) or croak "community $c->{id} did not reach the schedule schema";
    wait_member($c->{id}, $owner->{user}{id})
        or croak "the owner of $c->{id} did not become a member in the schedule schema";
    return $c;
}

# seed_members($cid, $n) → $n members [{id, token}] of $cid written into the copies.
sub seed_members {
    my ($cid, $n) = @_;
    my $base = unique_base();
    my @m = map { { id => $base + $_, token => make_jwt({ sub => '' . ($base + $_) }) } } 1 .. $n;
    for (my $i = 0; $i < @m; $i += 500) {
        my @part = @m[$i .. ($i + 499 < $#m ? $i + 499 : $#m)];
        schedule_sql('INSERT INTO copy_members (community_id, user_id, role, seq) VALUES '
            . join(',', map { sprintf "(%d, %d, 'member', 1)", $cid, $_->{id} } @part));
        schedule_sql('INSERT INTO copy_profiles (user_id, name, profile_image, version) VALUES '
            . join(',', map { sprintf "(%d, 'racer %d', NULL, 1)", $_->{id}, $_->{id} } @part));
    }
    return @m;
}

# future_time($seconds) → RFC 3339 UTC that far from now.
sub future_time { return strftime('%Y-%m-%dT%H:%M:%SZ', gmtime(time + $_[0])) }

sub schedule_body {
    my (%over) = @_;
    my %b = (
        title            => "정모 $$-" . int(rand 1e6),
        starts_at        => future_time(7 * 86400),
        place            => '서울숲',
        fee              => 10000,
        max_participants => 5,
    );
    for (keys %over) { if (defined $over{$_}) { $b{$_} = $over{$_} } else { delete $b{$_} } }
    return \%b;
}

# new_schedule($cid, $token, %over) → the schedule (dies unless 201).
sub new_schedule {
    my ($cid, $tok, %over) = @_;
    my $r = api(POST => "/api/v1/communities/$cid/schedules", schedule_body(%over),
        token => $tok);
    croak "create schedule failed (want 201):\n" . dump_res($r) unless $r->{status} == 201;
    return $r->{json};
}

# leaver_scene($owner_name) → { owner, leaver, lid, cid, sid, w => [two members] }: a
# community with a member who is about to leave, two more members (seeded into the copies)
# and a one-seat schedule, for the give-back tests.
sub leaver_scene {
    my ($name) = @_;
    my %s = (owner => signup(name => $name), leaver => signup(name => '떠나는 회원'));
    $s{lid} = $s{leaver}{user}{id};
    $s{cid} = schedule_community($s{owner})->{id};
    res_is(Somoim::Member::join_community($s{cid}, $s{leaver}{access_token}), 201,
        'the leaver joins');
    Test::More::ok(wait_member($s{cid}, $s{lid}), '… and the schedule schema learns it');
    $s{w} = [ seed_members($s{cid}, 2) ];
    $s{sid} = new_schedule($s{cid}, $s{owner}{access_token}, max_participants => 1)->{id};
    return \%s;
}

# places_of($sid) → "user:status ..." for the schedule's attendance rows in queue order.
sub places_of {
    my ($sid) = @_;
    return join ' ', map { "$_->[0]:$_->[1]" } schedule_sql("SELECT user_id, status FROM"
        . " attendances WHERE schedule_id = $sid ORDER BY queue_id");
}

sub attend { my ($sid, $tok) = @_; return api(PUT => "$S/$sid/attendance", undef, token => $tok) }
sub cancel { my ($sid, $tok) = @_; return api(DELETE => "$S/$sid/attendance", undef, token => $tok) }
sub schedule_get { my ($sid, $tok) = @_; return api(GET => "$S/$sid", undef, token => $tok) }

# use_strategy($name): restarts the schedule instances and somoim-schedule-events (whose
# member-left give-back goes through the strategy's serializer) with
# SOMOIM_SCHEDULE_STRATEGY, and puts the configured default back when the test ends.
my $CHANGED;
my @STRATEGY_USERS = qw(schedule-1 schedule-2 schedule-events);
sub use_strategy {
    my ($name) = @_;
    $ENV{SOMOIM_SCHEDULE_STRATEGY} = $name;
    $CHANGED = 1;
    my $ok = stack('restart', @STRATEGY_USERS);
    return $ok;
}

END {
    if ($CHANGED) {
        local ($?, $!, $@);
        delete $ENV{SOMOIM_SCHEDULE_STRATEGY};
        stack('restart', @STRATEGY_USERS);
    }
}

# kafka_command(\%cmd, %opt) → true once kcat delivered the attendance command %cmd to
# v1.command.attendance.request, keyed by its schedule with the murmur2 partitioner (as
# every producer of ours and Java's, so the command joins that schedule's partition). opt: reply => a correlation id: the request-reply headers go along, and the
# consumer answers on v1.command.attendance.response (kafka_reply). Without it the command
# is fire-and-forget, like somoim-schedule-events' give-backs.
sub kafka_command {
    my ($cmd, %opt) = @_;
    my @h = defined $opt{reply}
        ? ('-H', 'kafka_replyTopic=v1.command.attendance.response',
           '-H', "kafka_correlationId=$opt{reply}") : ();
    open my $fh, '|-', 'kcat', '-P', '-q', '-b', conf('kafka', 'brokers'),
        '-X', 'partitioner=murmur2_random', '-t', 'v1.command.attendance.request',
        '-k', "$cmd->{schedule_id}", @h
        or croak "cannot run kcat: $!";
    print $fh JSON::PP->new->canonical->encode($cmd), "\n";
    return close $fh;
}

# kafka_reply($correlation_id) → the consumer's answer (decoded) to the command sent with
# that correlation id, or undef while there is none.
sub kafka_reply {
    my ($cid) = @_;
    open my $fh, '-|', 'kcat', '-C', '-q', '-e', '-o', 'beginning', '-b', conf('kafka', 'brokers'),
        '-t', 'v1.command.attendance.response', '-f', "%h\t%s\n"
        or croak "cannot run kcat: $!";
    local $/;
    my $all = <$fh> // '';
    close $fh;
    return $all =~ /kafka_correlationId=\Q$cid\E\t(\{[^\n]*\})\n/
        ? JSON::PP->new->decode($1) : undef;
}

# invariants_ok($sid, $name): participant_count and waitlist_count equal the rows, and
# participant_count is within max_participants. Returns the (count, waitlist, max) row.
sub invariants_ok {
    my ($sid, $name) = @_;
    my ($row) = schedule_sql("SELECT participant_count, waitlist_count, max_participants,"
        . " (SELECT COUNT(*) FROM attendances WHERE schedule_id = s.id AND status = 'attending'),"
        . " (SELECT COUNT(*) FROM attendances WHERE schedule_id = s.id AND status = 'waitlisted')"
        . " FROM schedules s WHERE id = $sid");
    Test::More::ok($row && $row->[0] == $row->[3] && $row->[1] == $row->[4]
        && $row->[0] <= $row->[2],
        "$name: counts equal the rows and stay within the cap ("
        . ($row ? "$row->[0]/$row->[2] attending, $row->[1] waitlisted" : 'no schedule') . ')');
    return $row;
}

# events_of($sid) → the attendance-changed events of $sid in outbox order (data hashes).
sub events_of {
    my ($sid) = @_;
    return map { JSON::PP->new->decode($_->[0])->{data} }
        schedule_sql("SELECT payload FROM outbox WHERE topic = 'v1.event.attendance-changed'"
            . " AND msg_key = '$sid' ORDER BY id");
}

# What every strategy must do (t/310-314): run with use_strategy($name) first.
#   1. 200 members racing PUT on 5 seats: 5 attend, 195 wait, no 5xx, counts = rows.
#   2. A mixed storm of cancels and attends keeps every invariant; the waitlist is FIFO.
#   3. Non-members 403, started schedules 409, bad input 400 with fields.
sub strategy_suite {
    my ($name, %opt) = @_;
    my $racers = $opt{racers} // 200;
    my $owner = $opt{owner} or croak 'strategy_suite: owner';
    my $cid = $opt{community_id} or croak 'strategy_suite: community_id';
    my $tok = $owner->{access_token};
    my @people = seed_members($cid, $racers + 20);

    # ---- 1. the race ---------------------------------------------------------------
    my $s = new_schedule($cid, $tok, max_participants => 5, title => "race $name");
    my $sid = $s->{id};
    my $t0 = Time::HiRes::time();
    my @res = parallel($racers, sub {
        my $r = attend($sid, $people[$_[0]]{token});
        return [ $r->{status}, $r->{json} && ref $r->{json} eq 'HASH'
            ? ($r->{json}{status} // $r->{json}{error}{code} // '') : '' ];
    });
    my $wall = Time::HiRes::time() - $t0;
    my %by;
    $by{"$_->[0] $_->[1]"}++ for @res;
    Test::More::is($by{'200 attending'} // 0, 5, "$name: exactly 5 of $racers racers got a seat");
    Test::More::is($by{'200 waitlisted'} // 0, $racers - 5, "$name: the other " . ($racers - 5)
        . ' are waitlisted');
    Test::More::ok(!grep({ $_->[0] >= 500 } @res), "$name: no 5xx")
        or Test::More::diag(Test::More::explain(\%by));
    my $row = invariants_ok($sid, "$name race");
    Test::More::is_deeply([ @$row[0, 1] ], [ 5, $racers - 5 ], "$name: 5 attending, "
        . ($racers - 5) . ' waitlisted in the schedule row');
    my $g = schedule_get($sid, $tok);
    Test::More::is(scalar @{ $g->{json}{attendees} // [] }, 5, "$name: the detail lists 5 attendees");
    my @ev = events_of($sid);
    Test::More::is_deeply([ map { $_->{seq} } @ev ], [ 1 .. $racers ],
        "$name: one event per change, seq 1..$racers");
    Test::More::diag(sprintf '%s: %d racers in %.2f s', $name, $racers, $wall);

    # ---- 2. the mixed storm ------------------------------------------------------------
    my $ss = new_schedule($cid, $tok, max_participants => 5, title => "storm $name");
    my $ssid = $ss->{id};
    my @first = @people[0 .. 29];                   # 5 seats, 25 waiting
    my @ok1 = parallel(30, sub { attend($ssid, $first[$_[0]]{token})->{status} });
    Test::More::ok(!grep({ $_ != 200 } @ok1), "$name storm: 30 attends answered 200");
    my %pos;
    my @order = map { $_->[0] } schedule_sql("SELECT user_id FROM attendances WHERE"
        . " schedule_id = $ssid AND status = 'waitlisted' ORDER BY queue_id");
    my @seated = map { $_->[0] } schedule_sql("SELECT user_id FROM attendances WHERE"
        . " schedule_id = $ssid AND status = 'attending'");
    my %seated = map { $_ => 1 } @seated;
    my @who = grep { $seated{ $_->{id} } } @first;   # the 5 seated
    my @tailq = grep { my $id = $_->{id}; grep({ $_ == $id } @order[15 .. 24]) } @first;
    my @newbies = @people[30 .. 39];
    # Concurrently: the seated cancel and come back (to the tail), the last ten in line
    # give up, ten newcomers queue up.
    my @jobs = ((map { [ 'cancel-reattend', $_ ] } @who), (map { [ 'cancel', $_ ] } @tailq),
        (map { [ 'attend', $_ ] } @newbies));
    my @st = parallel(scalar @jobs, sub {
        my ($kind, $p) = @{ $jobs[$_[0]] };
        my @s;
        push @s, cancel($ssid, $p->{token})->{status};
        push @s, attend($ssid, $p->{token})->{status} if $kind eq 'cancel-reattend';
        @s = (attend($ssid, $p->{token})->{status}) if $kind eq 'attend';
        return \@s;
    });
    my @all = map { @$_ } @st;
    Test::More::ok(!grep({ $_ != 200 } @all), "$name storm: every answer 200 (" . scalar(@all)
        . ' requests)') or Test::More::diag("@all");
    invariants_ok($ssid, "$name storm");
    my @att = sort { $a <=> $b } map { $_->[0] } schedule_sql("SELECT user_id FROM attendances"
        . " WHERE schedule_id = $ssid AND status = 'attending'");
    Test::More::is_deeply(\@att, [ sort { $a <=> $b } @order[0 .. 4] ],
        "$name storm: the seats went to the first five in line (FIFO)");
    my @wait = map { $_->[0] } schedule_sql("SELECT user_id FROM attendances WHERE"
        . " schedule_id = $ssid AND status = 'waitlisted' ORDER BY queue_id");
    Test::More::is_deeply([ @wait[0 .. 9] ], [ @order[5 .. 14] ],
        "$name storm: the rest of the line kept its order, the newcomers behind it");
    Test::More::is(scalar @wait, 10 + 5 + 10, "$name storm: 25 waiting");
    my @sev = events_of($ssid);
    Test::More::is_deeply([ map { $_->{seq} } @sev ], [ 1 .. scalar @sev ],
        "$name storm: event seq gapless");
    my @prom = map { $_->{promoted_user_id} } grep { defined $_->{promoted_user_id} } @sev;
    Test::More::is_deeply([ sort { $a <=> $b } @prom ], [ sort { $a <=> $b } @order[0 .. 4] ],
        "$name storm: the events name the five promoted members");

    # ---- 3. refusals -------------------------------------------------------------------
    my ($stranger) = map { { token => make_jwt({ sub => '' . ($_ + 0) }) } }
        ($people[-1]{id} + 1000);
    error_is(attend($sid, $stranger->{token}), 403, 'FORBIDDEN', "$name: a non-member's PUT");
    error_is(cancel($sid, $stranger->{token}), 403, 'FORBIDDEN', "$name: a non-member's DELETE");
    my $past = new_schedule($cid, $tok, max_participants => 3);
    Test::More::ok(attend($past->{id}, $people[0]{token})->{status} == 200, "$name: attend");
    schedule_sql("UPDATE schedules SET starts_at = NOW(3) - INTERVAL 1 HOUR WHERE id = $past->{id}");
    error_is(attend($past->{id}, $people[1]{token}), 409, 'SCHEDULE_STARTED',
        "$name: attending a schedule that started");
    error_is(cancel($past->{id}, $people[0]{token}), 409, 'SCHEDULE_STARTED',
        "$name: cancelling a schedule that started");
    invariants_ok($past->{id}, "$name past");
    error_is(attend(999999999, $people[0]{token}), 404, 'NOT_FOUND', "$name: unknown schedule");
    my $bad = api(POST => "/api/v1/communities/$cid/schedules",
        schedule_body(max_participants => 0, title => ''), token => $tok);
    error_is($bad, 400, 'VALIDATION_FAILED', "$name: bad input");
    Test::More::is_deeply([ sort keys %{ $bad->{json}{error}{fields} // {} } ],
        [qw(max_participants title)], "$name: the fields are named");
}

1;
