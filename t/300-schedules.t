#!/usr/bin/perl
# The schedule service's schedules: create (201 `schedule`, members only), the list (soonest
# first, cursor pages), the detail with attendees, who may read (public community: anyone
# signed in; private: members only, 403), unknown ids 404, 401 without a token, and bad
# input 400 naming every bad field. Everyone here is a real user, and memberships come
# through the member service's events.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member qw(join_community leave_community);
use Somoim::Schedule;

my %u = map { $_ => signup(name => "일정 $_") } qw(owner a stranger);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;

my $c = schedule_community($u{owner}, name => "일정 $$");
my $cid = $c->{id};
my $SC = "/api/v1/communities/$cid/schedules";

# --- create --------------------------------------------------------------------------------

my $when = future_time(3 * 86400);
my $r = api(POST => $SC, { title => '한강 러닝', starts_at => $when, place => '여의도',
    fee => 5000, max_participants => 10 }, token => $tok{owner});
res_is($r, 201, 'the owner creates a schedule: 201');
my $s = $r->{json} || {};
is_deeply([sort keys %$s], [sort qw(id community_id title starts_at place fee max_participants
    participant_count waitlist_count created_by created_at)], 'the schedule has the contract fields');
is($s->{title}, '한강 러닝', 'title');
is($s->{starts_at}, $when, 'starts_at comes back as given (RFC 3339 UTC)');
is($s->{community_id}, $cid, 'community_id');
is($s->{created_by}, $id{owner}, 'created_by is the caller');
is_deeply([@$s{qw(fee max_participants participant_count waitlist_count)}], [5000, 10, 0, 0],
    'fee, max_participants, and empty counters');
is(json_type($r, 'id'), 'number', 'id is a number');
ok(is_rfc3339_utc($s->{created_at}), 'created_at is RFC 3339 UTC');

$r = api(POST => $SC, { title => 'zone', starts_at => '2099-01-01T09:00:00+09:00', place => 'x',
    max_participants => 1 }, token => $tok{owner});
res_is($r, 201, 'a time with an offset is accepted');
is($r->{json}{starts_at}, '2099-01-01T00:00:00Z', '… and stored as UTC');
is($r->{json}{fee}, 0, 'fee defaults to 0');

error_is(api(POST => $SC, schedule_body(), token => $tok{stranger}), 403, 'FORBIDDEN',
    'a non-member cannot create');
error_is(api(POST => $SC, schedule_body()), 401, 'UNAUTHORIZED', 'no token: 401');
error_is(api(POST => '/api/v1/communities/999999999/schedules', schedule_body(),
    token => $tok{owner}), 404, 'NOT_FOUND', 'unknown community: 404');

# Bad input: every bad field is named at once.
$r = api(POST => $SC, { title => '', starts_at => '2001-01-01T00:00:00Z', place => 'x' x 201,
    fee => -1, max_participants => 1001 }, token => $tok{owner});
error_is($r, 400, 'VALIDATION_FAILED', 'bad input is 400');
is_deeply([sort keys %{ $r->{json}{error}{fields} || {} }],
    [qw(fee max_participants place starts_at title)], '… naming every bad field');
for my $bad ('tomorrow', '2099-02-30T10:00:00Z', '2099-01-01 10:00:00', '2099-01-01T10:00:00',
    12345) {
    $r = api(POST => $SC, schedule_body(starts_at => $bad), token => $tok{owner});
    error_is($r, 400, 'VALIDATION_FAILED', "starts_at \"$bad\" is refused");
}
error_is(api(POST => $SC, schedule_body(max_participants => 0), token => $tok{owner}), 400,
    'VALIDATION_FAILED', 'max_participants 0 is refused');
error_is(api(POST => $SC, schedule_body(max_participants => undef), token => $tok{owner}), 400,
    'VALIDATION_FAILED', 'max_participants is required');
error_is(api(POST => $SC, undef, raw => '{"title":', token => $tok{owner}), 400,
    'INVALID_JSON', 'broken JSON is 400 INVALID_JSON');

# A member who joined through the member service may create once the copy has them.
res_is(join_community($cid, $tok{a}), 201, 'a joins the community');
ok(wait_member($cid, $id{a}), 'the membership reaches the schedule schema');
my $soon = new_schedule($cid, $tok{a}, starts_at => future_time(3600), title => 'soon');
my $later = new_schedule($cid, $tok{a}, starts_at => future_time(30 * 86400), title => 'later');
is($soon->{created_by}, $id{a}, 'a member creates a schedule');

