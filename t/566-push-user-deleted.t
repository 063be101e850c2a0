# t/566-push-user-deleted.t — an account's deletion (v1.event.user-deleted, data
# {user_id}) reaches somoim-push: the account's push subscriptions, pending reminders,
# feed and settings are gone, and nothing more is sent to it.
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Somoim::Test;
use Somoim::Push;
use Somoim::Kafka qw(kafka_tool);

start_receiver(6);
my $u = signup(name => '탈퇴예정');
my $uid = $u->{user}{id};
ok(wait_feed($u, 'welcome', 1), 'a welcome in the feed');
subscribe($u, 's566');
res_is(api(PUT => '/api/v1/notifications/settings', { welcome => { push => JSON::PP::false } },
    token => $u->{access_token}), 200, 'a setting stored');
my $other = signup(name => '남는회원');
ok(wait_feed($other, 'welcome', 1), "another user's welcome");

my ($rc) = kafka_tool('produce', 'v1.event.user-deleted', '--type', 'user-deleted',
    '--key', $uid, '--source', 'user', '--data', qq({"user_id":$uid}));
is($rc, 0, 'user-deleted produced');
ok(wait_until(30, sub { !push_sql("SELECT 1 FROM subscriptions WHERE user_id = $uid") }),
    'the subscriptions are gone');
ok(wait_until(30, sub { !feed_sql("SELECT 1 FROM notifications WHERE user_id = $uid") }),
    'the feed is gone');
is(scalar feed_sql("SELECT 1 FROM settings WHERE user_id = $uid"), 0, 'the settings are gone');
is(scalar @{ feed_of($other) }, 1, "the other user's feed stays");

done_testing();
