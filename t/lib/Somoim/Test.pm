# Somoim::Test — the helper every t/*.t uses to talk to a running somoim stack.
#
# The one design decision: the tests never start anything themselves. `dev/test` starts the
# stack and exports SOMOIM_URL, SOMOIM_RUN, SOMOIM_CONF and SOMOIM_TOP; a test run without
# them is a failure (BAIL_OUT), never a skip. Tests that stop a component restore it through
# `dev/stack` (see stack) so the files after them keep working.
#
# Only core Perl: Test::More, HTTP::Tiny, JSON::PP, Digest::SHA, MIME::Base64, POSIX,
# Time::HiRes.

package Somoim::Test;

use strict;
use warnings;
use utf8;
use feature 'state';

use Carp qw(croak);
use Digest::SHA qw(hmac_sha256 hmac_sha384 hmac_sha512);
require Exporter;
our @ISA = ('Exporter');
use HTTP::Tiny;
use JSON::PP ();
use MIME::Base64 qw(encode_base64 decode_base64);
use POSIX ();
use Test::More ();
use Time::HiRes ();

our @EXPORT = qw(
    api signup login new_email conf
    make_jwt jwt_parts jwt_key b64url b64url_decode
    error_is res_is json_type query
    stack parallel wait_until
    base_url interest_codes is_rfc3339_utc dump_res db_sql
);

our $JSON = JSON::PP->new->utf8->canonical->allow_nonref;

# Every interest code the user service seeds (sql/user), in the order of the contract.
my @INTEREST_CODES = qw(
    travel hiking camping sports running cycling soccer baseball books language career
    culture music crafts dance volunteer social cars photo games cooking pets family
    investment study wine movies fashion gardening free
);
sub interest_codes { return @INTEREST_CODES }

# -------------------------------------------------------------------------------------------
# The environment dev/test exports. Missing SOMOIM_URL is a hard stop for the whole run.

my $BASE;
my $UA_PID_MAIN = $$;                               # the test process (not a forked child)

sub import {
    my $class = shift;
    # $^C: `perl -c` only compiles; the check belongs to a real run.
    if (!$^C && !(defined $ENV{SOMOIM_URL} && length $ENV{SOMOIM_URL})) {
        Test::More::BAIL_OUT('SOMOIM_URL is not set: start the stack with dev/test '
            . '(it exports SOMOIM_URL, SOMOIM_RUN, SOMOIM_CONF, SOMOIM_TOP and runs prove)');
    }
    state $layered;                                  # Korean test names and diagnostics
    if (!$layered++) {
        my $tb = Test::More->builder;
        binmode $tb->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);
    }
    ($BASE = $ENV{SOMOIM_URL} // 'http://127.0.0.1:18000') =~ s{/+\z}{};
    __PACKAGE__->export_to_level(1, $class, @_);
}

sub base_url { return $BASE }

# -------------------------------------------------------------------------------------------
# HTTP. One HTTP::Tiny per process (a forked child gets its own, never its parent's socket).

my ($UA, $UA_PID);

# HTTP::Tiny adds "Content-Type: application/octet-stream" to any body that has none; the
# tests need to send a body without the header, so this subclass can take it out again.
package Somoim::Test::UA {
    our @ISA = ('HTTP::Tiny');
    sub _prepare_headers_and_cb {
        my ($self, $request, $args, @rest) = @_;
        my @r = $self->SUPER::_prepare_headers_and_cb($request, $args, @rest);
        delete $request->{headers}{'content-type'} if $args->{no_content_type};
        return @r;
    }
}

sub _ua {
    if (!$UA || $UA_PID != $$) {
        $UA = Somoim::Test::UA->new(
            agent        => 'somoim-tests/1',
            timeout      => 30,
            max_redirect => 0,
            keep_alive   => 1,
        );
        $UA_PID = $$;
    }
    return $UA;
}

# query(email => 'a+b@example.com') → "email=a%2Bb%40example.com"
sub query {
    my %kv = @_;
    return _ua()->www_form_urlencode(\%kv);
}

