#!/usr/bin/perl
# One schema the relay cannot reach does not hold up the others: the relay becomes ready
# with the schemas that answer, backs off on the broken one alone, and the user service's
# events still arrive.

use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Somoim::Test;
use Somoim::Kafka;
use Somoim::Member qw(wait_profile);

# A schema with no account in the configuration: every connection to it is refused.
$ENV{SOMOIM_OUTBOX_RELAY_SCHEMAS} = 'nosuchschema user community member';
ok(stack('restart', 'outbox-relay'), 'the relay starts, and is ready, with one schema unreachable');
END { delete $ENV{SOMOIM_OUTBOX_RELAY_SCHEMAS}; stack('restart', 'outbox-relay') }

for my $i (1 .. 3) {
    my $u = signup(name => "Relay $i");
    my $t = time;
    ok(wait_profile($u->{user}{id}), "signup $i reaches the member service through the relay");
    diag(sprintf 'in %.2f s', time - $t);
}
like(join("\n", daemon_log('outbox-relay')), qr/nosuchschema/, 'the relay logs the broken schema');
done_testing();
