# t/461-account-deletion-races.t — the edges of leaving the platform.
#   * An owner whose community the user service has not heard of yet (somoim-user-events is
#     held, as a slow copy would be) gets past the owner check: the community service then
#     deletes that community when v1.event.user-deleted reaches it, so it is never left
#     without its owner, and its members' copies follow community-deleted.
#   * A departed account cannot create a community even with the revocation mark gone (the
#     community service's own departed_users gate, which closes the race from that side).
#   * Deleting re-enters the password under the login throttle: 10 wrong ones, then 429.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Community qw(create_community);
use Somoim::Kafka qw(daemon_pid member_sql);

# ---- an owner the user schema does not know about yet ----
my $u = signup(name => "서두른 주인 $$");
my $uid = $u->{user}{id};
my $pid = daemon_pid('user-events');
ok($pid && kill('STOP', $pid), 'somoim-user-events is held');
END { kill 'CONT', $pid if $pid }
my $c = create_community($u->{access_token});
my $cid = $c->{id};
ok(wait_until(30, sub { scalar member_sql("SELECT 1 FROM members WHERE community_id = $cid"
    . " AND user_id = $uid AND role = 'owner'") }), 'the member service made it the owner');
my $member = signup();
res_is(api(POST => "/api/v1/communities/$cid/members", undef, token => $member->{access_token}), 201,
    'someone joins it');
my ($known) = db_sql('user', "SELECT COUNT(*) FROM copy_communities WHERE id = $cid");
is($known->[0], 0, 'the user schema has not heard of the community');
res_is(api(DELETE => '/api/v1/users/me', { password => $u->{password} }, token => $u->{access_token}),
    204, 'so the owner check lets the deletion through');
ok(wait_until(30, sub {
    api(GET => "/api/v1/communities/$cid", undef, token => $member->{access_token})->{status} == 404;
}), 'the community service deletes the community the departed account owned');
ok(wait_until(30, sub {
    my ($n) = member_sql("SELECT COUNT(*) FROM members WHERE community_id = $cid");
    return $n->[0] == 0;
}), 'and its memberships end with it (community-deleted)');
my ($owned) = db_sql('community', "SELECT COUNT(*) FROM communities WHERE owner_id = $uid");
is($owned->[0], 0, 'no community of the departed owner is left');
my ($dep) = db_sql('community', "SELECT COUNT(*) FROM departed_users WHERE user_id = $uid");
is($dep->[0], 1, 'the community schema records the departed account');
kill 'CONT', $pid;
ok(wait_until(30, sub { scalar db_sql('user', "SELECT 1 FROM copy_communities WHERE id = $cid"
    . ' AND deleted = 1') }), 'somoim-user-events resumes and its copy catches up');

# ---- the community service's own gate ----
my $port = conf('redis', 'port');
my $del = `redis-cli -h 127.0.0.1 -p $port DEL somoim:revoked-user:$uid 2>&1`;
like($del, qr/^1/, 'the revocation mark is removed (as if Redis had lost it)');
my $r = api(POST => '/api/v1/communities', {
    name => "유령 모임 $$", description => 'x', region => '서울', interest => 'hiking',
    max_members => 10 }, token => $u->{access_token});
error_is($r, 401, 'UNAUTHORIZED', 'the departed account still cannot create a community');
($owned) = db_sql('community', "SELECT COUNT(*) FROM communities WHERE owner_id = $uid");
is($owned->[0], 0, 'none was created');

# ---- the login throttle ----
my $v = signup();
for my $i (1 .. 10) {
    my $w = api(DELETE => '/api/v1/users/me', { password => "wrong-$i" }, token => $v->{access_token});
    next if $w->{status} == 401;
    fail("wrong password $i: want 401, got $w->{status}");
}
error_is(api(DELETE => '/api/v1/users/me', { password => $v->{password} }, token => $v->{access_token}),
    429, 'RATE_LIMITED', 'after 10 wrong passwords even the right one waits: 429');
error_is(login($v->{email}, $v->{password}), 429, 'RATE_LIMITED', 'and so does login (one throttle)');
res_is(api(GET => '/api/v1/users/me', undef, token => $v->{access_token}), 200, 'the account is intact');

done_testing;
