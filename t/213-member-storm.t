#!/usr/bin/perl
# Join/leave storms: the same people join and leave the same community concurrently, many
# times over. Afterwards member_count equals the number of member rows (checked through
# the admin socket), never passed max_members, no request got a 5xx, and every answer was
# one the contract allows; the events' seq numbers are unique and gapless per community.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Kafka qw(member_sql);

my $P = 12;                                         # racers
my $ROUNDS = 8;
my $MAX = 8;                                        # fewer places than racers: joins also hit the cap
my $owner = signup(name => 'storm owner');
my @people = map { signup(name => "storm $_") } 1 .. $P;
my $c = member_community($owner->{access_token}, name => "폭풍 $$", max_members => $MAX);
my $cid = $c->{id};

my @res = parallel($P, sub {
    my ($i) = @_;
    my $tok = $people[$i]{access_token};
    my @seen;
    for my $round (1 .. $ROUNDS) {
        my $j = join_community($cid, $tok);
        push @seen, "join $j->{status} " . ($j->{json} && $j->{json}{error} ? $j->{json}{error}{code} : '');
        # Two of every three racers leave again at once; the others stay this round.
        next if ($i + $round) % 3 == 0;
        my $l = leave_community($cid, $tok);
        push @seen, "leave $l->{status}";
    }
    return \@seen;
});
my @all = map { @$_ } @res;
my @bad = grep { !/^join (201 |409 (ALREADY_MEMBER|COMMUNITY_FULL))$/ && !/^leave 204$/ } @all;
is(scalar @bad, 0, 'every answer was 201, 409 ALREADY_MEMBER/COMMUNITY_FULL or 204')
    or diag explain [@bad[0 .. ($#bad < 9 ? $#bad : 9)]];
ok(!grep({ / 5\d\d/ } @all), 'no 5xx');
ok(scalar(grep { /^join 201/ } @all) > $P, 'the storm really joined and left ('
    . scalar(grep { /^join 201/ } @all) . ' joins)');

my ($row) = member_sql("SELECT member_count, max_members, (SELECT COUNT(*) FROM members"
    . " WHERE community_id = $cid), seq FROM communities WHERE id = $cid");
is($row->[0], $row->[2], "member_count equals the member rows ($row->[0])");
ok($row->[0] <= $MAX, 'member_count is within max_members');
my ($mine) = grep { $_->{id} == $cid } @{ my_communities($owner->{access_token}) };
is($mine->{member_count}, $row->[2], 'the API shows the same member_count');
is(scalar @{ members_of($cid, $owner->{access_token}) }, $row->[2], 'the member list has that many');

# The events: one per successful join/leave, seq 2..N with no repeats or gaps.
my @ev = member_sql("SELECT JSON_VALUE(payload, '\$.data.seq'), JSON_VALUE(payload, '\$.data.member_count')"
    . " FROM outbox WHERE msg_key = '$cid' AND topic IN ('v1.event.member-joined', 'v1.event.member-left')"
    . " ORDER BY id");
my @seq = map { $_->[0] } @ev;
is_deeply(\@seq, [1 .. scalar @seq], 'the events carry seq 1, 2, 3, … in outbox order');
is($seq[-1], $row->[3], 'the last event has the community\'s seq');
is($ev[-1][1], $row->[0], 'the last event carries the final member_count');
ok(!grep({ $_->[1] > $MAX } @ev), 'no event ever carried a member_count above max_members');

done_testing;
