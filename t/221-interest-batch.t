#!/usr/bin/perl
# 221-interest-batch.t — somoim-community-events applies a backlog of user events in batches
# (copies_user_batch: four statements per batch) with exactly the outcome of one event at a
# time (copies_user_apply): per user, the newest version's interests win, an older event
# that arrives later changes nothing, an event without data.interests changes nothing.
#
# The same backlog shape is given twice, to two ranges of users: once to the daemon with
# batches of one (the one-at-a-time path) and once with its default batches; both must end
# in the expected rows.  The daemon is stopped while the backlog is produced, so it meets
# the whole backlog at once.

use strict;
use warnings;
use utf8;

use Test::More;
use Somoim::Test;
use Somoim::Community;
use Somoim::Kafka;

my $N = 300;
my @codes = (interest_codes())[0 .. 3];
my ($first, $newest, $stale) = ("[\"$codes[0]\"]", "[\"$codes[1]\",\"$codes[2]\",\"$codes[1]\"]",
    "[\"$codes[3]\"]");

# backlog($lo): for users lo..lo+N-1 (key = user id, so in this order per user): signed up
# at version 1, updated to version 3, a late version 2, a version 4 that says nothing about
# interests; plus N users lo+N.. that only signed up.
sub backlog {
    my ($lo) = @_;
    my @steps = (
        [ 'v1.event.user-signed-up', 'user-signed-up', $lo, qq({"user_id":{i},"name":"B {i}","version":1,"interests":$first}) ],
        [ 'v1.event.user-updated', 'user-updated', $lo, qq({"user_id":{i},"name":"B {i}","version":3,"interests":$newest}) ],
        [ 'v1.event.user-updated', 'user-updated', $lo, qq({"user_id":{i},"name":"B {i}","version":2,"interests":$stale}) ],
        [ 'v1.event.user-updated', 'user-updated', $lo, q({"user_id":{i},"name":"B {i}","version":4}) ],
        [ 'v1.event.user-signed-up', 'user-signed-up', $lo + $N, qq({"user_id":{i},"name":"B {i}","version":1,"interests":$first}) ],
    );
    for my $s (@steps) {
        my ($topic, $type, $start, $data) = @$s;
        my ($rc) = kafka_tool('produce', $topic, '--type', $type, '--count', $N,
            '--start', $start, '--key', '{i}', '--data', $data);
        is($rc, 0, "produced $N $type events from user $start") or return;
    }
}

sub settled {
    my ($lo) = @_;
    my $hi = $lo + 2 * $N - 1;
    return wait_until(60, sub {
        (community_sql("SELECT COUNT(*) FROM user_versions WHERE user_id BETWEEN $lo AND $hi"))[0][0]
            == 2 * $N
            && (community_sql("SELECT COUNT(*) FROM user_versions WHERE user_id BETWEEN $lo AND "
                . ($lo + $N - 1) . ' AND version = 3'))[0][0] == $N;
    });
}

sub check {
    my ($lo, $how) = @_;
    my $mid = $lo + $N - 1;
    my $hi = $lo + 2 * $N - 1;
    ok(settled($lo), "$how: every user's newest version is applied");
    my %rows;
    push @{ $rows{$_->[0]} }, $_->[1]
        for community_sql("SELECT user_id, code FROM user_interests WHERE user_id BETWEEN $lo AND $hi"
            . ' ORDER BY user_id, code');
    my @want_new = sort @codes[1, 2];
    my ($bad_new, $bad_old) = (0, 0);
    for my $u ($lo .. $mid) {
        $bad_new++ unless join(',', @{ $rows{$u} // [] }) eq join(',', @want_new);
    }
    for my $u ($mid + 1 .. $hi) {
        $bad_old++ unless join(',', @{ $rows{$u} // [] }) eq $codes[0];
    }
    is($bad_new, 0, "$how: updated users hold version 3's interests (not the late version 2's)");
    is($bad_old, 0, "$how: users who only signed up hold their first interests");
    my ($v) = community_sql("SELECT COUNT(*) FROM user_versions WHERE user_id BETWEEN $lo AND $mid"
        . ' AND version <> 3');
    is($v->[0], 0, "$how: the event without interests moved no version");
}

my $one = unique_base();
my $many = $one + 10 * $N;

# One at a time.
$ENV{SOMOIM_COMMUNITY_EVENTS_BATCH} = 1;
ok(stack('stop', 'community-events'), 'stop community-events');
backlog($one);
ok(stack('start', 'community-events'), 'start it with batches of one');
check($one, 'one at a time');

# Batches.
delete $ENV{SOMOIM_COMMUNITY_EVENTS_BATCH};
ok(stack('stop', 'community-events'), 'stop community-events');
backlog($many);
ok(stack('start', 'community-events'), 'start it with its default batches');
check($many, 'batched');

done_testing();
