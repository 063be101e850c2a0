#!/usr/bin/perl
# Schemathesis over every operation of docs/openapi.yaml, with every check, for about two
# minutes (SOMOIM_SCHEMATHESIS_SECONDS), through dev/schemathesis: no 5xx, no response
# that violates its schema, no status, Content-Type or header the spec does not document,
# no schema-violating request accepted, no operation that ignores its authentication.
# Runs last (990): what it creates at random is no other test's business.

use strict;
use warnings;
use Test::More;
use Somoim::Test;

my $top = $ENV{SOMOIM_TOP} or die 'SOMOIM_TOP is not set';
my $seconds = $ENV{SOMOIM_SCHEMATHESIS_SECONDS} // 110;
my $out = `"$top/dev/schemathesis" $seconds 2>&1`;
my $rc = $? >> 8;
my ($fail, $notes) = $out =~ /^schemathesis: (\d+) failure\(s\), (\d+) note\(s\)$/m;
ok(defined $fail, 'Schemathesis ran over docs/openapi.yaml') or diag($out);
is($fail, 0, 'Schemathesis: 0 failures (5xx, schema violations, undocumented statuses ...)')
    or diag($out);
is($rc, 0, 'dev/schemathesis exits 0') or diag($out);
note($out);

done_testing();
