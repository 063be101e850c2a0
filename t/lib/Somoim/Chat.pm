# Somoim::Chat — helpers for the chat tests (t/54x-*.t): communities and members that the
# chat has copied, history pages, and two live-stream clients on a plain socket (EventSource
# by hand, WebSocket with Debian's Protocol::WebSocket).
#
# The one design decision: everything goes through the real paths. A community is created
# at the community service and members join at the member service; a test uses them once
# somoim-chat-events has copied them, which it learns from the chat API itself (the history
# answers 200 instead of 403/404). The stream clients talk to the real nginx + nchan.

package Somoim::Chat;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
use IO::Select;
use IO::Socket::INET;
use JSON::PP ();
use Protocol::WebSocket::Client;
use Time::HiRes ();
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(chat_community chat_join chat_post chat_page chat_history
    stream_open stream_read stream_close chat_path);

use Somoim::Test;
use Somoim::Community qw(create_community);

my $JSON = JSON::PP->new->utf8->canonical;

sub chat_path { my ($cid, $what) = @_; return "/api/v1/communities/$cid/chat/$what" }

# _wait_chat($cid, $token, $what): until the chat lets $token read $cid (the copies landed).
sub _wait_chat {
    my ($cid, $token, $what) = @_;
    my $ok = wait_until(30, sub {
        api(GET => chat_path($cid, 'messages?limit=1'), undef, token => $token)->{status} == 200;
    });
    croak "$what did not reach the chat within 30 s" unless $ok;
}

# chat_community(%over) → { community, owner } once the chat knows both.
sub chat_community {
    my (%over) = @_;
    my $owner = signup(name => "방장 $$");
    $over{is_private} = $over{is_private} ? JSON::PP::true : JSON::PP::false
        if exists $over{is_private};
    my $c = create_community($owner->{access_token}, %over);
    _wait_chat($c->{id}, $owner->{access_token}, "community $c->{id} and its owner");
    return { community => $c, owner => $owner };
}

# chat_join($cid, %signup) → a new user (signup result) who joined $cid, once the chat knows.
sub chat_join {
    my ($cid, %su) = @_;
    my $u = signup(%su);
    my $r = api(POST => "/api/v1/communities/$cid/members", undef, token => $u->{access_token});
    croak "join failed (want 201):\n" . dump_res($r) unless $r->{status} == 201;
    _wait_chat($cid, $u->{access_token}, "member $u->{user}{id} of $cid");
    return $u;
}

sub chat_post {
    my ($cid, $token, $text) = @_;
    return api(POST => chat_path($cid, 'messages'), { text => $text }, token => $token);
}

# chat_page($cid, $token, %q) → the response of one history page.
sub chat_page {
    my ($cid, $token, %q) = @_;
    my $qs = %q ? '?' . query(%q) : '';
    return api(GET => chat_path($cid, "messages$qs"), undef, token => $token);
}

