# t/441-like-storm.t — 25 members like one post at once, each PUT sent twice (50 requests in
# flight): like_count is exactly 25 in the answers, the target row and the newest event; then
# 10 of them unlike at once, each DELETE twice: exactly 15.  Every event's seq is distinct and
# gapless, so a reader that keeps the highest seq ends on the exact count.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;
use Time::HiRes ();

my $N = 25;
my $bc = comment_community(max_members => 50);
my $cid = $bc->{community}{id};
my @users = parallel($N, sub {
    my $u = add_member($cid, 'member', $bc->{owner}{access_token});
    return { id => $u->{user}{id}, token => $u->{access_token} };
});
is(scalar @users, $N, "$N members");
my $pid = make_post($cid, $bc->{owner});
my $T = "SELECT like_count, seq FROM targets WHERE target_type = 'post' AND target_id = $pid";

my $t0 = Time::HiRes::time();
my @res = parallel(2 * $N, sub {
    my ($i) = @_;
    my $r = like_put(post => $pid, $users[$i % $N]{token});
    return { status => $r->{status}, count => $r->{json} ? $r->{json}{like_count} : undef };
});
note(sprintf '%d concurrent PUTs took %.2f s', 2 * $N, Time::HiRes::time() - $t0);
is(scalar(grep { $_->{status} == 200 } @res), 2 * $N, '50 PUTs (25 members, twice each): all 200');
is(scalar(grep { ($_->{count} // -1) == $N } @res) >= 1, 1, 'the last answers say 25');
is(scalar(grep { ($_->{count} // 99) > $N || ($_->{count} // 0) < 1 } @res), 0,
    'no answer outside 1..25');
my ($row) = like_sql($T);
is_deeply($row, [$N, $N], 'target row: like_count 25, seq 25');
my $r = like_put(post => $pid, $users[0]{token});
is($r->{json}{like_count}, $N, 'one more repeated PUT: still 25');

my @ev = outbox_events('like', 'v1.event.like-changed', "post:$pid");
is(scalar @ev, $N, '25 like-changed events (the repeats emitted none)');
is_deeply([sort { $a <=> $b } map { $_->{data}{seq} } @ev], [1 .. $N], 'seq 1..25, each once');
is_deeply([sort { $a <=> $b } map { $_->{data}{like_count} } @ev], [1 .. $N],
    'like_count 1..25, each once');

my @res2 = parallel(20, sub {
    my ($i) = @_;
    my $r = like_delete(post => $pid, $users[$i % 10]{token});
    return { status => $r->{status}, count => $r->{json} ? $r->{json}{like_count} : undef };
});
is(scalar(grep { $_->{status} == 200 } @res2), 20, '20 DELETEs (10 members, twice each): all 200');
($row) = like_sql($T);
is_deeply($row, [15, 35], 'target row: like_count 15, seq 35');
$r = like_delete(post => $pid, $users[0]{token});
is($r->{json}{like_count}, 15, 'answers say 15');
@ev = outbox_events('like', 'v1.event.like-changed', "post:$pid");
is(scalar @ev, 35, '35 events');
my ($newest) = sort { $b->{data}{seq} <=> $a->{data}{seq} } @ev;
is_deeply([$newest->{data}{seq}, $newest->{data}{like_count}], [35, 15],
    'the newest event: seq 35, like_count 15');
my ($n) = like_sql("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id = $pid");
is($n->[0], 15, '15 like rows');

done_testing;
