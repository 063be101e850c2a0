# t/543-chat-buckets.t — the history across bucket boundaries (100 messages per bucket
# collection) with writers racing: 4 clients post 60 messages each at once through both
# somoim-chat instances, so workers claim the same number and retry. Every message gets its
# own number, 1..240 without a gap, ids sort as the numbers do, and paging down (odd page
# sizes, so pages straddle the buckets) and up (after=) gives each message exactly once.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Chat;

my $cc = chat_community();
my $cid = $cc->{community}{id};
my @users = ($cc->{owner}, map { chat_join($cid, name => "작성자 $_") } 1 .. 3);

my @res = parallel(4, sub {
    my ($i) = @_;
    my @got;
    for my $k (1 .. 60) {
        my $r = chat_post($cid, $users[$i]{access_token}, "동시 $i-$k");
        push @got, $r->{status} == 201 ? $r->{json}{id} : "status $r->{status}";
    }
    return \@got;
});
my @posted = map { @$_ } @res;
is(scalar(grep { /\A[0-9]{13}-[0-9]{10}\z/ } @posted), 240, '240 concurrent posts: all 201');
my %uniq = map { $_ => 1 } @posted;
is(scalar keys %uniq, 240, 'every message has its own id');
my @seqs = sort { $a <=> $b } map { /-([0-9]{10})\z/ ? $1 + 0 : 0 } @posted;
is_deeply(\@seqs, [1 .. 240], 'the numbers are 1..240: none taken twice, no gap');
my @by_time = sort @posted;
my @by_seq = sort { substr($a, 14) cmp substr($b, 14) } @posted;
is_deeply(\@by_time, \@by_seq, 'ids sort by time exactly as by number');
for my $i (0 .. 3) {
    my @mine = @{ $res[$i] };
    is_deeply(\@mine, [sort @mine], "writer $i: its own messages in the order it posted them");
}

my $tok = $users[1]{access_token};
for my $limit (7, 100) {
    my $all = chat_history($cid, $tok, $limit);
    is_deeply([map { $_->{id} } @$all], [reverse @by_time], "pages of $limit: all 240 once, newest first");
}
my $after = $by_time[0];
my @up;
push @up, $after;
while (defined $after) {
    my $r = chat_page($cid, $tok, limit => 33, after => $after);
    last unless $r->{status} == 200;
    push @up, map { $_->{id} } @{ $r->{json}{items} };
    $after = $r->{json}{next_cursor};
}
is_deeply(\@up, \@by_time, 'after= pages of 33 from the first: all 240 once, oldest first');
my $r = chat_page($cid, $tok, limit => 100, before => $by_time[150]);
is_deeply([map { $_->{id} } @{ $r->{json}{items} }], [reverse @by_time[50 .. 149]],
    'before= the 151st: the 100 before it, from two buckets');
is($r->{json}{next_cursor}, $by_time[50], 'next_cursor: the last one shown');

done_testing;
