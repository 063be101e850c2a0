#!/usr/bin/perl
# somoim-kafka lag: the member group's committed offset, high watermark and lag per
# partition, reaching 0 once the daemon has caught up (offsets commit every 5 s).

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Kafka;

my $base = unique_base();
my ($rc) = kafka_tool('produce', 'v1.event.user-signed-up', '--type', 'user-signed-up',
    '--count', 30, '--start', $base + 1, '--key', '{i}',
    '--data', '{"user_id":{i},"name":"Lag {i}","version":1}');
is($rc, 0, 'produced 30 events');

my $out;
ok(wait_until(30, sub { ($rc, $out) = kafka_tool('lag', 'member'); $rc == 0 && $out =~ /^member total 0$/m }),
    'somoim-kafka lag member reaches a total of 0') or diag($out);
like($out, qr/^GROUP TOPIC PARTITION COMMITTED HIGH LAG$/m, 'it prints a header');
my @rows = $out =~ /^member (v1\.event\.user-signed-up) (\d+) (\d+) (\d+) (\d+)$/mg;
cmp_ok(scalar @rows / 5, '>=', 1, 'it prints the user-signed-up partitions');
my $ok = 1;
for (my $i = 0; $i < @rows; $i += 5) {
    $ok &&= $rows[$i + 2] == $rows[$i + 3] && $rows[$i + 4] == 0;
}
ok($ok, 'each with committed = high watermark and lag 0');

($rc, $out) = kafka_tool('lag');
is($rc, 0, 'somoim-kafka lag without a group lists every group');
like($out, qr/^member total \d+$/m, '... the member group among them');

done_testing;
