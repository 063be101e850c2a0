#!/usr/bin/perl
# bench/oauth.pl -- the timing loop of bench/oauth (run by it against its stack).
#
#   perl bench/oauth.pl BASE_URL SECONDS CLIENTS
#
# Three loops, one after the other, each with CLIENTS processes for SECONDS:
#   login   -- POST /api/v1/auth/login (Argon2id verify + a new refresh token)
#   signin  -- the full OAuth sign-in: GET /oauth/authorize (login page), POST its form
#              (Argon2id verify at the auth server, session, code), POST
#              /api/v1/auth/oauth/callback (token + userinfo over libcurl, our token pair)
#   session -- the same with the auth server's session already there: authorize answers
#              302 at once, so no password is checked anywhere (what the exchange costs)
# and prints sign-ins per second, the mean time of each step, and the ratios to login.
use strict;
use warnings;
use Digest::SHA qw(sha256);
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time);

my ($BASE, $SECS, $CLIENTS) = @ARGV;
$SECS ||= 8;
$CLIENTS ||= 4;
my $J = JSON::PP->new->utf8;
my $RU = "$BASE/auth/callback";

sub b64url { (my $s = encode_base64($_[0], '')) =~ tr{+/}{-_}; $s =~ s/=+$//; $s }
sub ua { HTTP::Tiny->new(keep_alive => 1, max_redirect => 0, timeout => 30) }
sub post_json {
    my ($ua, $path, $body) = @_;
    return $ua->request(POST => "$BASE$path", { headers => { 'content-type' => 'application/json' },
        content => $J->encode($body) });
}

# One person with an account at both ends (linked), and its password.
my $ua = ua();
my $pw = 'bench-password-1';
my $email = "bench-oauth-$$-" . time . '@example.com';
post_json($ua, '/oauth/signup', { email => $email, password => $pw, name => '벤치' })->{status} == 201
    or die "auth signup failed\n";

sub authorize_url {
    my ($challenge) = @_;
    return "$BASE/oauth/authorize?" . $ua->www_form_urlencode({ response_type => 'code',
        client_id => 'somoim-web', redirect_uri => $RU, state => 'b' . int(rand 1e9),
        code_challenge => $challenge, code_challenge_method => 'S256' });
}

# signin($ua, \%jar, $with_password) -> (ok, [step seconds])
sub signin {
    my ($u, $jar, $with_password) = @_;
    my $v = b64url(join '', map { chr int rand 256 } 1 .. 32);
    my $c = b64url(sha256($v));
    my @t = (time);
    my $cookie = join '; ', map { "$_=$jar->{$_}" } sort keys %$jar;
    my $r = $u->request(GET => authorize_url($c), { headers => { cookie => $cookie } });
    push @t, time;
    for my $sc (ref $r->{headers}{'set-cookie'} ? @{ $r->{headers}{'set-cookie'} } : ($r->{headers}{'set-cookie'} // ())) {
        $jar->{$1} = $2 if $sc =~ /^([^=]+)=([^;]*)/;
    }
    if ($with_password) {
        return 0 unless $r->{status} == 200;
        my %f = $r->{content} =~ /<input type="hidden" name="([^"]+)" value="([^"]*)">/g;
        @f{qw(email password)} = ($email, $pw);
        $cookie = join '; ', map { "$_=$jar->{$_}" } sort keys %$jar;
        $r = $u->request(POST => "$BASE/oauth/authorize", { headers => {
            'content-type' => 'application/x-www-form-urlencoded', cookie => $cookie },
            content => $u->www_form_urlencode(\%f) });
        push @t, time;
    }
    return 0 unless $r->{status} == 302 && ($r->{headers}{location} // '') =~ /[?&]code=([^&]+)/;
    my $code = $1;
    my $cb = post_json($u, '/api/v1/auth/oauth/callback',
        { code => $code, code_verifier => $v, redirect_uri => $RU });
    push @t, time;
    return 0 unless $cb->{status} == 200;
    my $j = $J->decode($cb->{content});
    if (!$j->{registered}) {            # the first time only: make the account
        my $d = post_json($u, '/api/v1/auth/oauth/complete', { signup_token => $j->{signup_token},
            password => $pw, interests => ['hiking'] });
        return 0 unless $d->{status} == 201;
    }
    return (1, [map { $t[$_] - $t[$_ - 1] } 1 .. $#t]);
}

# The account here (registered through the first sign-in), for the login baseline too.
my ($ok) = signin($ua, {}, 1);
$ok or die "the first sign-in failed\n";

sub run_loop {
    my ($name, $code) = @_;
    my @kids;
    for my $i (1 .. $CLIENTS) {
        pipe(my $r, my $w) or die;
        my $pid = fork // die;
        if (!$pid) {
            close $r;
            my $u = ua();
            my %jar;
            my ($n, $fail, @sum) = (0, 0);
            my $end = time + $SECS;
            while (time < $end) {
                my ($good, $steps) = $code->($u, \%jar);
                if ($good) { $n++; $sum[$_] += $steps->[$_] for 0 .. $#$steps } else { $fail++ }
            }
            print {$w} $J->encode({ n => $n, fail => $fail, sum => \@sum });
            close $w;
            exit 0;
        }
        close $w;
        push @kids, [$pid, $r];
    }
    my ($n, $fail, @sum) = (0, 0);
    for my $k (@kids) {
        my $fh = $k->[1];
        local $/;
        my $o = $J->decode(<$fh>);
        waitpid $k->[0], 0;
        $n += $o->{n};
        $fail += $o->{fail};
        $sum[$_] += $o->{sum}[$_] // 0 for 0 .. $#{ $o->{sum} };
    }
    return { name => $name, rate => $n / $SECS, n => $n, fail => $fail,
        steps => [map { $n ? 1000 * $_ / $n : 0 } @sum] };
}

my $login = run_loop(login => sub {
    my ($u) = @_;
    my $t0 = time;
    my $r = post_json($u, '/api/v1/auth/login', { email => $email, password => $pw });
    return ($r->{status} == 200, [time - $t0]);
});
my $full = run_loop(signin => sub { signin($_[0], {}, 1) });
my $warm = run_loop(session => sub {
    my ($u, $jar) = @_;
    if (!$jar->{somoim_auth}) {
        my $r = post_json($u, '/oauth/login', { email => $email, password => $pw });
        $jar->{$1} = $2 if ($r->{headers}{'set-cookie'} // '') =~ /^([^=]+)=([^;]*)/;
    }
    return signin($u, $jar, 0);
});

printf "%d clients, %d s each, one run\n", $CLIENTS, $SECS;
printf "%-8s %8s %6s  %s\n", 'loop', 'per s', 'fails', 'mean ms per step';
printf "%-8s %8.1f %6d  login %.1f\n", 'login', $login->{rate}, $login->{fail}, $login->{steps}[0];
printf "%-8s %8.1f %6d  page %.1f, form+Argon2id %.1f, callback %.1f\n", 'signin', $full->{rate},
    $full->{fail}, @{ $full->{steps} }[0 .. 2];
printf "%-8s %8.1f %6d  authorize %.1f, callback %.1f\n", 'session', $warm->{rate}, $warm->{fail},
    @{ $warm->{steps} }[0 .. 1];
printf "ratio signin/login %.2f, session/login %.2f\n", $full->{rate} / ($login->{rate} || 1),
    $warm->{rate} / ($login->{rate} || 1);