# api($method, $path, $body, %opt) → { status, json, headers, content, reason }
#   $body:   a reference (hash/array) or scalar → sent as JSON; undef → no body.
#   opt:     token => access token (Authorization: Bearer ...)
#            headers => { name => value } (extra request headers; win over the defaults)
#            raw => bytes sent as the body verbatim (instead of $body)
#            content_type => value, or undef to send no Content-Type at all
#                            (default application/json whenever there is a body)
#            no_retry => 1: hand back a 429 instead of waiting it out and retrying
# `json` is the decoded body when it is JSON, else undef. Headers are lower-case keys.
sub api {
    my ($method, $path, $body, %opt) = @_;
    my %h;
    my $content;
    if (exists $opt{raw}) {
        $content = $opt{raw};
    } elsif (defined $body) {
        $content = $JSON->encode($body);
    }
    my $no_ct;
    if (defined $content) {
        my $ct = exists $opt{content_type} ? $opt{content_type} : 'application/json';
        if (defined $ct) { $h{'content-type'} = $ct } else { $no_ct = 1 }
    }
    $h{authorization} = "Bearer $opt{token}" if defined $opt{token};
    if ($opt{headers}) {
        $h{lc $_} = $opt{headers}{$_} for keys %{ $opt{headers} };
    }
    my %req = (headers => \%h);
    $req{content} = $content if defined $content;
    $req{no_content_type} = 1 if $no_ct;

    my $url = $path =~ m{^https?://} ? $path : $BASE . $path;
    my $r = _ua()->request($method, $url, \%req);

    # The gateway rate-limits POSTs to login and signup per address (test stack: 100 r/s,
    # burst 50). Bursts of quick 400s in the validation tests can touch that limit on a
    # fast machine; they are not about rate limits, so a 429 is waited out and retried.
    # t/090-rate-limit.t, which is about the limit, passes no_retry => 1.
    my $tries = 0;
    while ($r->{status} == 429 && !$opt{no_retry} && $tries++ < 40) {
        Test::More::note("429 from $method $path: waiting for the rate limit, then retrying")
            if $$ == $UA_PID_MAIN && $tries == 1;
        Time::HiRes::sleep(0.25);
        $r = _ua()->request($method, $url, \%req);
    }

    my $res = {
        status  => $r->{status},
        reason  => $r->{reason},
        headers => $r->{headers} || {},
        content => defined $r->{content} ? $r->{content} : '',
        json    => undef,
        request => "$method $path",
    };
    if ($r->{status} == 599) {
        # HTTP::Tiny's own failure (connection refused, timeout, ...): say so loudly.
        $res->{error} = $res->{content};
    }
    if (length $res->{content}) {
        my $v = eval { $JSON->decode($res->{content}) };
        $res->{json} = $v unless $@;
    }
    return $res;
}

# A short, readable dump of a response for diag().
sub dump_res {
    my ($res) = @_;
    return 'no response' unless $res;
    my $c = $res->{content} // '';
    utf8::decode($c);                               # show text as text when it is UTF-8
    $c = substr($c, 0, 600) . '...' if length $c > 600;
    my $ct = $res->{headers}{'content-type'} // '(none)';
    my $rid = $res->{headers}{'x-request-id'} // '(none)';
    return sprintf "%s -> %s %s\n  content-type: %s\n  x-request-id: %s\n  body: %s",
        $res->{request} // '?', $res->{status}, $res->{reason} // '', $ct, $rid, $c;
}

# json_type($res, @path) → 'object' 'array' 'string' 'number' 'bool' 'null' or 'missing'.
# Decodes the raw body afresh, so the answer is not spoiled by earlier use of the value.
sub json_type {
    my ($res, @path) = @_;
    my $v = eval { $JSON->decode($res->{content}) };
    return 'missing' if $@;
    for my $k (@path) {
        if (ref $v eq 'HASH') {
            return 'missing' unless exists $v->{$k};
            $v = $v->{$k};
        } elsif (ref $v eq 'ARRAY') {
            return 'missing' unless $k =~ /^\d+\z/ && $k < @$v;
            $v = $v->[$k];
        } else {
            return 'missing';
        }
    }
    return 'null'   unless defined $v;
    return 'bool'   if JSON::PP::is_bool($v);
    return 'object' if ref $v eq 'HASH';
    return 'array'  if ref $v eq 'ARRAY';
    require B;
    my $f = B::svref_2object(\$v)->FLAGS;
    return 'string' if $f & B::SVf_POK();
    return 'number' if $f & (B::SVf_IOK() | B::SVf_NOK());
    return 'string';
}

sub _is_json_ct {
    my ($res) = @_;
    my $ct = $res->{headers}{'content-type'} // '';
    return $ct =~ m{^application/json\s*(?:;|\z)}i;
}

# error_is($res, $status, $code, $name): one assertion that the response is the contract's
# error: that status, Content-Type application/json, body {"error":{"code":$code,
# "message":"non-empty"}} and, when present, `fields` an object of strings.
# $code may be an array ref of acceptable codes.
sub error_is {
    my ($res, $status, $code, $name) = @_;
    my @why;
    push @why, "status is $res->{status}, want $status" if $res->{status} != $status;
    push @why, 'Content-Type is not application/json' unless _is_json_ct($res);
    my $e = ref $res->{json} eq 'HASH' ? $res->{json}{error} : undef;
    if (ref $e ne 'HASH') {
        push @why, 'body is not {"error":{...}}';
    } else {
        my @ok = ref $code ? @$code : ($code);
        my $got = $e->{code} // '(none)';
        push @why, "error.code is $got, want " . join(' or ', @ok)
            unless grep { $_ eq $got } @ok;
        push @why, 'error.message is not a non-empty string'
            unless defined $e->{message} && !ref $e->{message} && length $e->{message};
        if (exists $e->{fields}) {
            if (ref $e->{fields} ne 'HASH') {
                push @why, 'error.fields is not an object';
            } elsif (grep { !defined || ref } values %{ $e->{fields} }) {
                push @why, 'error.fields has a value that is not a string';
            }
        }
    }
    my $tb = Test::More->builder;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $ok = $tb->ok(!@why, $name);
    $tb->diag(join("\n", @why) . "\n" . dump_res($res)) unless $ok;
    return $ok;
}

# res_is($res, $status, $name): the status matches and, unless 204, the body is JSON with
# Content-Type application/json. One assertion; the response is dumped when it fails.
sub res_is {
    my ($res, $status, $name) = @_;
    my @why;
    push @why, "status is $res->{status}, want $status" if $res->{status} != $status;
    if ($status != 204 && !@why) {
        push @why, 'Content-Type is not application/json' unless _is_json_ct($res);
        push @why, 'body is not JSON' unless defined $res->{json};
    }
    my $tb = Test::More->builder;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $ok = $tb->ok(!@why, $name);
    $tb->diag(join("\n", @why) . "\n" . dump_res($res)) unless $ok;
    return $ok;
}

# The API's one time form (lib/sm_time.h): RFC 3339 UTC to the second, `Z`, no fraction.
sub is_rfc3339_utc {
    my ($s) = @_;
    return defined $s && !ref $s
        && $s =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\z/;
}

# -------------------------------------------------------------------------------------------
# Users.

my $EMAIL_SEQ = 0;

# A lower-case address nobody used before: pid, time and a counter.
sub new_email {
    my ($tag) = @_;
    $tag = defined $tag ? "$tag-" : '';
    $EMAIL_SEQ++;
    return sprintf 't-%s%d-%d-%d@example.com', $tag, $$, time, $EMAIL_SEQ;
}

# signup(%over) → { user, access_token, refresh_token, email, password, res }
# Fields in %over replace the defaults; a field given as undef is left out. Dies (failing
# the test with the response shown) unless the answer is 201.
sub signup {
    my (%over) = @_;
    my %body = (
        email     => new_email(),
        password  => 'pw-' . $$ . '-' . int(rand 1e9),
        name      => "Tester $$",
        interests => [qw(hiking books)],
    );
    for my $k (keys %over) {
        if (defined $over{$k}) { $body{$k} = $over{$k} } else { delete $body{$k} }
    }
    my $res = api(POST => '/api/v1/auth/signup', \%body);
    if ($res->{status} != 201 || ref $res->{json} ne 'HASH' || !$res->{json}{access_token}) {
        croak "signup failed (want 201):\n" . dump_res($res);
    }
    return {
        user          => $res->{json}{user},
        access_token  => $res->{json}{access_token},
        refresh_token => $res->{json}{refresh_token},
        email         => $body{email},
        password      => $body{password},
        res           => $res,
    };
}

# login($email, $password) → the response (not checked).
sub login {
    my ($email, $password) = @_;
    return api(POST => '/api/v1/auth/login', { email => $email, password => $password });
}

# -------------------------------------------------------------------------------------------
# Configuration: the INI file in SOMOIM_CONF, with SOMOIM_<SECTION>_<KEY> overrides.

my $CONF;

sub _load_conf {
    return $CONF if $CONF;
    $CONF = {};
    my $file = $ENV{SOMOIM_CONF};
    croak 'SOMOIM_CONF is not set: start the stack with dev/test' unless defined $file;
    open my $fh, '<', $file or croak "cannot open SOMOIM_CONF $file: $!";
    my $section = '';
    while (my $line = <$fh>) {
        $line =~ s/\r?\n\z//;
        next if $line =~ /^\s*(?:[;#]|\z)/;
        if ($line =~ /^\s*\[\s*([^\]]+?)\s*\]/) {
            $section = lc $1;
            next;
        }
        if ($line =~ /^\s*([^=]+?)\s*=\s*(.*?)\s*\z/) {
            my ($k, $v) = (lc $1, $2);
            $v =~ s/\s+[;#].*\z//;                  # "900   ; seconds"
            $v = $1 if $v =~ /^"(.*)"\z/ || $v =~ /^'(.*)'\z/;
            $CONF->{$section}{$k} = $v;
        }
    }
    close $fh;
    return $CONF;
}

# db_sql($schema, $sql, $raw) → the rows of $sql in somoim_$schema, run as the database
# administrator over the run directory's socket: array refs of column strings (NULL comes
# back as "NULL"). $raw: no escaping of tabs, newlines and backslashes (for one column of
# JSON). Dies on failure.
sub db_sql {
    my ($schema, $sql, $raw) = @_;
    my $run = $ENV{SOMOIM_RUN} or croak 'SOMOIM_RUN is not set';
    open my $fh, '-|', 'mariadb', '--no-defaults', "--socket=$run/mariadb.sock", '-u', 'root',
        '--batch', '--skip-column-names', '--default-character-set=utf8mb4',
        ($raw ? '--raw' : ()), "somoim_$schema", '-e', $sql
        or croak "mariadb: $!";
    binmode $fh, ':encoding(UTF-8)';
    my @rows = map { chomp; [split /\t/, $_, -1] } <$fh>;
    close $fh or croak "mariadb failed ($?) on: $sql";
    return @rows;
}

# conf($section, $key) → the value, or undef.
sub conf {
    my ($section, $key) = @_;
    (my $env = uc "SOMOIM_${section}_${key}") =~ s/[.\-]/_/g;
    return $ENV{$env} if defined $ENV{$env};
    return _load_conf()->{lc $section}{lc $key};
}

# -------------------------------------------------------------------------------------------
# JWT crafting.

sub b64url {
    (my $s = encode_base64($_[0], '')) =~ tr{+/}{-_};
    $s =~ s/=+\z//;
    return $s;
}

sub b64url_decode {
    (my $s = $_[0]) =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    return decode_base64($s);
}

# The HMAC key: the bytes of [jwt] secret exactly as written in the file (not hex-decoded).
sub jwt_key {
    my $k = conf('jwt', 'secret');
    croak 'no [jwt] secret in SOMOIM_CONF' unless defined $k && length $k;
    return $k;
}

# jwt_parts($token) → ($header, $claims, $signature_bytes); undef parts when undecodable.
sub jwt_parts {
    my ($token) = @_;
    my @p = split /\./, $token, -1;
    return unless @p == 3;
    my $h = eval { $JSON->decode(b64url_decode($p[0])) };
    my $c = eval { $JSON->decode(b64url_decode($p[1])) };
    return ($h, $c, b64url_decode($p[2]));
}

my %HMAC = (HS256 => \&hmac_sha256, HS384 => \&hmac_sha384, HS512 => \&hmac_sha512);
my $JTI_SEQ = 0;

# make_jwt(\%claims, %opt) → token string.
# Claims are laid over valid defaults (iat now, exp now+access_ttl, iss, aud, jti); a claim
# given as undef is removed. Give `sub` as a string.
#   opt: alg => header alg (default HS256); also the signing algorithm when it is HS*
#        header => { ... } the whole header instead of {alg, typ}
#        sign_with => 'HS256'|'HS384'|'HS512' sign with this whatever the header says
#        no_signature => 1: "header.payload." (what alg none looks like)
#        key => HMAC key instead of jwt_key()
sub make_jwt {
    my ($claims, %opt) = @_;
    my $now = time;
    my %c = (
        iat => 0 + $now,
        exp => 0 + $now + (conf('jwt', 'access_ttl') // 900),
        iss => conf('jwt', 'issuer') // 'somoim',
        aud => conf('jwt', 'audience') // 'somoim-api',
        jti => sprintf('test-%d-%d-%d', $$, $now, ++$JTI_SEQ),
    );
    for my $k (keys %{ $claims || {} }) {
        if (defined $claims->{$k}) { $c{$k} = $claims->{$k} } else { delete $c{$k} }
    }
    my $alg = exists $opt{alg} ? $opt{alg} : 'HS256';
    my $header = $opt{header} || { alg => $alg, typ => 'JWT' };
    my $input = b64url($JSON->encode($header)) . '.' . b64url($JSON->encode(\%c));
    my $sign = $opt{sign_with} // (defined $alg && $HMAC{$alg} ? $alg : undef);
    my $sig = '';
    if (!$opt{no_signature} && $sign) {
        my $f = $HMAC{$sign} or croak "make_jwt: cannot sign with $sign";
        $sig = b64url($f->($input, $opt{key} // jwt_key()));
    }
    return "$input.$sig";
}

# -------------------------------------------------------------------------------------------
# The stack.

# stack(@args) runs "$SOMOIM_TOP/dev/stack @args" with SOMOIM_RUN and SOMOIM_PORT set; true
# when it exits 0. Its output goes to the test's stderr.
#
# It also remembers what the test took down: `stop X` (and a `restart X` until it succeeds)
# marks X down, a successful `start X` or `restart X` marks it up again. Whatever is still
# down when the test ends (normally, by die, or by SIGINT/SIGTERM) is started again in END,
# so a failing test never leaves the stack broken for the files after it.
my %DOWN;                                           # component => 1

sub stack {
    my @args = @_;
    my $top = $ENV{SOMOIM_TOP} or croak 'SOMOIM_TOP is not set: start the stack with dev/test';
    croak 'SOMOIM_RUN is not set: start the stack with dev/test' unless $ENV{SOMOIM_RUN};
    my ($port) = $BASE =~ m{^https?://[^/:]+:(\d+)};
    local $ENV{SOMOIM_PORT} = $port // 80;

    my ($cmd, @components) = @args;
    if ($cmd eq 'stop' || $cmd eq 'restart') {
        $DOWN{$_} = 1 for @components;
        $SIG{INT} = $SIG{TERM} = sub { exit 1 };    # so END still brings them back
    }
    my $rc = system("$top/dev/stack", @args);
    if ($rc != 0) {
        Test::More::diag("dev/stack @args failed: "
            . ($rc == -1 ? "cannot run $top/dev/stack: $!" : 'exit ' . ($rc >> 8)));
    } elsif ($cmd eq 'start' || $cmd eq 'restart') {
        delete $DOWN{$_} for @components;
    }
    return $rc == 0;
}

END {
    if (%DOWN && $UA_PID_MAIN == $$) {
        local ($?, $!, $@);
        for my $c (sort keys %DOWN) {
            Test::More::diag("restoring $c: dev/stack start $c");
            stack('start', $c);
        }
    }
}

# parallel($n, sub { my ($i) = @_; ...; return $data }) → list of $n results (index order).
# Forks $n children which wait on a common start line, then each runs the closure and sends
# its JSON-encodable result back through a pipe. Children must not call Test::More; they
# leave with POSIX::_exit so no END block (or stack guard) runs in them. Dies when a child
# dies.
sub parallel {
    my ($n, $code) = @_;
    pipe(my $go_r, my $go_w) or croak "pipe: $!";
    my @kids;
    for my $i (0 .. $n - 1) {
        pipe(my $r, my $w) or croak "pipe: $!";
        my $pid = fork;
        croak "fork: $!" unless defined $pid;
        if ($pid == 0) {
            close $r;
            close $go_w;
            my $buf;
            sysread($go_r, $buf, 1);               # EOF: the parent said go
            my $out = eval { { ok => 1, result => $code->($i) } }
                || { ok => 0, error => "$@" };
            my $bytes = eval { $JSON->encode($out) }
                || $JSON->encode({ ok => 0, error => "result not JSON-encodable: $@" });
            binmode $w;
            print {$w} $bytes;
            close $w;
            POSIX::_exit(0);
        }
        close $w;
        push @kids, { pid => $pid, fh => $r };
    }
    close $go_r;
    close $go_w;                                     # go
    my @results;
    my @errors;
    for my $i (0 .. $#kids) {
        my $fh = $kids[$i]{fh};
        binmode $fh;
        local $/;
        my $bytes = <$fh>;
        close $fh;
        waitpid $kids[$i]{pid}, 0;
        my $out = eval { $JSON->decode($bytes // '') };
        if (!$out) {
            push @errors, "child $i sent no result (exit status $?)";
        } elsif (!$out->{ok}) {
            push @errors, "child $i died: $out->{error}";
        }
        push @results, $out ? $out->{result} : undef;
    }
    croak join "\n", 'parallel:', @errors if @errors;
    return @results;
}

# wait_until($seconds, sub { ... true when done }) → true if it became true in time.
sub wait_until {
    my ($secs, $code) = @_;
    my $end = Time::HiRes::time() + $secs;
    while (1) {
        return 1 if $code->();
        return 0 if Time::HiRes::time() > $end;
        Time::HiRes::sleep(0.2);
    }
}

1;
