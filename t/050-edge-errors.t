#!/usr/bin/perl
# nginx's own answers under /api/, with a raw socket (an HTTP library would refuse to send
# most of these): every error nginx produces itself, before or after it picks a location,
# is the API's JSON error envelope with the right status and the API's headers; prefixes
# without their trailing slash are a JSON 404, never a 301; TRACE and CONNECT get a 405
# with the path's methods in Allow; the gateway serves no /_bench/ baselines.

use strict;
use warnings;
use utf8;
use IO::Socket::INET;
use Test::More;
use Somoim::Test;

my ($HOST, $PORT) = base_url() =~ m{^https?://([^:/]+):(\d+)} or die 'bad base url';

# raw($bytes) → { status, headers (lower-case keys), body, json }: one request on its
# own connection; the answer is read until nginx closes it.
sub raw {
    my ($req) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => $HOST, PeerPort => $PORT, Timeout => 10)
        or die "connect: $!";
    $s->autoflush(1);
    print {$s} $req;
    my $buf = '';
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm 15;
    while (1) {
        my $n = sysread $s, my $chunk, 65536;
        last unless $n;
        $buf .= $chunk;
    }
    alarm 0;
    close $s;
    my ($head, $body) = split /\r\n\r\n/, $buf, 2;
    my ($line, @lines) = split /\r\n/, $head // '';
    my %h;
    for (@lines) { my ($k, $v) = /^([^:]+):\s*(.*)$/ or next; push @{ $h{lc $k} }, $v }
    my ($status) = ($line // '') =~ m{^HTTP/1\.[01] (\d{3})};
    my $json = eval { JSON::PP->new->utf8->decode($body // '') };
    return { status => $status // 0, headers => \%h, body => $body // '', json => $json,
        line => $line // '' };
}

sub hdr { my ($r, $k) = @_; return join ', ', @{ $r->{headers}{$k} || [] } }

# is_json_error($res, $status, $code, $name): the envelope, the status and the API headers.
sub is_json_error {
    my ($r, $status, $code, $name) = @_;
    my @why;
    push @why, "status $r->{status}, want $status ($r->{line})" if $r->{status} != $status;
    push @why, 'Content-Type ' . hdr($r, 'content-type') . ', want application/json'
        unless hdr($r, 'content-type') =~ m{^application/json\b};
    my $e = ref $r->{json} eq 'HASH' ? $r->{json}{error} : undef;
    push @why, 'body is not {"error":{"code","message"}}: ' . substr($r->{body}, 0, 200)
        unless ref $e eq 'HASH' && defined $e->{message} && length $e->{message};
    push @why, "error.code " . ($e->{code} // '(none)') . ", want $code"
        if ref $e eq 'HASH' && ($e->{code} // '') ne $code;
    push @why, 'no X-Content-Type-Options: nosniff'
        unless hdr($r, 'x-content-type-options') eq 'nosniff';
    push @why, 'no X-Request-Id' unless hdr($r, 'x-request-id') =~ /^[0-9a-f]{32}$/;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    ok(!@why, $name) or diag(join "\n", @why);
}

my $CLOSE = "Host: $HOST\r\nConnection: close\r\n";
my $long = 'a' x 9000;

# --- errors nginx finds before it chooses a location -----------------------------------------

is_json_error(raw("get /api/v1/interests HTTP/1.1\r\n$CLOSE\r\n"), 400, 'BAD_REQUEST',
    'a lower-case method is a JSON 400');
is_json_error(raw("GET /api/v1/interests HTTP/3.0\r\n$CLOSE\r\n"), 505,
    'HTTP_VERSION_NOT_SUPPORTED', 'HTTP/3.0 on a plain connection is a JSON 505');
is_json_error(raw("GET /api/v1/$long HTTP/1.1\r\n$CLOSE\r\n"), 414, 'URI_TOO_LONG',
    'a 9 KB URL is a JSON 414');
is_json_error(raw("GET /api/v1/interests HTTP/1.1\r\n${CLOSE}X-Big: $long\r\n\r\n"), 431,
    'HEADERS_TOO_LARGE', 'a 9 KB header line is a JSON 431');
is_json_error(raw("GET /api/v1/users/%00 HTTP/1.1\r\n$CLOSE\r\n"), 400, 'BAD_REQUEST',
    '%00 in the path is a JSON 400');
is_json_error(raw("POST /api/v1/auth/login HTTP/1.1\r\n${CLOSE}Content-Length: 2\r\n"
        . "Content-Length: 3\r\n\r\n{}"), 400, 'BAD_REQUEST',
    'two Content-Length headers are a JSON 400');
is_json_error(raw("POST /api/v1/auth/login HTTP/1.1\r\n${CLOSE}Content-Length: x\r\n\r\n"),
    400, 'BAD_REQUEST', 'a non-numeric Content-Length is a JSON 400');
is_json_error(raw("POST /api/v1/auth/login HTTP/1.1\r\n${CLOSE}Transfer-Encoding: gzip\r\n\r\n"),
    501, 'NOT_IMPLEMENTED', 'an unknown Transfer-Encoding is a JSON 501');
is_json_error(raw("GET /api/v1/interests HTTP/1.1\r\nConnection: close\r\n\r\n"), 400,
    'BAD_REQUEST', 'HTTP/1.1 without Host is a JSON 400');

# --- errors inside /api/ ---------------------------------------------------------------------

is_json_error(raw("POST /api/v1/auth/login HTTP/1.1\r\n${CLOSE}Content-Type: application/json"
        . "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400, 'BAD_REQUEST',
    'a broken chunked body is a JSON 400');
is_json_error(raw("GET /api/v1/no-such-thing HTTP/1.1\r\n$CLOSE\r\n"), 404, 'NOT_FOUND',
    'an unknown /api/ path is a JSON 404 with the API headers');

# --- TRACE and CONNECT: 405 with the path's methods -------------------------------------------

my $tr = raw("TRACE /api/v1/users/1 HTTP/1.1\r\n$CLOSE\r\n");
is_json_error($tr, 405, 'METHOD_NOT_ALLOWED', 'TRACE is a JSON 405');
is(hdr($tr, 'allow'), 'GET, HEAD', 'TRACE /users/{id}: Allow names the path\'s methods');
my $tp = raw("TRACE /api/v1/posts/1 HTTP/1.1\r\n$CLOSE\r\n");
is_json_error($tp, 405, 'METHOD_NOT_ALLOWED', 'TRACE /posts/{id} is a JSON 405');
is(join(',', sort split /,\s*/, hdr($tp, 'allow')), 'DELETE,GET,HEAD,PATCH',
    'TRACE /posts/{id}: Allow names the read side\'s and the write side\'s methods');
my $cn = raw("CONNECT /api/v1/interests HTTP/1.1\r\n$CLOSE\r\n");
is_json_error($cn, 405, 'METHOD_NOT_ALLOWED', 'CONNECT is a JSON 405');
is(hdr($cn, 'allow'), 'GET, HEAD', 'CONNECT: Allow names the path\'s methods');

# The same path split across board (writes) and board-query (reads): OPTIONS goes to the
# write side, which names the read side's GET too.
my $op = raw("OPTIONS /api/v1/posts/1 HTTP/1.1\r\n$CLOSE\r\n");
is(join(',', sort split /,\s*/, hdr($op, 'allow')), 'DELETE,GET,HEAD,PATCH',
    'OPTIONS /posts/{id}: Allow has GET, HEAD, PATCH and DELETE');
my $ol = api(OPTIONS => '/api/v1/communities/1/posts');
is(join(',', sort split /,\s*/, $ol->{headers}{allow} // ''), 'GET,HEAD,POST',
    'OPTIONS /communities/{id}/posts: Allow has GET, HEAD and POST');
my $gp = api(PUT => '/api/v1/posts/1', {});
is(join(',', sort split /,\s*/, $gp->{headers}{allow} // ''), 'DELETE,GET,HEAD,PATCH',
    'PUT /posts/{id} (the write side\'s 405) names GET too');

# --- prefixes without their slash: never a 301 ------------------------------------------------

# Every prefix location ending in "/" of the gateway template: nginx would answer its
# slash-less twin with a 301 (for POST too) unless the template says otherwise.
my $tpl = "$ENV{SOMOIM_TOP}/nginx/somoim.conf.in";
open my $fh, '<', $tpl or die "$tpl: $!";
my (%prefix, %exact);
while (<$fh>) {
    $prefix{$1} = 1 if m{^\s*location\s+(/api/\S+)/\s*\{};
    $exact{$1} = 1 if m{^\s*location\s+=\s+(/api/\S+)\s*\{(?!\s*return 404;)};
}
close $fh;
ok(scalar(keys %prefix) >= 5, 'the template has prefix locations to check: '
    . join(' ', sort keys %prefix));
for my $p (grep { !$exact{$_} } sort keys %prefix) {    # (an endpoint of its own: fine)
    for my $m (qw(GET POST)) {
        my $r = raw("$m $p HTTP/1.1\r\n${CLOSE}Content-Type: application/json\r\n"
            . "Content-Length: 2\r\n\r\n{}");
        is_json_error($r, 404, 'NOT_FOUND', "$m $p (no trailing slash) is a JSON 404");
        ok(!exists $r->{headers}{location}, "$m $p has no Location");
    }
}

# --- the API's headers --------------------------------------------------------------------------

my $u = signup();
my %api_headers = (
    'x-content-type-options'  => qr/^nosniff$/,
    'x-frame-options'         => qr/^DENY$/,
    'referrer-policy'         => qr/^no-referrer$/,
    'content-security-policy' => qr/default-src 'none'.*frame-ancestors 'none'/,
    'x-request-id'            => qr/^[0-9a-f]{32}$/,
);
my %answers = (
    'a program\'s 200'          => api(GET => '/api/v1/users/me', undef, token => $u->{access_token}),
    'a program\'s 401'          => api(GET => '/api/v1/users/me'),
    'a program\'s 405'          => api(DELETE => '/api/v1/interests'),
    'nginx\'s 404'              => api(GET => '/api/v1/no-such-thing'),
    'nginx\'s 413'              => api(POST => '/api/v1/auth/signup', undef, raw => 'x' x (2 << 20)),
    'the signup (a nested location)' => $u->{res},
);
for my $what (sort keys %answers) {
    my $r = $answers{$what};
    for my $h (sort keys %api_headers) {
        like($r->{headers}{$h} // '', $api_headers{$h}, "$what carries $h");
    }
}
is($u->{res}{headers}{'cache-control'}, 'no-store', 'a token answer (signup) is Cache-Control: no-store');
my $li = login($u->{email}, $u->{password});
is($li->{headers}{'cache-control'}, 'no-store', 'a token answer (login) is no-store');
my $rf = api(POST => '/api/v1/auth/refresh', { refresh_token => $li->{json}{refresh_token} });
is($rf->{status}, 200, 'refresh answers 200');
is($rf->{headers}{'cache-control'}, 'no-store', 'a token answer (refresh) is no-store');

# The web app at / sets its own policy: the API's CSP is not server-wide.
my $web = api(GET => '/');
unlike($web->{headers}{'content-security-policy'} // '', qr/default-src 'none'/,
    'the web root does not get the API\'s default-src \'none\'');

# --- no benchmark baselines in the gateway ------------------------------------------------------

for my $b (qw(/_bench/nginx /_bench/hello)) {
    my $r = api(GET => $b);
    is($r->{status}, 404, "GET $b is 404 (bench/run renders its own gateway with --bench)");
}

done_testing();