# --- list ----------------------------------------------------------------------------------

$r = api(GET => $SC, undef, token => $tok{stranger});
res_is($r, 200, 'anyone signed in lists a public community\'s schedules');
my @titles = map { $_->{title} } @{ $r->{json}{items} };
is_deeply(\@titles, ['soon', '한강 러닝', 'later', 'zone'], 'soonest first');
is($r->{json}{next_cursor}, undef, 'one page: next_cursor is null');
my (@paged, $cursor);
for (1 .. 10) {
    my $q = defined $cursor ? '&' . query(cursor => $cursor) : '';
    my $p = api(GET => "$SC?limit=1$q", undef, token => $tok{a});
    last unless $p->{status} == 200;
    push @paged, map { $_->{title} } @{ $p->{json}{items} };
    last unless defined($cursor = $p->{json}{next_cursor});
}
is_deeply(\@paged, \@titles, 'pages of one give every schedule once, in order');
error_is(api(GET => "$SC?cursor=garbage", undef, token => $tok{a}), 400, 'VALIDATION_FAILED',
    'a garbage cursor is 400');
error_is(api(GET => '/api/v1/communities/999999999/schedules', undef, token => $tok{a}), 404,
    'NOT_FOUND', 'the list of an unknown community is 404');

# --- detail --------------------------------------------------------------------------------

res_is(attend($s->{id}, $tok{a}), 200, 'a attends');
res_is(attend($s->{id}, $tok{owner}), 200, 'the owner attends');
$r = schedule_get($s->{id}, $tok{stranger});
res_is($r, 200, 'GET /schedules/{id}');
is($r->{json}{participant_count}, 2, 'participant_count 2');
is_deeply($r->{json}{attendees}, [
    { member_id => $id{a}, name => '일정 a', profile_image => undef },
    { member_id => $id{owner}, name => '일정 owner', profile_image => undef },
], 'attendees in seat order, with their names');
error_is(schedule_get(999999999, $tok{a}), 404, 'NOT_FOUND', 'unknown schedule: 404');
error_is(schedule_get($s->{id}), 401, 'UNAUTHORIZED', 'no token: 401');

# A name or image change reaches the attendee list (user-updated fan-out).
res_is(api(PATCH => '/api/v1/users/me', { name => '새 이름',
    profile_image => 'https://img.example/a.png' }, token => $tok{a}), 200, 'a renames itself');
ok(wait_until(30, sub {
    my $g = schedule_get($s->{id}, $tok{owner});
    my ($me) = grep { $_->{member_id} == $id{a} } @{ $g->{json}{attendees} || [] };
    $me && $me->{name} eq '새 이름' && ($me->{profile_image} // '') eq 'https://img.example/a.png';
}), 'the new name and image show in the attendee list');

# --- a private community -------------------------------------------------------------------

my $p = schedule_community($u{owner}, name => "비공개 $$", is_private => JSON::PP::true());
my $ps = new_schedule($p->{id}, $tok{owner});
error_is(api(GET => "/api/v1/communities/$p->{id}/schedules", undef, token => $tok{stranger}),
    403, 'FORBIDDEN', 'an outsider cannot list a private community\'s schedules');
error_is(schedule_get($ps->{id}, $tok{stranger}), 403, 'FORBIDDEN',
    '… nor read one of them');
res_is(api(GET => "/api/v1/communities/$p->{id}/schedules", undef, token => $tok{owner}), 200,
    'a member lists them');

# --- a member who left: no more attending, and the seat goes back -------------------------

res_is(leave_community($cid, $tok{a}), 204, 'a leaves the community');
ok(wait_member($cid, $id{a}, 0), 'the schedule schema learns it');
error_is(attend($later->{id}, $tok{a}), 403, 'FORBIDDEN', 'a former member cannot attend');
ok(wait_until(30, sub {
    my $g = schedule_get($s->{id}, $tok{owner})->{json};
    $g->{participant_count} == 1 && !grep { $_->{member_id} == $id{a} } @{ $g->{attendees} };
}), 'a\'s seat was given back when a left');
is(schedule_get($soon->{id}, $tok{owner})->{status}, 200, 'the schedules a created stay');

done_testing;
