#!/usr/bin/perl
# The member cap under concurrency: 30 people join a community with 9 free places at once.
# Exactly 9 get 201 and 21 get 409 COMMUNITY_FULL, nobody gets a 5xx, and member_count
# settles at exactly max_members — in the member service's own answers and its rows, and
# (through v1.event.member-joined and the community-events daemon) in GET
# /api/v1/communities/{id} within 10 s.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Kafka qw(member_sql);

my $N = 30;
my $MAX = 10;                                       # the owner + 9 free places
my $owner = signup(name => 'cap owner');
my @people = map { signup(name => "joiner $_") } 1 .. $N;
my $c = member_community($owner->{access_token}, name => "정원 $$", max_members => $MAX);
my $cid = $c->{id};

my @res = parallel($N, sub {
    my ($i) = @_;
    my $r = join_community($cid, $people[$i]{access_token});
    return { status => $r->{status}, code => $r->{json} && $r->{json}{error} ? $r->{json}{error}{code} : undef };
});
my $created = grep { $_->{status} == 201 } @res;
my $full = grep { $_->{status} == 409 && ($_->{code} // '') eq 'COMMUNITY_FULL' } @res;
my $fivexx = grep { $_->{status} >= 500 } @res;
is($created, $MAX - 1, 'exactly 9 joins are 201');
is($full, $N - $MAX + 1, 'exactly 21 are 409 COMMUNITY_FULL');
is($fivexx, 0, 'no 5xx');
is($created + $full, $N, 'nothing else was answered')
    or diag explain [map { "$_->{status} " . ($_->{code} // '') } @res];

my ($row) = member_sql("SELECT member_count, max_members, (SELECT COUNT(*) FROM members WHERE community_id = $cid)"
    . " FROM communities WHERE id = $cid");
is($row->[0], $MAX, 'member_count is exactly max_members in the member schema');
is($row->[2], $MAX, '… and there are exactly that many member rows');
my ($mine) = grep { $_->{id} == $cid } @{ my_communities($owner->{access_token}) };
is($mine->{member_count}, $MAX, 'GET /users/me/communities shows member_count = max_members');
is(scalar @{ members_of($cid, $owner->{access_token}) }, $MAX, 'the member list has max_members entries');
error_is(join_community($cid, signup(name => 'late')->{access_token}), 409, 'COMMUNITY_FULL',
    'one more join is still COMMUNITY_FULL');

# The community service's copy, fed by v1.event.member-joined.
my $seen;
my $ok = wait_until(30, sub {
    $seen = api(GET => "/api/v1/communities/$cid")->{json}{member_count};
    return defined $seen && $seen == $MAX;
});
ok($ok, 'GET /communities/{id} shows member_count = max_members within 30 s')
    or diag "last seen member_count: " . ($seen // 'undef');

# A leave frees a place for exactly one of several racers.
my ($in) = grep { $res[$_]{status} == 201 } 0 .. $#res;
res_is(leave_community($cid, $people[$in]{access_token}), 204, 'one member leaves');
my @out = grep { $res[$_]{status} != 201 } 0 .. $#res;
my @again = parallel(10, sub { join_community($cid, $people[$out[$_[0]]]{access_token})->{status} });
is(scalar(grep { $_ == 201 } @again), 1, 'of 10 racing for the freed place exactly one gets it');
($row) = member_sql("SELECT member_count FROM communities WHERE id = $cid");
is($row->[0], $MAX, 'member_count is max_members again');

done_testing;
