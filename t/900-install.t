#!/usr/bin/perl
# `make install` for a server (dev/install.mk): installs this build into a temporary
# DESTDIR and proves
#   - every systemd unit passes `systemd-analyze verify` with NO output at all (it
#     exits 0 on unknown keys and bad values, so any line is a failure), checked as
#     every instance somoim.target wants, inside a root made of the DESTDIR plus the
#     host's own units and the system programs the units run;
#   - somoim.target wants one FastCGI instance per line of nginx/services (each with its
#     program installed) and every daemon of kafka-consumers/daemons;
#   - the installed somoim-genconf writes a config with fresh secrets and a section per
#     schema, and never overwrites one; the installed somoim-migrate runs against the
#     test stack's MariaDB with the installed sql/ (idempotent: nothing to apply);
#   - the rendered gateway config names every instance's socket;
#   - `make uninstall` leaves no file behind.
# Nothing here names a service: the lists are read as the install reads them.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use File::Find ();
use File::Path qw(make_path);
use File::Temp qw(tempdir);

my $top = $ENV{SOMOIM_TOP} // die "SOMOIM_TOP is not set\n";
my $build = $ENV{SOMOIM_BUILD} // "$top/.run/build";
my ($sa) = grep { -x } map { "$_/systemd-analyze" } split /:/, "$ENV{PATH}:/usr/bin:/bin";
ok($sa, 'systemd-analyze is installed (dev/install: package systemd)') or BAIL_OUT('no systemd-analyze');

