# t/567-push-schedule-changes.t — what a moved or cancelled schedule does to notifications.
# A move (PATCH starts_at) moves the attendees' pending reminders to 24 h and 1 h before the
# new start and tells attendees and the waitlisted (schedule_moved, feed + a push that
# decrypts); a reminder already sent stays sent; one whose new moment has passed is
# dropped, not sent late, and comes back if the schedule moves out again; an older update
# delivered after a newer one moves nothing back. A cancel drops the pending reminders and
# tells everyone who had a place (schedule_cancelled), honouring the settings, and a late
# attendance event of the cancelled schedule brings none back. The daemon's clock is moved
# with [push] clock_offset_s, as in t/564.
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Somoim::Test;
use Somoim::Push;
use Somoim::Schedule;
use Somoim::Kafka qw(kafka_tool);
use Somoim::Member qw(join_community);

start_receiver(7);
my $owner = signup(name => '모임장');
my $c = schedule_community($owner);
my $m = signup(name => '참석자');
my $w = signup(name => '대기자');
for my $u ($m, $w) {
    res_is(join_community($c->{id}, $u->{access_token}), 201, 'a member joins');
    ok(wait_member($c->{id}, $u->{user}{id}), '… and the schedule service knows');
    ok(wait_feed($u, 'welcome', 1), '… welcome in (before subscribing)');
}
subscribe($m, 'm567');
subscribe($w, 'w567');
my ($uid, $wid) = ($m->{user}{id}, $w->{user}{id});
my $patch = sub {
    my ($sid, $body) = @_;
    return api(PATCH => "/api/v1/schedules/$sid", $body, token => $owner->{access_token});
};
# "kind:state:starts_at:seconds before" of the member's reminders, 24h first
my $rows = sub {
    my ($sid) = @_;
    return join ' ', map { join ':', @$_ } push_sql("SELECT kind, state,"
        . " DATE_FORMAT(starts_at, '%Y-%m-%dT%H:%i:%sZ'), TIMESTAMPDIFF(SECOND, due_at, starts_at)"
        . " FROM reminders WHERE schedule_id = $sid AND user_id = $uid ORDER BY kind");
};
my $both = sub { "24h:$_[0]:$_[1]:86400 1h:pending:$_[1]:3600" };
my $pushes = sub {
    my ($name, $type) = @_;
    return [ grep { ($_->{payload}{type} // '') eq $type } @{ receiver_messages($name) } ];
};
my $processed = sub {
    my ($id) = @_;
    return wait_until(30, sub { scalar push_sql("SELECT 1 FROM processed_events"
        . " WHERE consumer_group = 'push' AND event_id = '$id'") });
};

# ---- a move ----
my $t0 = future_time(25 * 3600);
my $s1 = new_schedule($c->{id}, $owner->{access_token}, title => '북한산 등산',
    starts_at => $t0, max_participants => 1);
res_is(attend($s1->{id}, $m->{access_token}), 200, 'the member takes the one seat');
res_is(attend($s1->{id}, $w->{access_token}), 200, 'the other waits');
ok(wait_until(30, sub { $rows->($s1->{id}) eq $both->('pending', $t0) }),
    'two pending reminders for the start');
my $t1 = future_time(49 * 3600);
res_is($patch->($s1->{id}, { starts_at => $t1 }), 200, 'the owner moves the schedule a day later');
ok(wait_until(30, sub { $rows->($s1->{id}) eq $both->('pending', $t1) }),
    'the reminders moved: 24 h and 1 h before the new start') or diag $rows->($s1->{id});
my $n = wait_feed($m, 'schedule_moved', 1);
ok($n, 'the attendee is told (schedule_moved)');
like($n->[0]{body}, qr/북한산 등산.*\Q$t1\E/, 'naming the schedule and the new start');
is($n->[0]{link}, "/schedules/$s1->{id}", 'linking to it');
ok(wait_feed($w, 'schedule_moved', 1), 'the waitlisted member is told too');
is(scalar(grep { $_->{type} eq 'schedule_moved' } @{ feed_of($owner) // [] }), 0,
    'who moved it is not told');
my $p;
ok(wait_until(30, sub { $p = $pushes->('m567', 'schedule_moved'); @$p >= 1 }), 'and pushed');
ok($p->[0]{ok}, 'the push checks out and decrypts') or diag explain $p->[0]{errors};

res_is($patch->($s1->{id}, { title => '북한산 둘레길' }), 200, 'a new title only');
ok(wait_until(30, sub { scalar push_sql("SELECT 1 FROM reminders WHERE schedule_id = $s1->{id}"
    . " AND user_id = $uid AND title = '북한산 둘레길'") == 2 }), 'the reminders take the new title');
is($rows->($s1->{id}), $both->('pending', $t1), '… and stay where they were');

# an older update, delivered again after a newer one, moves nothing back
my ($old) = map { JSON::PP->new->decode($_->[0])->{data} } schedule_sql("SELECT payload"
    . " FROM outbox WHERE topic = 'v1.event.schedule-updated' AND msg_key = '$s1->{id}'"
    . " ORDER BY id LIMIT 1");
is($old->{starts_at}, $t1, 'the first update event (to the first new start)');
my $t2 = future_time(73 * 3600);
res_is($patch->($s1->{id}, { starts_at => $t2 }), 200, 'moved once more');
ok(wait_until(30, sub { $rows->($s1->{id}) eq $both->('pending', $t2) }), 'the reminders follow');
ok(wait_feed($m, 'schedule_moved', 2), 'a second schedule_moved');
my ($rc, $eid) = kafka_tool('produce', 'v1.event.schedule-updated', '--type', 'schedule-updated',
    '--key', $s1->{id}, '--source', 'schedule', '--data', JSON::PP->new->utf8->encode($old));
chomp $eid;
is($rc, 0, 'the first update delivered again, after the second');
ok($processed->($eid), '… and handled');
is($rows->($s1->{id}), $both->('pending', $t2), 'the reminders did not move back');
is(scalar @{ wait_feed($m, 'schedule_moved', 2) }, 2, 'and nobody was told of the stale move');

# ---- a sent reminder stays sent; a moment that has passed is not sent late ----
my $s2 = new_schedule($c->{id}, $owner->{access_token}, title => '한강 러닝',
    starts_at => $t0);
res_is(attend($s2->{id}, $m->{access_token}), 200, 'the member attends a second schedule');
ok(wait_until(30, sub { $rows->($s2->{id}) eq $both->('pending', $t0) }), 'its reminders');
{
    local $ENV{SOMOIM_PUSH_CLOCK_OFFSET_S} = 3600 + 120;
    ok(stack('restart', 'push'), 'somoim-push restarted with its clock 1 h 2 min ahead');
}
ok(wait_until(30, sub { $rows->($s2->{id}) eq $both->('sent', $t0) }), 'the 24 h reminder is sent');
my $t3 = future_time(26 * 3600);
res_is($patch->($s2->{id}, { starts_at => $t3 }), 200, 'the schedule moves an hour later');
ok(wait_until(30, sub { $rows->($s2->{id}) eq "24h:sent:$t0:86400 1h:pending:$t3:3600" }),
    'the sent one stays sent, the pending one moves') or diag $rows->($s2->{id});
ok(stack('restart', 'push'), 'somoim-push back on the real clock');

my $s3 = new_schedule($c->{id}, $owner->{access_token}, starts_at => $t0);
res_is(attend($s3->{id}, $m->{access_token}), 200, 'the member attends a third schedule');
ok(wait_until(30, sub { $rows->($s3->{id}) eq $both->('pending', $t0) }), 'its reminders');
res_is($patch->($s3->{id}, { starts_at => future_time(1800) }), 200,
    'it is moved to start in 30 minutes');
ok(wait_until(30, sub { $rows->($s3->{id}) eq '' }),
    'both reminders\' moments have passed: dropped, not sent late');
ok(wait_feed($m, 'schedule_moved', 4), 'the member is told of the move (the third and fourth)');
my $t4 = future_time(3 * 3600);
res_is($patch->($s3->{id}, { starts_at => $t4 }), 200, 'then to three hours from now');
ok(wait_until(30, sub { $rows->($s3->{id}) eq "1h:pending:$t4:3600" }),
    'the 1 h reminder is back; the 24 h one\'s moment has passed');

# ---- a cancel ----
res_is(api(PUT => '/api/v1/notifications/settings', { schedule_cancelled => { push => JSON::PP::false } },
    token => $m->{access_token}), 200, 'the member turns schedule_cancelled pushes off');
my $s4 = new_schedule($c->{id}, $owner->{access_token}, title => '취소될 모임',
    starts_at => $t0, max_participants => 1);
res_is(attend($s4->{id}, $m->{access_token}), 200, 'the member takes the seat');
res_is(attend($s4->{id}, $w->{access_token}), 200, 'the other waits');
ok(wait_until(30, sub { $rows->($s4->{id}) eq $both->('pending', $t0) }), 'its reminders');
my ($att) = map { JSON::PP->new->decode($_->[0])->{data} } schedule_sql("SELECT payload"
    . " FROM outbox WHERE topic = 'v1.event.attendance-changed' AND msg_key = '$s4->{id}'"
    . " ORDER BY id LIMIT 1");
res_is(api(DELETE => "/api/v1/schedules/$s4->{id}", undef, token => $owner->{access_token}),
    204, 'the owner cancels it');
ok(wait_until(30, sub { $rows->($s4->{id}) eq '' }), 'its pending reminders are dropped');
$n = wait_feed($m, 'schedule_cancelled', 1);
ok($n, 'the attendee is told (schedule_cancelled), in the feed');
like($n->[0]{body}, qr/취소될 모임/, 'naming the schedule');
is($n->[0]{link}, "/communities/$c->{id}", 'linking to the community (the schedule is gone)');
ok(wait_feed($w, 'schedule_cancelled', 1), 'the waitlisted member is told too');
ok(wait_until(30, sub { $p = $pushes->('w567', 'schedule_cancelled'); @$p >= 1 }),
    'and pushed to them');
ok($p->[0]{ok}, 'the push checks out and decrypts') or diag explain $p->[0]{errors};
is($att->{user_id}, $uid, 'the seat\'s attendance event, delivered again after the cancel');
($rc, $eid) = kafka_tool('produce', 'v1.event.attendance-changed', '--type',
    'attendance-changed', '--key', $s4->{id}, '--source', 'schedule', '--data',
    JSON::PP->new->utf8->encode($att));
chomp $eid;
ok($rc == 0 && $processed->($eid), '… is handled');
is($rows->($s4->{id}), '', 'and brings no reminder back');
is(scalar @{ $pushes->('m567', 'schedule_cancelled') }, 0,
    'no schedule_cancelled push for the member who turned them off');
is(scalar @{ wait_feed($m, 'schedule_cancelled', 1) }, 1, 'one schedule_cancelled each');
is(scalar @{ wait_feed($w, 'schedule_cancelled', 1) }, 1, '… for the waitlisted too');

done_testing();
