# t/544-chat-store-hung.t — the chat with FerretDB hung (SIGSTOP: connections accepted, never
# answered): a POST is 503 UNAVAILABLE within the driver's socket timeout (5 s) instead of
# holding the worker, the programs survive the broken connections (the events daemon too,
# with a membership waiting on it), and once FerretDB runs again everything works.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes ();
use Somoim::Test;
use Somoim::Chat;

my $cc = chat_community();
my $cid = $cc->{community}{id};
my $tok = $cc->{owner}{access_token};
res_is(chat_post($cid, $tok, '멈추기 전'), 201, 'a message before the hang');

my $run = $ENV{SOMOIM_RUN} or BAIL_OUT('SOMOIM_RUN is not set');
open my $fh, '<', "$run/pid/ferretdb.pid" or BAIL_OUT("no FerretDB pid file: $!");
chomp(my $pid = <$fh>);
close $fh;
my $stopped;
END { kill 'CONT', $pid if $stopped }                # never leave the stack's FerretDB frozen

ok(kill('STOP', $pid), 'FerretDB hung (SIGSTOP)');
$stopped = 1;
my $late = signup(name => '멈춘 사이 가입');
res_is(api(POST => "/api/v1/communities/$cid/members", undef, token => $late->{access_token}),
    201, 'someone joins while the store hangs (the events daemon meets the hang)');
my $t0 = Time::HiRes::time();
my $r = chat_post($cid, $tok, '응답 없는 저장소');
my $took = Time::HiRes::time() - $t0;
error_is($r, 503, 'UNAVAILABLE', 'POST with the store hung: 503 UNAVAILABLE');
ok($took < 15, sprintf('answered in %.1f s (socket timeout 5 s, not minutes)', $took));
error_is(chat_page($cid, $tok), 503, 'UNAVAILABLE', 'reading the history: 503');

ok(kill('CONT', $pid), 'FerretDB runs again (SIGCONT)');
$stopped = 0;
ok(wait_until(30, sub { chat_post($cid, $tok, '다시 살아남')->{status} == 201 }), 'POST works again');
my $all = chat_history($cid, $tok, 100);
ok(!grep({ $_->{text} eq '응답 없는 저장소' } @$all), 'the refused message is not in the history');
ok(wait_until(60, sub { chat_page($cid, $late->{access_token})->{status} == 200 }),
    'the membership made during the hang reached the chat: the events daemon survived it');

done_testing;
