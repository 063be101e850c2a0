# t/432-comment-storm.t — 50 comments on one post at once: every one is taken, the post's
# comment_count settles on exactly 50 (in the comment schema's counters row and in the events,
# whose comment_count and seq each run 1..50 without a gap or a repeat), and the list is in one
# stable oldest-first order.  Then 20 concurrent deletes (one of them twice) leave 30.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;
use Time::HiRes ();

my $N = 50;
my $bc = comment_community();
my $cid = $bc->{community}{id};
my @users = ($bc->{owner}, map { add_member($cid, 'member', $bc->{owner}{access_token}) } 1 .. 4);
my $pid = make_post($cid, $bc->{owner});

my $t0 = Time::HiRes::time();
my @res = parallel($N, sub {
    my ($i) = @_;
    my $r = add_comment($pid, $users[$i % @users]{access_token}, "동시 댓글 $i");
    return { status => $r->{status}, id => $r->{json} ? $r->{json}{id} : undef };
});
note(sprintf '%d concurrent comments took %.2f s', $N, Time::HiRes::time() - $t0);
is(scalar(grep { $_->{status} == 201 } @res), $N, "$N concurrent comments: all 201");
my %ids = map { ($_->{id} // 0) => 1 } @res;
is(scalar keys %ids, $N, "$N distinct comment ids");

my ($row) = comment_sql("SELECT comment_count, seq FROM posts WHERE id = $pid");
is_deeply($row, [$N, $N], "the counters row: comment_count $N, seq $N");
my ($n) = comment_sql("SELECT COUNT(*) FROM comments WHERE post_id = $pid");
is($n->[0], $N, "$N comment rows");

my @ev = outbox_events('comment', 'v1.event.comment-created', $pid);
is(scalar @ev, $N, "$N comment-created events");
is_deeply([sort { $a <=> $b } map { $_->{data}{seq} } @ev], [1 .. $N], 'seq: 1..50, each once');
is_deeply([sort { $a <=> $b } map { $_->{data}{comment_count} } @ev], [1 .. $N],
    'comment_count: 1..50, each once');
is(scalar(grep { $_->{data}{seq} != $_->{data}{comment_count} } @ev), 0,
    'every event: comment_count = seq (only additions)');
my ($last) = sort { $b->{data}{seq} <=> $a->{data}{seq} } @ev;
is($last->{data}{comment_count}, $N, "the newest event (highest seq) says $N");

my $l1 = comments_of($pid, $bc->{owner}{access_token}, 7);
my $l2 = comments_of($pid, $users[1]{access_token}, 100);
is(scalar @$l1, $N, "the list (pages of 7) has all $N");
is_deeply([map { $_->{id} } @$l1], [sort { $a <=> $b } keys %ids], 'oldest first (ascending ids)');
is_deeply([map { $_->{id} } @$l1], [map { $_->{id} } @$l2], 'the same order however it is paged');
my @times = map { $_->{created_at} } @$l1;
is(scalar(grep { $times[$_] lt $times[$_ - 1] } 1 .. $#times), 0, 'created_at never goes back');

# ---- 20 concurrent deletes by the owner, the first one twice ----
my @victims = (sort { $a <=> $b } keys %ids)[0 .. 19];
my @del = parallel(21, sub {
    my ($i) = @_;
    my $id = $victims[$i % 20];
    return api(DELETE => "/api/v1/comments/$id", undef, token => $bc->{owner}{access_token})->{status};
});
is(scalar(grep { $_ == 204 } @del), 20, '20 deletes: 204');
is(scalar(grep { $_ == 404 } @del), 1, 'the repeated one: 404');
($row) = comment_sql("SELECT comment_count, seq FROM posts WHERE id = $pid");
is_deeply($row, [$N - 20, $N + 20], 'the counters row: comment_count 30, seq 70');
my @dev = outbox_events('comment', 'v1.event.comment-deleted', $pid);
is(scalar @dev, 20, '20 comment-deleted events');
my ($newest) = sort { $b->{data}{seq} <=> $a->{data}{seq} } @dev;
is_deeply([$newest->{data}{seq}, $newest->{data}{comment_count}], [70, 30],
    'the newest event: seq 70, comment_count 30');
is(scalar @{ comments_of($pid, $bc->{owner}{access_token}) }, 30, 'the list has 30');

done_testing;
