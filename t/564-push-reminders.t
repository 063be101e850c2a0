# t/564-push-reminders.t — meetup reminders: a member attending a schedule gets one
# notification 24 h and one 1 h before it starts, exactly once each, also across daemon
# restarts; cancelling the attendance, or the community's deletion, drops them. The
# daemon's clock is moved with [push] clock_offset_s (SOMOIM_PUSH_CLOCK_OFFSET_S) instead
# of waiting a day.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Push;
use Somoim::Schedule;
use Somoim::Member qw(join_community);

start_receiver(4);
my $owner = signup(name => '모임장');
my $c = schedule_community($owner);
my $m = signup(name => '참석자');
res_is(join_community($c->{id}, $m->{access_token}), 201, 'a member joins');
ok(wait_member($c->{id}, $m->{user}{id}), '… and the schedule service knows');
ok(wait_feed($m, 'welcome', 1), 'welcome in (before subscribing)');
subscribe($m, 's564');
my $uid = $m->{user}{id};
my $rows = sub {
    my ($sid) = @_;
    return join ' ', sort map { "$_->[0]:$_->[1]" } push_sql("SELECT kind, state"
        . " FROM reminders WHERE schedule_id = $sid AND user_id = $uid");
};

my $s1 = new_schedule($c->{id}, $owner->{access_token}, title => '북한산 등산',
    starts_at => future_time(25 * 3600));
my $s2 = new_schedule($c->{id}, $owner->{access_token}, title => '취소할 모임',
    starts_at => future_time(25 * 3600));
res_is(attend($s1->{id}, $m->{access_token}), 200, 'the member attends schedule 1');
res_is(attend($s2->{id}, $m->{access_token}), 200, '… and schedule 2');
ok(wait_until(30, sub { $rows->($s1->{id}) eq '1h:pending 24h:pending' }),
    'schedule 1: two pending reminders');
ok(wait_until(30, sub { $rows->($s2->{id}) eq '1h:pending 24h:pending' }),
    'schedule 2: two pending reminders');
res_is(cancel($s2->{id}, $m->{access_token}), 200, 'the member cancels schedule 2');
ok(wait_until(30, sub { $rows->($s2->{id}) eq '' }), 'schedule 2: the reminders are dropped');

# A third schedule in another community that is then deleted.
my $c3 = schedule_community($owner);
res_is(join_community($c3->{id}, $m->{access_token}), 201, 'the member joins a second community');
ok(wait_member($c3->{id}, $uid), '… known to the schedule service');
my $s3 = new_schedule($c3->{id}, $owner->{access_token}, starts_at => future_time(25 * 3600));
res_is(attend($s3->{id}, $m->{access_token}), 200, 'the member attends its schedule');
ok(wait_until(30, sub { $rows->($s3->{id}) eq '1h:pending 24h:pending' }), 'its reminders');
res_is(api(DELETE => "/api/v1/communities/$c3->{id}", undef, token => $owner->{access_token}),
    204, 'the community is deleted');
ok(wait_until(30, sub { $rows->($s3->{id}) eq '' }), 'its schedule\'s reminders are dropped');

is(scalar @{ wait_feed($m, 'reminder', 0) }, 0, 'no reminder yet: nothing is due');

# ---- the clock moved 1 h 2 min ahead: the 24 h reminder is due ----
{
    local $ENV{SOMOIM_PUSH_CLOCK_OFFSET_S} = 3600 + 120;
    ok(stack('restart', 'push'), 'somoim-push restarted with its clock 1 h 2 min ahead');
}
my $r = wait_feed($m, 'reminder', 1);
ok($r, 'a reminder in the feed');
like($r->[0]{title}, qr/내일 일정: 북한산 등산/, "the 24 h reminder ($r->[0]{title})");
is($r->[0]{link}, "/schedules/$s1->{id}", 'linking to the schedule');
is($rows->($s1->{id}), '1h:pending 24h:sent', 'the 24 h row is sent, the 1 h one pending');
my $msgs;
ok(wait_until(30, sub { $msgs = receiver_messages('s564'); @$msgs >= 1 }), 'pushed');
ok($msgs->[0]{ok}, 'the push checks out and decrypts') or diag explain $msgs->[0]{errors};
is($msgs->[0]{payload}{type}, 'reminder', 'payload type reminder');

{
    local $ENV{SOMOIM_PUSH_CLOCK_OFFSET_S} = 3600 + 120;
    ok(stack('restart', 'push'), 'restarted again at the same moment');
}
# ---- the clock at 24 h 2 min: the 1 h reminder ----
{
    local $ENV{SOMOIM_PUSH_CLOCK_OFFSET_S} = 24 * 3600 + 120;
    ok(stack('restart', 'push'), 'somoim-push restarted with its clock 24 h 2 min ahead');
}
$r = wait_feed($m, 'reminder', 2);
ok($r, 'a second reminder');
like($r->[0]{title}, qr/1시간 뒤 일정: 북한산 등산/, "the 1 h reminder ($r->[0]{title})");
is($rows->($s1->{id}), '1h:sent 24h:sent', 'both rows sent');
ok(wait_until(30, sub { $msgs = receiver_messages('s564'); @$msgs >= 2 }), 'pushed');
is($msgs->[1]{urgency}, 'high', 'the 1 h reminder is pushed with Urgency high');
ok(stack('restart', 'push'), 'somoim-push back on the real clock');
sleep 1;
is(scalar @{ wait_feed($m, 'reminder', 2) }, 2, 'two reminders in all: each once, none for the cancelled or deleted');
is(scalar @{ receiver_messages('s564') }, 2, 'two pushes in all');

done_testing();
