# t/541-chat-stream.t — live delivery through nginx + nchan (API.md "Chat"): one message
# reaches an EventSource and a WebSocket client with the same id within a bound; the
# handshake refuses a missing or bad token (401), a stranger (403) and an unknown community
# (404); an EventSource that reconnects with Last-Event-ID gets exactly what it missed; and a
# member who leaves is cut off (the chat's events daemon closes the channel, every subscriber
# re-authorizes) while the others reconnect and go on.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes ();
use Somoim::Test;
use Somoim::Chat;

my $BOUND = 5;          # seconds from the POST's answer to arrival (generous: a slow machine)

my $cc = chat_community();
my $cid = $cc->{community}{id};
my $owner = $cc->{owner};
my $m = chat_join($cid, name => '듣는 사람');

# ---- one message, two kinds of client ----
my $es = stream_open($cid, $m->{access_token});
is($es->{status}, 200, 'EventSource handshake: 200');
like($es->{headers}{'content-type'} // '', qr{^text/event-stream}, 'text/event-stream');
my $ws = stream_open($cid, $owner->{access_token}, ws => 1);
is($ws->{status}, 101, 'WebSocket handshake: 101 Switching Protocols');
ok($ws->{ready}, 'WebSocket handshake accepted by the client (Sec-WebSocket-Accept)');
is(scalar @{ stream_read($es, 0.3, 1) }, 0, 'nothing old is replayed to a new EventSource subscriber');

my $r = chat_post($cid, $owner->{access_token}, "실시간 메시지 🎉");
my $posted = Time::HiRes::time();
res_is($r, 201, 'a message is posted while both are connected');
my $sent = $r->{json};
my $got_es = stream_read($es, $BOUND + 1, 1);
my $got_ws = stream_read($ws, $BOUND + 1, 1);
is(scalar @$got_es, 1, 'the EventSource client got one message');
is(scalar @$got_ws, 1, 'the WebSocket client got one message');
is($got_es->[0]{id}, $sent->{id}, 'EventSource: the same message id as the POST answered');
is($got_ws->[0]{id}, $sent->{id}, 'WebSocket: the same message id');
is($got_es->[0]{text}, '실시간 메시지 🎉', 'EventSource: the text');
is($got_ws->[0]{sender}{id}, $owner->{user}{id}, 'WebSocket: the sender');
for ([EventSource => $got_es], [WebSocket => $got_ws]) {
    my ($kind, $got) = @$_;
    my $lag = $got->[0] ? $got->[0]{_at} - $posted : 99;
    ok($lag < $BOUND, sprintf('%s: arrived %.0f ms after the POST answered (bound %d s)', $kind, $lag * 1000, $BOUND));
}
ok(defined $got_es->[0]{_event_id}, 'EventSource messages carry an event id');

# ---- resume: Last-Event-ID gives exactly what was missed ----
my $last = $got_es->[0]{_event_id};
stream_close($es);
my @missed = map { chat_post($cid, $owner->{access_token}, "놓친 메시지 $_")->{json}{id} } 1 .. 3;
my $back = stream_open($cid, $m->{access_token}, last_event_id => $last);
is($back->{status}, 200, 'the EventSource reconnects with Last-Event-ID');
my $caught = stream_read($back, $BOUND, 3);
is_deeply([map { $_->{id} } @$caught], \@missed, 'it gets the 3 it missed, in order, and nothing twice');
is(scalar @{ stream_read($back, 0.3, 4) }, 3, 'and nothing more');

# ---- refused handshakes ----
for my $ws_flag (0, 1) {
    my $kind = $ws_flag ? 'WebSocket' : 'EventSource';
    my $s = stream_open($cid, undef, ws => $ws_flag);
    is($s->{status}, 401, "$kind without a token: 401");
    is($s->{json}{error}{code}, 'UNAUTHORIZED', "$kind without a token: UNAUTHORIZED");
    $s = stream_open($cid, 'not.a.token', ws => $ws_flag);
    is($s->{status}, 401, "$kind with a bad token: 401");
    my $stranger = signup(name => '낯선 사람');
    $s = stream_open($cid, $stranger->{access_token}, ws => $ws_flag);
    is($s->{status}, 403, "$kind of a non-member: 403");
    is($s->{json}{error}{code}, 'FORBIDDEN', "$kind of a non-member: FORBIDDEN");
    $s = stream_open(999_999, $stranger->{access_token}, ws => $ws_flag);
    is($s->{status}, 404, "$kind of an unknown community: 404");
}

# ---- a leaver's stream stops ----
my $leaver = chat_join($cid, name => '떠날 사람');
my $ls = stream_open($cid, $leaver->{access_token});
my $lw = stream_open($cid, $leaver->{access_token}, ws => 1);
my $stay = stream_open($cid, $m->{access_token});
is($ls->{status}, 200, "the leaver's EventSource is open");
is($lw->{status}, 101, "the leaver's WebSocket is open");
res_is(chat_post($cid, $owner->{access_token}, '떠나기 전'), 201, 'a message before the leave');
is(scalar @{ stream_read($ls, $BOUND, 1) }, 1, 'the leaver still receives before leaving');
stream_read($lw, $BOUND, 1);
stream_read($stay, $BOUND, 1);
my $left_at = Time::HiRes::time();
res_is(api(DELETE => "/api/v1/communities/$cid/members/me", undef, token => $leaver->{access_token}),
    204, 'the member leaves');
ok(wait_until(30, sub { stream_read($ls, 0.2, 99); $ls->{eof} }), "the leaver's EventSource is closed");
ok(wait_until(30, sub { stream_read($lw, 0.2, 99); $lw->{eof} }), "the leaver's WebSocket is closed");
my $cut = Time::HiRes::time() - $left_at;
note(sprintf 'the leave cut the streams %.2f s after the 204', $cut);
ok($cut < 30, sprintf('within the bound (the events daemon closes the channel): %.1f s', $cut));
$r = stream_open($cid, $leaver->{access_token});
is($r->{status}, 403, 'the leaver reconnects: refused (403)');
$r = stream_open($cid, $leaver->{access_token}, ws => 1);
is($r->{status}, 403, 'the leaver reconnects by WebSocket: refused (403)');
error_is(chat_page($cid, $leaver->{access_token}), 403, 'FORBIDDEN', 'and reads no history');

# A member who stayed was cut off too, reconnects and goes on.
ok(wait_until(10, sub { stream_read($stay, 0.2, 99); $stay->{eof} }), 'the channel was closed for everyone');
my $again = stream_open($cid, $m->{access_token});
is($again->{status}, 200, 'a member who stayed reconnects');
$r = chat_post($cid, $owner->{access_token}, '떠난 뒤');
my $g = stream_read($again, $BOUND, 1);
is($g->[0]{id}, $r->{json}{id}, 'and receives the next message');

# ---- a deleted community's streams stop ----
my $dc = chat_community();
my $did = $dc->{community}{id};
my $ds = stream_open($did, $dc->{owner}{access_token});
is($ds->{status}, 200, "a stream of a community about to be deleted");
res_is(api(DELETE => "/api/v1/communities/$did", undef, token => $dc->{owner}{access_token}),
    204, 'the owner deletes the community');
ok(wait_until(30, sub { stream_read($ds, 0.2, 99); $ds->{eof} }), 'its stream is closed');
is(stream_open($did, $dc->{owner}{access_token})->{status}, 404, 'a reconnect: 404');
error_is(chat_post($did, $dc->{owner}{access_token}, '아무도 없나요'), 404, 'NOT_FOUND',
    'posting to a deleted community: 404');

done_testing;
