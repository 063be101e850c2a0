#!/usr/bin/perl
# Attendance, one request at a time, under the configured strategy: PUT takes a seat or
# a place in line and is idempotent; DELETE frees the seat and gives it to the first in
# line in the same answer; DELETE without a place is "none". Every change, and only a
# change, adds v1.event.attendance-changed (key: the schedule) with the counters and a
# gapless seq, which the relay publishes. A deleted community takes its schedules along.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member qw(join_community);
use Somoim::Schedule;

my %u = map { $_ => signup(name => "참석 $_") } qw(owner a b c);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;
my $c = schedule_community($u{owner}, name => "참석 $$");
my $cid = $c->{id};
for (qw(a b c)) {
    res_is(join_community($cid, $tok{$_}), 201, "$_ joins");
    ok(wait_member($cid, $id{$_}), "… and the schedule schema knows it");
}
my $s = new_schedule($cid, $tok{owner}, max_participants => 2, title => '등산');
my $sid = $s->{id};

sub st { my ($r) = @_; return $r->{status} . ' ' . ($r->{json}{status} // $r->{json}{error}{code} // '') }

my $r = attend($sid, $tok{a});
is(st($r), '200 attending', 'a takes a seat');
is_deeply([sort keys %{ $r->{json} }], [qw(schedule status)], 'the answer is {status, schedule}');
is($r->{json}{schedule}{participant_count}, 1, 'participant_count 1');
is(st(attend($sid, $tok{a})), '200 attending', 'PUT again: still attending (idempotent)');
is(st(attend($sid, $tok{b})), '200 attending', 'b takes the last seat');
$r = attend($sid, $tok{c});
is(st($r), '200 waitlisted', 'c is waitlisted');
is_deeply([@{ $r->{json}{schedule} }{qw(participant_count waitlist_count)}], [2, 1],
    'counts 2 attending, 1 waiting');
is(st(attend($sid, $tok{c})), '200 waitlisted', 'PUT again: still waitlisted');
is(st(cancel($sid, $tok{owner})), '200 none', 'DELETE without a place: none');

$r = cancel($sid, $tok{a});
is(st($r), '200 none', 'a cancels');
is($r->{json}{promoted_user_id}, $id{c}, '… and the answer names c as promoted');
is_deeply([@{ $r->{json}{schedule} }{qw(participant_count waitlist_count)}], [2, 0],
    'c has the seat: 2 attending, nobody waiting');
is_deeply([map { $_->{member_id} } @{ schedule_get($sid, $tok{a})->{json}{attendees} }],
    [$id{b}, $id{c}], 'the attendees are b and c');
is(st(attend($sid, $tok{a})), '200 waitlisted', 'a comes back: waitlisted now');
$r = cancel($sid, $tok{a});
is(st($r), '200 none', 'a leaves the line');
ok(!exists $r->{json}{promoted_user_id}, '… promoting nobody');
is(st(cancel($sid, $tok{a})), '200 none', 'DELETE again: none (idempotent)');
invariants_ok($sid, 'after the sequence');
error_is(attend($sid), 401, 'UNAUTHORIZED', 'PUT without a token: 401');

# --- the events ------------------------------------------------------------------------------

my @ev = events_of($sid);
is(scalar @ev, 6, 'six changes, six events (the repeats added none)');
is_deeply([map { $_->{seq} } @ev], [1 .. 6], 'seq 1..6');
is_deeply([map { [$_->{user_id}, $_->{status}] } @ev], [
    [$id{a}, 'attending'], [$id{b}, 'attending'], [$id{c}, 'waitlisted'], [$id{a}, 'none'],
    [$id{a}, 'waitlisted'], [$id{a}, 'none'], ], 'who and what, in order');
my $e = $ev[3];
is_deeply([sort keys %$e], [sort qw(schedule_id community_id user_id status promoted_user_id
    participant_count waitlist_count max_participants seq version title starts_at)],
    'the event fields');
is_deeply([@$e{qw(schedule_id community_id promoted_user_id participant_count waitlist_count
    title starts_at)}], [$sid, $cid, $id{c}, 2, 0, '등산', $s->{starts_at}],
    'the cancel\'s event names the promoted member and the counts it left');
ok(exists $ev[5]{promoted_user_id} && !defined $ev[5]{promoted_user_id},
    'promoted_user_id is null when nobody was promoted');
ok(wait_until(30, sub {
    !schedule_sql("SELECT 1 FROM outbox WHERE msg_key = '$sid' AND published_at IS NULL");
}), 'the relay publishes them');

# --- a deleted community ---------------------------------------------------------------------

res_is(api(DELETE => "/api/v1/communities/$cid", undef, token => $tok{owner}), 204,
    'the owner deletes the community');
ok(wait_until(30, sub { schedule_get($sid, $tok{owner})->{status} == 404 }),
    'its schedules are gone (404)');
is(scalar schedule_sql("SELECT 1 FROM attendances WHERE schedule_id = $sid"), 0,
    '… with their attendance rows');

done_testing;
