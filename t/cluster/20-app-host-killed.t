#!/usr/bin/perl
# On dev/cluster (run by `dev/cluster test`): app host 1 (every FastCGI program and
# every daemon on 127.0.0.5) is killed with SIGKILL while clients keep sending idempotent
# requests through the gateway. Every request must still succeed (nginx passes a request
# that failed to connect to the other host), and the consumer groups must rebalance onto
# host 2: a burst of events written after the kill is applied, each once. Host 1 is
# started again at the end.

use strict;
use warnings;
use Test::More;
use Somoim::Test;
use Time::HiRes qw(time sleep);
use POSIX ();

my $top = $ENV{SOMOIM_TOP} // die "SOMOIM_TOP is not set\n";
my $build = $ENV{SOMOIM_BUILD} // die "SOMOIM_BUILD is not set\n";
my $N = 500;

my $s = signup();
my $token = $s->{access_token};
ok($token, 'signed up through the cluster');

# Refused connections to host 1 in the gateway's log: proof the kill was felt.
sub refused {
    open my $l, '<', "$ENV{SOMOIM_RUN}/log/nginx.log" or return 0;
    return scalar grep { /Connection refused\) while connecting to upstream.*127\.0\.0\.5:/ } <$l>;
}
my $refused0 = refused();

# Four clients, each 150 GETs of its profile and the interest list, 20 ms apart.
my $started = time;
my $pid = fork // die "fork: $!\n";
if ($pid == 0) {
    my @r = parallel(4, sub {
        my %status;
        for my $i (1 .. 150) {
            my $res = $i % 2 ? api('GET', '/api/v1/users/me', undef, token => $token) : api('GET', '/api/v1/interests');
            $status{$res->{status}}++;
            sleep 0.02;
        }
        return \%status;
    });
    my %all;
    for my $h (@r) { $all{$_} += $h->{$_} for keys %$h }
    open my $fh, '>', "$ENV{SOMOIM_RUN}/app-kill.result" or POSIX::_exit(1);
    print $fh join(' ', map { "$_=$all{$_}" } sort keys %all), "\n";
    close $fh;
    POSIX::_exit(0);
}
sleep 1;
is(system("$top/dev/cluster", 'stop-app', '1', 'KILL'), 0, 'app host 1 killed (SIGKILL) under load');
waitpid($pid, 0);
open my $fh, '<', "$ENV{SOMOIM_RUN}/app-kill.result" or die "no result: $!\n";
my $result = <$fh>;
chomp $result;
is($result, '200=600', 'all 600 requests answered 200 across the kill') or diag($result);
cmp_ok(refused() - $refused0, '>', 0, 'the gateway met the dead host and passed those requests on');

# The consumer groups move to host 2: events written now are applied, each once.
my ($before) = map { $_->[0] // 0 } db_sql('user', 'SELECT COALESCE(MAX(id), 0) FROM outbox');
is(system("$build/bench/outbox-load burst $N 20 >/dev/null"), 0, "$N events written after the kill");
my $applied = sub {
    (db_sql('member', "SELECT COUNT(*) FROM processed_events p JOIN somoim_user.outbox o"
        . " ON o.event_id = p.event_id WHERE o.id > $before AND p.consumer_group = 'member'"))[0][0];
};
my $t = time;
ok(wait_until(60, sub { $applied->() == $N }), "all $N applied by host 2's member daemon")
    or diag($applied->() . " of $N applied");
diag(sprintf 'applied %.1f s after the burst (includes the group rebalance)', time - $t);

is(system("$top/dev/cluster", 'start-app', '1'), 0, 'app host 1 started again');
done_testing();
