#!/usr/bin/perl
# The member service on the real event path: the creator of a community shows as its
# owner a moment after creating it (community service → outbox → relay → Kafka →
# somoim-member-events → member outbox); a rename (PATCH /users/me) reaches the member
# list within a few seconds; an edit of the community (max_members) reaches the copy; a
# deleted community and its members go; the member events have the agreed shape.

use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Time::HiRes ();
use Somoim::Test;
use Somoim::Community;
use Somoim::Member;
use Somoim::Kafka qw(member_sql);

my $owner = signup(name => '주인장');
my $tok = $owner->{access_token};
my $uid = $owner->{user}{id};

# --- the creator becomes the owner -----------------------------------------------------------

my $c = create_community($tok, name => "이벤트 $$", max_members => 4);
my $cid = $c->{id};
my $t0 = Time::HiRes::time();
my $mine;
ok(wait_until(30, sub { ($mine) = grep { $_->{id} == $cid } @{ my_communities($tok) || [] }; $mine }),
    'the new community shows under GET /users/me/communities');
diag sprintf 'it took %.2f s', Time::HiRes::time() - $t0;
is($mine->{member_count}, 1, '… with member_count 1');
is($mine->{name}, $c->{name}, '… and the name it was created with');
is($mine->{created_at}, $c->{created_at}, '… and its created_at');
my $list = members_of($cid, $tok);
is_deeply([map { [$_->{member_id}, $_->{role}] } @$list], [[$uid, 'owner']], 'the creator is its owner');
is($list->[0]{name}, '주인장', '… with the name of the profile');

my @ev = member_sql("SELECT payload FROM outbox WHERE msg_key = '$cid' ORDER BY id");
my $first = JSON::PP->new->decode($ev[0][0] // '{}');
is($first->{type}, 'member-joined', "the owner's join went out as v1.event.member-joined");
is($first->{source}, 'member', '… from the member service');
is_deeply($first->{data}, { community_id => $cid + 0, user_id => $uid + 0, role => 'owner',
    member_count => 1, seq => 1 }, '… with data {community_id, user_id, role, member_count, seq}');

# --- join / role / leave events --------------------------------------------------------------

my $x = signup(name => '손님');
res_is(join_community($cid, $x->{access_token}), 201, 'someone joins');
res_is(set_role($cid, $x->{user}{id}, 'admin', $tok), 200, '… becomes admin');
res_is(leave_community($cid, $x->{access_token}), 204, '… and leaves');
@ev = map { JSON::PP->new->decode($_->[0]) } member_sql("SELECT payload FROM outbox WHERE msg_key = '$cid' ORDER BY id");
is_deeply([map { [$_->{type}, $_->{data}{role}, $_->{data}{member_count}, $_->{data}{seq}] } @ev],
    [['member-joined', 'owner', 1, 1], ['member-joined', 'member', 2, 2],
     ['member-updated', 'admin', 2, 3], ['member-left', 'admin', 1, 4]],
    'joined, updated and left events with member_count and seq');
my ($topic) = member_sql("SELECT topic FROM outbox WHERE msg_key = '$cid' AND payload LIKE '%member-updated%'");
is($topic->[0], 'v1.event.member-updated', 'the role change is on v1.event.member-updated');
ok(wait_until(30, sub { !member_sql("SELECT 1 FROM outbox WHERE msg_key = '$cid' AND published_at IS NULL") }),
    'the relay publishes the member outbox');

# --- a rename reaches the member list --------------------------------------------------------

my $r = api(PATCH => '/api/v1/users/me', { name => '새이름 주인장' }, token => $tok);
res_is($r, 200, 'PATCH /users/me renames the owner');
$t0 = Time::HiRes::time();
ok(wait_until(30, sub { (members_of($cid, $tok) || [{}])->[0]{name} eq '새이름 주인장' }),
    'the new name is in the member list');
diag sprintf 'it took %.2f s', Time::HiRes::time() - $t0;
$r = api(PATCH => '/api/v1/users/me', { profile_image => 'https://img.example.com/a.png' }, token => $tok);
ok(wait_until(30, sub { ((members_of($cid, $tok) || [{}])->[0]{profile_image} // '') eq 'https://img.example.com/a.png' }),
    'a new profile image too');

# --- an edit of the community reaches the copy -----------------------------------------------

res_is(api(PATCH => "/api/v1/communities/$cid", { max_members => 2, name => "바뀐 $$" }, token => $tok),
    200, 'the owner edits the community (max_members 2)');
ok(wait_until(30, sub {
    my ($m) = grep { $_->{id} == $cid } @{ my_communities($tok) || [] };
    $m && $m->{max_members} == 2 && $m->{name} eq "바뀐 $$";
}), 'the copy follows (max_members, name)');
my @two = map { signup(name => "late $_") } 1 .. 2;
res_is(join_community($cid, $two[0]{access_token}), 201, 'one more fits under the new max');
error_is(join_community($cid, $two[1]{access_token}), 409, 'COMMUNITY_FULL', 'the next one does not');

# --- deletion --------------------------------------------------------------------------------

res_is(api(DELETE => "/api/v1/communities/$cid", undef, token => $tok), 204, 'the owner deletes it');
ok(wait_until(30, sub { api(GET => "/api/v1/communities/$cid/members", undef, token => $tok)->{status} == 404 }),
    'its member list goes (404)');
ok(!grep({ $_->{id} == $cid } @{ my_communities($two[0]{access_token}) }), "it is gone from members' lists");
my ($n) = member_sql("SELECT COUNT(*) FROM members WHERE community_id = $cid");
is($n->[0], 0, 'its member rows are deleted');
error_is(join_community($cid, $two[1]{access_token}), 404, 'NOT_FOUND', 'joining it is 404');

done_testing;
