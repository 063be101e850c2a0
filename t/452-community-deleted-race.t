# t/452-community-deleted-race.t — posts and schedules made while their community is being
# deleted: every one either is refused (404) or is among what the deletion takes (the
# board's tombstones, the schedule service's dropped rows). The create transactions hold
# the community copy's row in share mode, and the community-deleted handlers write that
# row first, so neither can pass the other unseen.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(sleep time);
use Somoim::Test;
use Somoim::Board qw(board_sql wait_copies);
use Somoim::Schedule qw(schedule_sql wait_community wait_member schedule_body);
use Somoim::Community qw(create_community);

my $owner = signup(name => '경주 주인');
my $tok = $owner->{access_token};
my $cid = create_community($tok)->{id};
ok(wait_copies($cid, $owner->{user}{id}), 'the board knows the community and its owner');
ok(wait_community($cid) && wait_member($cid, $owner->{user}{id}),
    'the schedule service knows them too');

# Six makers (three of posts, three of schedules) go until they have seen 404 three times;
# the seventh deletes the community once both kinds are being made.
my @res = parallel(7, sub {
    my ($i) = @_;
    if ($i == 6) {
        wait_until(60, sub {
            (board_sql("SELECT COUNT(*) FROM posts WHERE community_id = $cid"))[0][0] >= 5
                && (schedule_sql("SELECT COUNT(*) FROM schedules WHERE community_id = $cid"))[0][0] >= 5;
        });
        return { deleted => api(DELETE => "/api/v1/communities/$cid", undef, token => $tok)->{status} };
    }
    my ($made, $refused, $other) = (0, 0, 0);
    my $end = time + 120;
    while ($refused < 3 && time < $end) {
        my $r = $i < 3
            ? api(POST => "/api/v1/communities/$cid/posts", { title => "경주 $i", body => '본문' },
                token => $tok)
            : api(POST => "/api/v1/communities/$cid/schedules", schedule_body(title => "경주 $i"),
                token => $tok);
        if ($r->{status} == 201) { $made++ }
        elsif ($r->{status} == 404) { $refused++ }
        else { $other++ }
    }
    return { kind => $i < 3 ? 'posts' : 'schedules', made => $made, refused => $refused,
        other => $other };
});
my ($del) = grep { exists $_->{deleted} } @res;
is($del->{deleted}, 204, 'the community was deleted in the middle of it');
my %made;
$made{ $_->{kind} } += $_->{made} for grep { $_->{kind} } @res;
is(scalar(grep { $_->{kind} && ($_->{refused} < 3 || $_->{other}) } @res), 0,
    'every maker ended on 404s, and got nothing but 201 and 404')
    or diag(explain(\@res));
cmp_ok($made{posts} // 0, '>', 0, "posts were made before the deletion ($made{posts})");
cmp_ok($made{schedules} // 0, '>', 0, "schedules were made before the deletion ($made{schedules})");

ok(wait_until(30, sub {
    my ($b) = board_sql("SELECT COUNT(*) FROM posts WHERE community_id = $cid AND deleted = 0");
    my ($s) = schedule_sql("SELECT COUNT(*) FROM schedules WHERE community_id = $cid");
    return $b->[0] == 0 && $s->[0] == 0;
}), 'no post of the community is left live and no schedule is left');
my ($n) = board_sql("SELECT COUNT(*) FROM posts WHERE community_id = $cid");
is($n->[0], $made{posts}, 'every post made is there as a tombstone');

done_testing;
