#!/usr/bin/perl
# Routes have one source of truth, the route tables in the programs' main.c; nginx's
# /api/ locations must agree with them.  This test asks every FastCGI program in
# nginx/services for its table (`somoim-<svc> -r`), renders the real gateway config
# (nginx/render, the same template dev/stack uses) in front of one stand-in per service
# that answers with its own name (t/helpers/fcgi-whoami), and proves, through the real
# nginx:
#   - every route of every table reaches its owner (method included: the board's reads
#     go to board-query, its writes to board);
#   - a method no table has for a known path reaches no service, or one that owns the
#     path with another method (it answers 405 with Allow) -- never another service;
#   - no two tables claim the same method and path.
# A new service is covered by its line in nginx/services; nothing here names a service.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use File::Spec;
use File::Temp qw(tempdir);
use HTTP::Tiny;
use JSON::PP ();
use POSIX ();

my $top = $ENV{SOMOIM_TOP} // die "SOMOIM_TOP is not set\n";
my $build = $ENV{SOMOIM_BUILD} // "$top/.run/build";
my ($base) = base_url() =~ m{:(\d+)/?\z} or die "no port in " . base_url() . "\n";
my $port = $base + 200;                 # inside the test stack's range, used by nothing else
my @METHODS = qw(GET POST PUT PATCH DELETE);

# --- the tables ------------------------------------------------------------------------------

my @services;
open(my $fh, '<', "$top/nginx/services") or die "nginx/services: $!\n";
while (<$fh>) {
    next if /^\s*(#|$)/;
    push @services, (split)[0];
}
close $fh;
ok(@services >= 1, 'nginx/services lists the FastCGI services (' . scalar(@services) . ')');

my @routes;                             # [service, method, pattern, regex, example path]
for my $svc (@services) {
    my $prog = "$build/fcgi-apps/$svc/somoim-$svc";
    my @lines = qx{"$prog" -r 2>&1};
    is($?, 0, "$svc: somoim-$svc -r prints its route table") or diag(@lines);
    my $n = 0;
    for (@lines) {
        chomp;
        my ($method, $pattern) = m{^([A-Z]+) (/\S*)\z} or do { fail("$svc: route line '$_'"); next };
        # /internal/ routes are served on the loopback server only (nchan's authorize hop,
        # t/541), never through the public gateway this test renders.
        next if $pattern =~ m{^/internal/};
        push @routes, [$svc, $method, $pattern, pattern_rx($pattern), example($pattern)];
        $n++;
    }
    ok($n > 0, "$svc: its table has routes ($n)");
}

# {..id} captures match a positive integer only (lib/sm_route.h), other captures a segment.
sub pattern_rx {
    my ($p) = @_;
    my $rx = join '', map {
        /^\{\w*id\}\z/ ? '[1-9][0-9]*' : /^\{\w+\}\z/ ? '[^/]+' : quotemeta
    } split /(\{\w+\})/, $p;
    return qr/^$rx\z/;
}

sub example {
    my ($p) = @_;
    $p =~ s/\{\w*id\}/42/g;
    $p =~ s/\{\w+\}/x/g;
    return $p;
}

sub owners {                            # the services whose table has (method, path)
    my ($method, $path) = @_;
    my %o = map { $_->[0] => 1 } grep { (!defined $method || $_->[1] eq $method) && $path =~ $_->[3] } @routes;
    return sort keys %o;                # a list: call it in list context
}

my %paths = map { $_->[4] => 1 } @routes;
for my $path (sort keys %paths) {
    for my $m (@METHODS) {
        my @o = owners($m, $path);
        ok(@o <= 1, "$m $path has one owner at most") or diag("claimed by @o");
    }
}

# --- the gateway in front of stand-ins -------------------------------------------------------

my $root = $ENV{SOMOIM_RUN} && -d $ENV{SOMOIM_RUN} ? $ENV{SOMOIM_RUN} : undef;
my $dir = tempdir('routes-XXXXXX', DIR => $root // File::Spec->tmpdir, CLEANUP => 1);
chmod 0755, $dir;
mkdir "$dir/$_" or die "mkdir $dir/$_: $!\n" for qw(sock pid log nginx);
open(my $sf, '>', "$dir/services") or die "$dir/services: $!\n";
print $sf "$_ 1\n" for @services;
close $sf;
system("$top/nginx/render", '--run', $dir, '--port', $port, '--pub-port', $port + 1,
    '--login-rate', '1000r/s', '--login-burst', '1000', '--services', "$dir/services",
    '-o', "$dir/nginx.conf") == 0 or BAIL_OUT('nginx/render failed');

my @spawned;
for my $svc (@services) {
    my @args = ('-s', "$dir/sock/$svc-1.sock", '-P', "$dir/pid/$svc.pid", '-M', '0660');
    push @args, qw(-u somoim -g somoim -U www-data -G www-data) if $> == 0;
    local $ENV{SOMOIM_WHOAMI} = $svc;
    system('spawn-fcgi', @args, '--', "$build/t/helpers/fcgi-whoami") == 0
        or BAIL_OUT("spawn-fcgi for $svc failed");
    push @spawned, "$dir/pid/$svc.pid";
}
my $nginx = fork // die "fork: $!\n";
if ($nginx == 0) {
    open(STDOUT, '>>', "$dir/log/nginx.out");
    open(STDERR, '>&', \*STDOUT);
    { exec('nginx', '-p', "$dir/nginx", '-e', "$dir/log/nginx.log", '-c', "$dir/nginx.conf") };
    POSIX::_exit(127);
}
END {
    kill 'TERM', $nginx if $nginx;
    waitpid($nginx, 0) if $nginx;
    for my $pf (@spawned) {
        open(my $p, '<', $pf) or next;
        chomp(my $pid = <$p> // '');
        kill 'TERM', $pid if $pid =~ /^\d+\z/;
    }
}

my $ua = HTTP::Tiny->new(timeout => 10);
my $json = JSON::PP->new->utf8;
sub ask {                               # the service nginx sent (method, path) to, or undef
    my ($method, $path) = @_;
    my $r = $ua->request($method, "http://127.0.0.1:$port$path");
    my $who = eval { $json->decode($r->{content})->{service} };
    return ($who, $r);
}
ok(wait_until(10, sub { my (undef, $r) = ask(GET => '/'); $r->{status} != 599 }),
    "the gateway listens on $port") or BAIL_OUT('nginx did not start: ' . `cat $dir/log/nginx*`);

# --- every route reaches its owner, and only owners are reached ------------------------------

my %reached;
for my $rt (@routes) {
    my ($svc, $m, $pattern, undef, $path) = @$rt;
    my ($who, $r) = ask($m, $path);
    is($who // "nginx $r->{status}", $svc, "$m $pattern reaches $svc");
    $reached{$svc}++ if defined $who && $who eq $svc;
}
for my $path (sort keys %paths) {
    for my $m (@METHODS) {
        my @mine = owners($m, $path);
        next if @mine;
        my ($who) = ask($m, $path);
        my @own = owners(undef, $path);
        ok(!defined $who || grep({ $_ eq $who } @own),
            "$m $path (no route) reaches nginx or the path's owner (@own), not another service")
            or diag("reached $who");
    }
}
is(scalar(grep { $reached{$_} } @services), scalar(@services), 'every service was reached');

done_testing();
