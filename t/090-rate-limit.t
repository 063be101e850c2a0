#!/usr/bin/perl
# The gateway limits POST /api/v1/auth/login per client address (the test stack: about
# 100 r/s, burst 50). A crowd of clients firing at once must see some 429 RATE_LIMITED in
# JSON, nothing else may break, and the limit must pass again after a short pause.
#
# Runs late (09x) and sleeps at the end so the files after it are not limited.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(sleep time);
use Somoim::Test;

my $acct = signup(name => 'Rate Tester');

# More simultaneous clients than the burst, whether or not nginx uses `nodelay`. The body
# misses the password so each request that gets through is a quick 400 (no hashing), which
# keeps the arrival rate far above the limit.
my $CLIENTS = 80;
my $EACH    = 5;

my $t0 = time;
my @r = parallel($CLIENTS, sub {
    my %count;
    my @samples;
    for (1 .. $EACH) {
        my $x = api(POST => '/api/v1/auth/login', { email => 'rate-limit@example.com' },
            no_retry => 1);
        $count{ $x->{status} }++;
        if ($x->{status} == 429 && @samples < 1) {
            push @samples, {
                content_type => $x->{headers}{'content-type'},
                code         => ref $x->{json} eq 'HASH' && ref $x->{json}{error} eq 'HASH'
                                ? $x->{json}{error}{code} : undef,
                message      => ref $x->{json} eq 'HASH' && ref $x->{json}{error} eq 'HASH'
                                ? $x->{json}{error}{message} : undef,
                request_id   => $x->{headers}{'x-request-id'},
            };
        }
        if ($x->{status} != 429 && $x->{status} != 400) {
            push @samples, { status => $x->{status}, dump => dump_res($x) } if @samples < 3;
        }
    }
    return { count => \%count, samples => \@samples };
});
my $elapsed = time - $t0;

# Just after the crowd: is the limit local to login?
my $other = api(GET => '/api/v1/interests', undef, no_retry => 1);

my %total;
for my $c (@r) { $total{$_} += $c->{count}{$_} for keys %{ $c->{count} } }
my $summary = join ', ', map { "$_: $total{$_}" } sort keys %total;
note(sprintf '%d requests in %.2f s: %s', $CLIENTS * $EACH, $elapsed, $summary);

my @limited = grep { !exists $_->{status} } map { @{ $_->{samples} } } @r;
my @odd     = grep { exists $_->{status} } map { @{ $_->{samples} } } @r;

cmp_ok($total{429} // 0, '>', 0, "$CLIENTS clients x $EACH logins at once get some 429")
    or diag("answers: $summary");
cmp_ok($total{400} // 0, '>', 0, 'some of them got through to the service (400 for the missing password)')
    or diag("answers: $summary");
is(scalar(@odd), 0, 'every answer is either 400 (through) or 429 (limited): no 5xx, no 599')
    or diag(join "\n", "answers: $summary", map { $_->{dump} } @odd);
ok(@limited && !grep({ ($_->{content_type} // '') !~ m{^application/json\b}i } @limited),
    'the 429 is application/json')
    or diag(explain(\@limited));
ok(@limited && !grep({ ($_->{code} // '') ne 'RATE_LIMITED' } @limited),
    'the 429 has error.code RATE_LIMITED')
    or diag(explain(\@limited));
ok(@limited && !grep({ !defined $_->{message} || !length $_->{message} } @limited),
    'the 429 has an error.message')
    or diag(explain(\@limited));
ok(@limited && !grep({ ($_->{request_id} // '') !~ /^[0-9a-f]{32}\z/ } @limited),
    'the 429 carries X-Request-Id')
    or diag(explain(\@limited));

res_is($other, 200, 'the login limit does not limit GET /api/v1/interests');

# Let the bucket drain (burst 50 at 100 r/s empties in half a second; take 2 s).
sleep 2;
res_is(api(POST => '/api/v1/auth/login', { email => $acct->{email}, password => $acct->{password} },
        no_retry => 1),
    200, 'after a 2 s pause a login answers 200 again');
sleep 1;

done_testing;