sub list {
    my ($file) = @_;
    open my $fh, '<', "$top/$file" or die "$file: $!\n";
    return map { [split ' '] } grep { /\S/ && !/^\s*#/ } <$fh>;
}
my @instances = map { my ($s, $n) = @$_; map { "$s-$_" } 1 .. ($n // 1) } list('nginx/services');
my @daemons = map { $_->[0] } list('kafka-consumers/daemons');

sub files_under {
    my ($dir) = @_;
    my @f;
    File::Find::find({ no_chdir => 1, wanted => sub { push @f, $_ if -f $_ || -l $_ } }, $dir);
    return sort @f;
}
sub slurp { open my $fh, '<', $_[0] or die "$_[0]: $!\n"; local $/; return <$fh> }

my $tmp = tempdir(CLEANUP => 1);
my $dest = "$tmp/dest";
my $out = `make -s -C '$build' install DESTDIR='$dest' 2>&1`;
is($?, 0, 'make install DESTDIR=... succeeds') or diag($out);

# Where things went: the unit directory is found, not assumed (distcheck has its own prefix).
my ($target) = grep { m{/lib/systemd/system/somoim\.target\z} } files_under($dest);
ok($target, 'somoim.target is installed') or BAIL_OUT('no units installed');
my $unitdir = $target =~ s{/somoim\.target\z}{}r;
my @wants = slurp($target) =~ /^Wants=(\S+)$/mg;
is_deeply([sort grep { /^somoim-fcgi@/ } @wants],
    [sort map { "somoim-fcgi\@$_.service" } @instances], 'the target wants every instance of nginx/services');
is_deeply([sort grep { /^somoim-daemon@/ } @wants],
    [sort map { "somoim-daemon\@$_.service" } @daemons], 'the target wants every daemon of kafka-consumers/daemons');

# The programs the units start, under the DESTDIR.
my ($bindir) = slurp("$unitdir/somoim-daemon\@.service") =~ /^ExecStart=(\S+)\/somoim-%i$/m;
ok($bindir, 'the daemon unit runs $(bindir)/somoim-%i');
for my $name ((map { s/-\d+\z//r } @instances), @daemons) {
    ok(-x "$dest$bindir/somoim-$name", "somoim-$name is installed where the units look");
}

# The root to verify in: the DESTDIR, the host's units (sysinit.target and the rest the
# defaults pull in), ours where systemd looks, and the system programs the units run.
my $root = "$tmp/root";
make_path($root);
system('cp', '-a', "$dest/.", "$root/") == 0 or die "cp: $?\n";
make_path("$root/usr/lib/systemd/system", "$root/etc/systemd/system");
for my $u (glob('/lib/systemd/system/*')) {
    my $to = "$root/usr/lib/systemd/system/" . ($u =~ s{.*/}{}r);
    system('cp', '-a', $u, $to) unless -e $to;
}
system('cp', '-a', glob("$unitdir/*"), "$root/etc/systemd/system/") == 0 or die "cp units: $?\n";
my %exe;
for my $u (glob("$unitdir/*")) {
    my $text = slurp($u);
    $exe{$1} = 1 while $text =~ /^Exec\w+=[-@+!]*(\/\S+)/mg;
}
for my $e (sort keys %exe) {
    next if -e "$root$e" || !-e $e;                  # ours, or missing: verify says so
    make_path("$root" . ($e =~ s{/[^/]+\z}{}r));
    system('cp', '-L', $e, "$root$e") == 0 or die "cp $e: $?\n";
}
my @check = (@wants, 'somoim.target');
my $verify = `'$sa' verify --root='$root' @check 2>&1`;
my $rc = $? >> 8;
is($verify, '', 'systemd-analyze verify prints nothing for ' . scalar(@check) . ' units') or diag($verify);
is($rc, 0, 'systemd-analyze verify exits 0');

# Hardening: the programs' units are rated "OK" by systemd's own scorer (at most 2.0 of 10).
for my $u ("somoim-fcgi\@$instances[0].service", "somoim-daemon\@$daemons[0].service") {
    my $sec = `'$sa' security --offline=true --root='$root' --threshold=20 $u 2>&1`;
    my ($score) = $sec =~ /Overall exposure level for \S+: (\d+\.\d+)/;
    ok(defined $score && $score <= 2.0 && $? == 0, "$u: exposure " . ($score // '?') . ' <= 2.0')
        or diag(join "\n", (split /\n/, $sec)[-12 .. -1]);
}

# The rendered gateway config points at every instance's socket.
my ($nginx_conf) = grep { m{/nginx/nginx\.conf\z} } files_under($dest);
ok($nginx_conf, 'the rendered gateway config is installed');
my $conf_text = $nginx_conf ? slurp($nginx_conf) : '';
my @missing = grep { $conf_text !~ m{server unix:\S+/sock/\Q$_\E\.sock } } @instances;
is_deeply(\@missing, [], 'it has an upstream server for every instance');
unlike($conf_text, qr/\@[A-Z_]+\@/, 'no @TOKEN@ is left in it');

# somoim-genconf and somoim-migrate: the installed scripts (the sbin wrappers name their
# final paths; the same scripts are run here from the DESTDIR with the arguments they pass).
my ($sbin_gen) = grep { m{/sbin/somoim-genconf\z} } files_under($dest);
my ($pkgdata) = slurp($sbin_gen) =~ m{^exec (\S+)/dev/genconf --conf }m;
ok($pkgdata, 'somoim-genconf runs the installed dev/genconf with --conf');
my $genconf = "$dest$pkgdata/dev/genconf";
my $conf1 = "$tmp/etc1/somoim.conf";
my $gout = `'$genconf' --conf '$conf1' 2>&1`;
is($?, 0, 'somoim-genconf writes a config') or diag($gout);
my $c1 = -f $conf1 ? slurp($conf1) : '';
is((stat $conf1)[2] & 0777, 0640, 'readable by owner and group only');
my @schemas = grep { $_ ne 'common' } map { s{.*/}{}r } grep { -d } glob("$top/sql/*");
for my $s (@schemas) {
    like($c1, qr/^\[\Q$s\E\]\n(?:.*\n)*?db_password = [0-9a-f]{32}$/m, "a [$s] section with its own password");
}
like($c1, qr/^socket = \/run\/mysqld\/mysqld\.sock$/m, "MariaDB's packaged socket");
`'$genconf' --conf '$conf1' 2>&1`;
is(slurp($conf1), $c1, 'run again, it keeps the existing config');
my $conf2 = "$tmp/etc2/somoim.conf";
`'$genconf' --conf '$conf2' 2>&1`;
my ($s1) = $c1 =~ /^\[jwt\]\nsecret = (\S+)$/m;
my ($s2) = slurp($conf2) =~ /^\[jwt\]\nsecret = (\S+)$/m;
ok($s1 && $s2 && $s1 ne $s2, 'each new config gets fresh secrets');

my $mout = `'$dest$pkgdata/dev/migrate' --conf '$ENV{SOMOIM_CONF}' 2>&1`;
is($?, 0, 'the installed somoim-migrate runs against the stack with the installed sql/') or diag($mout);
is($mout, '', 'nothing left to apply, nothing changed since it was applied');

$out = `make -s -C '$build' uninstall DESTDIR='$dest' 2>&1`;
is($?, 0, 'make uninstall succeeds') or diag($out);
my @left = files_under($dest);
is_deeply(\@left, [], 'make uninstall leaves no file behind') or diag(join "\n", @left[0 .. ($#left < 20 ? $#left : 19)]);

done_testing();
