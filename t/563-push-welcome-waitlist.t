# t/563-push-welcome-waitlist.t — the notifications beyond comments: a new account gets a
# "welcome" (feed only, since no browser subscribed yet at signup), and a member moved from
# the waitlist to a seat gets a "waitlist" notification in the feed and as a push.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Push;
use Somoim::Schedule;
use Somoim::Member qw(join_community);

start_receiver(3);

# ---- welcome ----
my $u = signup(name => '새회원');
my $w = wait_feed($u, 'welcome', 1);
ok($w, 'a welcome notification after signup');
is(scalar @$w, 1, 'exactly one');
like($w->[0]{title}, qr/새회원/, 'it greets the new member by name');
is($w->[0]{link}, '/', 'it links to the home page');

# ---- waitlist promotion ----
my $owner = signup(name => '모임장');
my $c = schedule_community($owner);
my $seat = signup(name => '먼저온');
my $wait = signup(name => '대기자');
for my $m ($seat, $wait) {
    res_is(join_community($c->{id}, $m->{access_token}), 201, 'a member joins');
    ok(wait_member($c->{id}, $m->{user}{id}), '… and the schedule service knows');
}
ok(wait_feed($wait, 'welcome', 1), 'the waiting member\'s welcome is in (before subscribing)');
subscribe($wait, 's563');
my $s = new_schedule($c->{id}, $owner->{access_token}, max_participants => 1,
    title => '한강 러닝');
my $r = attend($s->{id}, $seat->{access_token});
res_is($r, 200, 'the first member takes the one seat');
$r = attend($s->{id}, $wait->{access_token});
res_is($r, 200, 'the second attends too');
is($r->{json}{status}, 'waitlisted', '… status waitlisted');
res_is(cancel($s->{id}, $seat->{access_token}), 200, 'the first cancels');

my $n = wait_feed($wait, 'waitlist', 1);
ok($n, 'the waiting member gets a waitlist notification');
like($n->[0]{body}, qr/한강 러닝/, 'naming the schedule');
is($n->[0]{link}, "/schedules/$s->{id}", 'linking to it');
my $msgs;
ok(wait_until(30, sub { $msgs = receiver_messages('s563'); @$msgs >= 1 }), 'and a push');
ok($msgs->[0]{ok}, 'which checks out and decrypts') or diag explain $msgs->[0]{errors};
is($msgs->[0]{payload}{type}, 'waitlist', 'payload type waitlist');
is($msgs->[0]{urgency}, 'high', 'Urgency high');
is(scalar(grep { $_->{type} eq 'waitlist' } @{ feed_of($seat) }), 0,
    'the one who cancelled gets none');

done_testing();
