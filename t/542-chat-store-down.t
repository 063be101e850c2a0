# t/542-chat-store-down.t — the chat with its document store (FerretDB) stopped: a POST is
# 503 UNAVAILABLE at once and writes nothing, reads and stream handshakes are 503 too, a
# membership made meanwhile waits in Kafka (the events daemon retries without
# dead-lettering), and once FerretDB is back everything works again without a restart of
# the chat's programs.
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
my @ids = map { chat_post($cid, $tok, "평소 메시지 $_")->{json}{id} } 1 .. 3;
is(scalar(grep { defined } @ids), 3, 'three messages before the outage');

ok(stack('stop', 'ferretdb'), 'FerretDB stopped');
my $t0 = Time::HiRes::time();
my $r = chat_post($cid, $tok, '저장소가 없을 때');
my $took = Time::HiRes::time() - $t0;
error_is($r, 503, 'UNAVAILABLE', 'POST with the store stopped: 503 UNAVAILABLE');
ok($took < 5, sprintf('answered in %.2f s (no long driver timeout)', $took));
error_is(chat_post($cid, $tok, '또 시도'), 503, 'UNAVAILABLE', 'again: 503');
error_is(chat_page($cid, $tok), 503, 'UNAVAILABLE', 'reading the history: 503');
my $s = stream_open($cid, $tok);
is($s->{status}, 503, 'a stream handshake: 503');

# A join during the outage: the member service takes it; the chat's copy waits.
my $late = signup(name => '늦게 온 사람');
res_is(api(POST => "/api/v1/communities/$cid/members", undef, token => $late->{access_token}),
    201, 'someone joins while the store is down');

ok(stack('start', 'ferretdb'), 'FerretDB started again');
ok(wait_until(30, sub { chat_page($cid, $tok)->{status} == 200 }), 'the history answers again');
my $all = chat_history($cid, $tok, 100);
is_deeply([map { $_->{id} } @$all], [reverse @ids], 'nothing half-written: exactly the three messages');
$r = chat_post($cid, $tok, '돌아왔다');
res_is($r, 201, 'POST works again');
like($r->{json}{id}, qr/-0000000004\z/, 'the next message continues the sequence');
ok(wait_until(60, sub { chat_page($cid, $late->{access_token})->{status} == 200 }),
    'the membership made during the outage reached the chat (retried, not dead-lettered)');
res_is(chat_post($cid, $late->{access_token}, '저도 왔어요'), 201, 'and the new member chats');

done_testing;