# chat_history($cid, $token, $limit) → every message following next_cursor (undef on an error).
sub chat_history {
    my ($cid, $token, $limit) = @_;
    my (@all, $before);
    for (1 .. 10_000) {
        my $r = chat_page($cid, $token, limit => $limit // 20, defined $before ? (before => $before) : ());
        return undef unless $r->{status} == 200;
        push @all, @{ $r->{json}{items} };
        $before = $r->{json}{next_cursor};
        last unless defined $before;
    }
    return \@all;
}

# ---- live streams -----------------------------------------------------------------------

# stream_open($cid, $token, %opt) → $s with {status, headers, body (when refused)}.
#   opt: ws => 1 (WebSocket; default EventSource), last_event_id => id (EventSource resume).
sub stream_open {
    my ($cid, $token, %opt) = @_;
    my ($host, $port) = base_url() =~ m{^https?://([^/:]+):(\d+)} or croak 'bad base url';
    my $path = chat_path($cid, 'stream') . (defined $token ? "?access_token=$token" : '');
    my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Timeout => 5)
        or croak "connect $host:$port: $!";
    $sock->autoflush(1);
    my $s = { sock => $sock, buf => '', text => '', events => [], eof => 0, ws => $opt{ws} };
    if ($opt{ws}) {
        my $c = Protocol::WebSocket::Client->new(url => "ws://$host:$port$path");
        $c->on(write => sub { my ($cl, $b) = @_; syswrite($sock, $b) });
        $c->on(read => sub {
            my ($cl, $b) = @_;
            utf8::encode($b) if utf8::is_utf8($b);          # JSON below decodes bytes
            push @{ $s->{events} }, { data => $b };
        });
        $c->on(connect => sub { $s->{ready} = 1 });
        $s->{client} = $c;
        $c->connect;
    } else {
        my $extra = defined $opt{last_event_id} ? "Last-Event-ID: $opt{last_event_id}\r\n" : '';
        syswrite($sock, "GET $path HTTP/1.1\r\nHost: $host:$port\r\nAccept: text/event-stream\r\n"
            . "Cache-Control: no-cache\r\n$extra\r\n");
    }
    # The response head.
    my $end = Time::HiRes::time() + 10;
    while ($s->{buf} !~ /\r\n\r\n/ && Time::HiRes::time() < $end) {
        last unless _fill($s, 0.5);
    }
    my ($head, $rest) = split /\r\n\r\n/, $s->{buf}, 2;
    croak "no response head from the stream" unless defined $head;
    ($s->{status}) = $head =~ m{\AHTTP/1\.[01] (\d{3})};
    $s->{headers} = { map { /^([^:]+):\s*(.*)$/ ? (lc $1, $2) : () } split /\r\n/, $head };
    $s->{chunked} = ($s->{headers}{'transfer-encoding'} // '') =~ /chunked/i;
    $s->{buf} = $rest // '';
    if ($s->{status} != 101 && $s->{status} != 200) {
        # A refused handshake: read the (JSON) body.
        my $len = $s->{headers}{'content-length'} // 0;
        while (length($s->{buf}) < $len && _fill($s, 1)) { }
        $s->{body} = $s->{buf};
        $s->{json} = eval { $JSON->decode($s->{buf}) };
        close $sock;
        $s->{eof} = 1;
    } elsif ($opt{ws}) {
        # Let the client parse the handshake it sent the key for, then the frames.
        $s->{client}->read("$head\r\n\r\n$s->{buf}");
        $s->{buf} = '';
    }
    return $s;
}

# _fill($s, $secs): reads what arrives within $secs; false at EOF or when nothing came.
sub _fill {
    my ($s, $secs) = @_;
    return 0 if $s->{eof};
    my $sel = IO::Select->new($s->{sock});
    return 0 unless $sel->can_read($secs);
    my $n = sysread($s->{sock}, my $chunk, 65536);
    if (!$n) { $s->{eof} = 1; return 0 }
    $s->{buf} .= $chunk;
    return 1;
}

# stream_read($s, $secs, $n) → the messages (decoded JSON, with {_event_id} for EventSource)
# received so far, waiting up to $secs for there to be $n of them (or for the stream's end).
sub stream_read {
    my ($s, $secs, $n) = @_;
    my $end = Time::HiRes::time() + $secs;
    while (1) {
        _parse($s);
        last if @{ $s->{events} } >= ($n // 1) || $s->{eof};
        my $left = $end - Time::HiRes::time();
        last if $left <= 0;
        _fill($s, $left > 0.5 ? 0.5 : $left);
    }
    _parse($s);
    my @out;
    for my $e (@{ $s->{events} }) {
        my $m = eval { $JSON->decode($e->{data}) } or next;
        $m->{_event_id} = $e->{id} if defined $e->{id};
        $m->{_at} = $e->{at};
        push @out, $m;
    }
    return \@out;
}

sub _parse {
    my ($s) = @_;
    my $now = Time::HiRes::time();
    if ($s->{ws}) {
        if (length $s->{buf}) {
            $s->{client}->read($s->{buf});
            $s->{buf} = '';
        }
        $_->{at} //= $now for @{ $s->{events} };
        return;
    }
    if ($s->{chunked}) {
        my $out = '';
        while ($s->{buf} =~ /\A([0-9a-fA-F]+)\r\n/) {
            my $len = hex $1;
            my $hl = length($1) + 2;
            last if length($s->{buf}) < $hl + $len + 2;
            $out .= substr($s->{buf}, $hl, $len);
            substr($s->{buf}, 0, $hl + $len + 2, '');
        }
        $s->{text} .= $out;
    } else {
        $s->{text} .= $s->{buf};
        $s->{buf} = '';
    }
    while ($s->{text} =~ s/\A(.*?)\n\n//s) {
        my $block = $1;
        my (%e, @data);
        for my $line (split /\n/, $block) {
            if ($line =~ /^id: ?(.*)$/)      { $e{id} = $1 }
            elsif ($line =~ /^data: ?(.*)$/) { push @data, $1 }
        }
        next unless @data;
        $e{data} = join "\n", @data;
        $e{at} = $now;
        push @{ $s->{events} }, \%e;
    }
}

sub stream_close {
    my ($s) = @_;
    close $s->{sock} if $s->{sock};
    $s->{eof} = 1;
}

1;
