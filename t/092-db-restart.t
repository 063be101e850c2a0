#!/usr/bin/perl
# The programs survive their database: after a MariaDB restart the very next request
# succeeds (each worker reconnects on its own), and while MariaDB is down the answer is a
# clean 503 UNAVAILABLE, with no write taken.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $acct = signup(name => 'DB Restart Tester');
my $tok = $acct->{access_token};

sub me { return api(GET => '/api/v1/users/me', undef, token => $tok) }

res_is(me(), 200, 'GET /users/me answers 200 before the restart');

# --- restart ---------------------------------------------------------------------------------

ok(stack('restart', 'mariadb'), 'dev/stack restart mariadb') or BAIL_OUT('cannot restart mariadb');

my $first = me();
res_is($first, 200, 'the very next GET /users/me after the restart answers 200');
my $p = api(PATCH => '/api/v1/users/me', { name => 'After Restart' }, token => $tok);
res_is($p, 200, 'a PATCH /users/me after the restart answers 200');
is($p->{json}{name}, 'After Restart', 'the PATCH after the restart took effect');

# Every worker of every instance had a dead connection; enough requests reach them all.
my @st = map { me()->{status} } 1 .. 20;
is(scalar(grep { $_ == 200 } @st), 20, '20 more GET /users/me all answer 200 (every worker reconnected)')
    or diag("statuses: @st");
res_is(login($acct->{email}, $acct->{password}), 200, 'a login after the restart answers 200');
my $s = api(POST => '/api/v1/auth/signup', { email => new_email('restart'), password => 'long enough pw',
        name => 'Signed Up After Restart', interests => ['study'] });
res_is($s, 201, 'a signup after the restart answers 201');

# --- down ------------------------------------------------------------------------------------

ok(stack('stop', 'mariadb'), 'dev/stack stop mariadb') or BAIL_OUT('cannot stop mariadb');

error_is(me(), 503, 'UNAVAILABLE', 'with MariaDB down, GET /users/me is 503 UNAVAILABLE');
my $lost = new_email('lost');
error_is(api(POST => '/api/v1/auth/signup', { email => $lost, password => 'long enough pw',
            name => 'Never Stored', interests => ['study'] }),
    503, 'UNAVAILABLE', 'with MariaDB down, signup is 503 UNAVAILABLE');
error_is(api(PATCH => '/api/v1/users/me', { name => 'Never Stored' }, token => $tok), 503, 'UNAVAILABLE',
    'with MariaDB down, PATCH /users/me is 503 UNAVAILABLE');
error_is(login($acct->{email}, $acct->{password}), 503, 'UNAVAILABLE',
    'with MariaDB down, login is 503 UNAVAILABLE (not BAD_CREDENTIALS)');

ok(stack('start', 'mariadb'), 'dev/stack start mariadb') or BAIL_OUT('cannot start mariadb');

my $back = me();
res_is($back, 200, 'the very next GET /users/me after MariaDB came back answers 200');
is($back->{json}{name}, 'After Restart', 'the PATCH refused while down changed nothing');
my $ex = api(GET => '/api/v1/users/email-exists?' . query(email => $lost));
ok($ex->{status} == 200 && $ex->{json} && !$ex->{json}{exists},
    'the signup refused while down left no account') or diag(dump_res($ex));
@st = map { me()->{status} } 1 .. 20;
is(scalar(grep { $_ == 200 } @st), 20, '20 more GET /users/me all answer 200')
    or diag("statuses: @st");

done_testing;
