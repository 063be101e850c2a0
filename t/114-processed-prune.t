#!/usr/bin/perl
# processed_events does not grow for ever: each consumer daemon deletes its group's rows
# older than [<name>] processed_retention_seconds (7 days by default, Kafka's own
# retention) every few seconds, and leaves younger rows and other groups' rows alone.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Kafka;

my $tag = sprintf '%08x', unique_base() % 0xffffffff;
my %id = map { $_ => "$tag-0000-4000-8000-00000000000$_" } 1 .. 3;
sub have { (member_sql("SELECT COUNT(*) FROM processed_events WHERE event_id = '$_[0]'"))[0][0] }

member_sql("INSERT INTO processed_events (consumer_group, event_id, processed_at) VALUES"
    . " ('member', '$id{1}', NOW(3) - INTERVAL 8 DAY),"
    . " ('member', '$id{2}', NOW(3) - INTERVAL 6 DAY),"
    . " ('some-other-group', '$id{3}', NOW(3) - INTERVAL 8 DAY)");
is(have($id{$_}), 1, "inbox row $_ is there") for 1 .. 3;

ok(wait_until(30, sub { !have($id{1}) }), "the member group's 8-day-old row is pruned");
is(have($id{2}), 1, 'its 6-day-old row stays');
is(have($id{3}), 1, "another group's old row is not the member daemon's to prune");
like(join("\n", daemon_log('member-events')), qr/pruned \d+ processed_events rows older than 604800 s/,
    'the daemon says what it pruned');

member_sql("DELETE FROM processed_events WHERE event_id IN ('$id{2}', '$id{3}')");
done_testing();
