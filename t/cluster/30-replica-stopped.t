#!/usr/bin/perl
# On dev/cluster (run by `dev/cluster test`): board-query reads the read model from the
# MariaDB replica ([board_query] db_read_host). The replica is stopped: reads go on,
# from the primary; a post written meanwhile is read; the replica is started again and
# catches up (its GTID position reaches the primary's, the new post is on it).

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Board;

my $top = $ENV{SOMOIM_TOP} // die "SOMOIM_TOP is not set\n";
my $run = $ENV{SOMOIM_RUN} // die "SOMOIM_RUN is not set\n";
sub replica {
    my ($sql) = @_;
    my @r = `mariadb --no-defaults --socket='$run/mariadb-replica/sock' -u root -N -e "$sql" 2>/dev/null`;
    chomp @r;
    return $r[0];
}
my $conns = sub {
    my ($on) = @_;
    my $q = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'somoim_board_query'";
    return $on eq 'replica' ? replica($q) : (db_sql('board_query', $q))[0][0];
};

my $o = signup();
my $c = board_community($o->{access_token}, $o->{user}{id});
my $p1 = create_post($c->{id}, $o->{access_token});
is($p1->{status}, 201, 'a post');
my $listed = sub {
    my ($id) = @_;
    my $r = list_posts($c->{id}, $o->{access_token});
    return $r->{status} == 200 && grep { $_->{id} == $id } @{ $r->{json}{items} // [] };
};
ok(wait_until(30, sub { $listed->($p1->{json}{id}) }), 'listed (read model, through the replica)');
cmp_ok($conns->('replica') // 0, '>', 0, 'board-query is connected to the replica');

is(system("$top/dev/cluster", 'stop-node', 'mariadb-replica'), 0, 'replica stopped');
my %status;
for (1 .. 40) { $status{ list_posts($c->{id}, $o->{access_token})->{status} }++ }
is_deeply(\%status, { 200 => 40 }, 'every read answered while the replica is down')
    or diag(join ' ', map { "$_=$status{$_}" } sort keys %status);
cmp_ok($conns->('primary'), '>', 0, 'board-query reads from the primary now');
my $p2 = create_post($c->{id}, $o->{access_token});
is($p2->{status}, 201, 'a post written meanwhile');
ok(wait_until(30, sub { $listed->($p2->{json}{id}) }), 'and read back from the primary');

is(system("$top/dev/cluster", 'start-node', 'mariadb-replica'), 0, 'replica started again');
my $id2 = int $p2->{json}{id};
my $caught = sub {
    my ($pos) = (db_sql('board', 'SELECT @@gtid_binlog_pos'))[0][0];
    my $r = replica('SELECT @@gtid_slave_pos');
    return defined $r && $r eq $pos && (replica("SELECT COUNT(*) FROM somoim_board_query.posts_view WHERE id = $id2") // 0) == 1;
};
ok(wait_until(30, $caught), 'the replica caught up: same GTID position, the new post is there');

done_testing();
