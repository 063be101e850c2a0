# Somoim::OAuth — helpers for the auth server's tests (t/50x): a browser with a cookie jar,
# the PKCE pair, the sign-in through the auth server's own login page, and the main
# service's callback.
#
# The one design decision: the browser is deliberately plain (HTTP::Tiny, cookies kept by
# name and path, forms read from the HTML the server sent), so the tests drive exactly what
# a browser without JavaScript would: GET the page, post its form with its hidden fields,
# follow redirects inside the auth server, and stop at the redirect to the client.

package Somoim::OAuth;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
use Digest::SHA qw(sha256);
require Exporter;
our @ISA = ('Exporter');
use HTTP::Tiny;
use Somoim::Test qw(api base_url b64url new_email dump_res);

our @EXPORT = qw(
    pkce redirect_uri authorize_url auth_signup browser_sign_in code_of query_of
    oauth_callback token_request sign_in_code new_browser oauth_python
);

# pkce() → ($verifier, $challenge): 64 base64url characters and their S256 challenge.
sub pkce {
    my $v = b64url(join '', map { chr int rand 256 } 1 .. 48);
    return ($v, b64url(sha256($v)));
}

sub redirect_uri { return base_url() . '/auth/callback' }

# authorize_url(%params) → /oauth/authorize?... with the usual valid parameters; a key
# given as undef is left out.
sub authorize_url {
    my (%over) = @_;
    my %p = (response_type => 'code', client_id => 'somoim-web',
        redirect_uri => redirect_uri(), state => 'st-' . int(rand 1e9),
        code_challenge_method => 'S256');
    for my $k (keys %over) {
        if (defined $over{$k}) { $p{$k} = $over{$k} } else { delete $p{$k} }
    }
    return '/oauth/authorize?' . HTTP::Tiny->new->www_form_urlencode(\%p);
}

# auth_signup(%over) → { email, password, name, sub } of a new account at the auth server.
sub auth_signup {
    my (%over) = @_;
    my %b = (email => new_email('oauth'), password => 'pw-' . int(rand 1e9) . '-x',
        name => '오어스 테스터', %over);
    my $r = api(POST => '/oauth/signup', \%b);
    croak "auth signup failed:\n" . dump_res($r) unless $r->{status} == 201;
    return { %b, sub => $r->{json}{sub} };
}

# ---- the browser ------------------------------------------------------------------------

package Somoim::OAuth::Browser {
    sub new {
        my ($class) = @_;
        return bless { jar => {}, ua => HTTP::Tiny->new(max_redirect => 0, timeout => 30,
            agent => 'somoim-tests-browser/1') }, $class;
    }

    # Cookies: name => { value, path }; Max-Age=0 deletes.
    sub _store {
        my ($self, $res) = @_;
        my $sc = $res->{headers}{'set-cookie'} or return;
        for my $c (ref $sc ? @$sc : ($sc)) {
            my ($pair, @attrs) = split /;\s*/, $c;
            my ($name, $value) = split /=/, $pair, 2;
            my %a = map { my ($k, $v) = split /=/, $_, 2; (lc $k => $v // 1) } @attrs;
            if (defined $a{'max-age'} && $a{'max-age'} <= 0) {
                delete $self->{jar}{$name};
            } else {
                $self->{jar}{$name} = { value => $value, path => $a{path} // '/', raw => $c };
            }
        }
    }

    sub cookie { my ($self, $name) = @_; return $self->{jar}{$name} }
    sub set_cookie { my ($self, $name, $value) = @_; $self->{jar}{$name} = { value => $value, path => '/' } }
    sub drop_cookie { my ($self, $name) = @_; delete $self->{jar}{$name} }

    sub _cookie_header {
        my ($self, $path) = @_;
        my @c = map { "$_=$self->{jar}{$_}{value}" }
            grep { index($path, $self->{jar}{$_}{path}) == 0 } sort keys %{ $self->{jar} };
        return @c ? (cookie => join '; ', @c) : ();
    }

    # request(METHOD, path or URL, %opt: form => {..}, json => {..}, headers => {..})
    sub request {
        my ($self, $method, $url, %opt) = @_;
        $url = Somoim::Test::base_url() . $url unless $url =~ m{^https?://};
        my ($path) = $url =~ m{^https?://[^/]+(/[^?#]*)};
        my %h = ($self->_cookie_header($path // '/'), %{ $opt{headers} || {} });
        my %req = (headers => \%h);
        if ($opt{form}) {
            $h{'content-type'} = 'application/x-www-form-urlencoded';
            $req{content} = $self->{ua}->www_form_urlencode($opt{form});
        } elsif ($opt{json}) {
            $h{'content-type'} = 'application/json';
            $req{content} = $Somoim::Test::JSON->encode($opt{json});
        }
        my $r = $self->{ua}->request($method, $url, \%req);
        $self->_store($r);
        my $res = { status => $r->{status}, headers => $r->{headers} || {},
            content => $r->{content} // '', request => "$method $url" };
        $res->{json} = eval { $Somoim::Test::JSON->decode($res->{content}) }
            if ($res->{headers}{'content-type'} // '') =~ /json/;
        return $res;
    }

    # get(url): follows redirects that stay in the auth server (/oauth/); stops at any
    # other (the redirect to the client) and returns that 302.
    sub get {
        my ($self, $url) = @_;
        my $res;
        for (1 .. 5) {
            $res = $self->request(GET => $url);
            return $res unless $res->{status} =~ /^30[1237]$/;
            my $loc = $res->{headers}{location} // return $res;
            my $base = Somoim::Test::base_url();
            return $res unless $loc =~ m{^(?:\Q$base\E)?/oauth/};
            $url = $loc;
        }
        return $res;
    }
}

sub new_browser { return Somoim::OAuth::Browser->new }

# form_fields($html) → { name => value } of the page's <input>s (hidden and others).
sub form_fields {
    my ($html) = @_;
    my %f;
    while ($html =~ /<input\b([^>]*)>/g) {
        my $attrs = $1;
        my ($name) = $attrs =~ /\bname="([^"]*)"/ or next;
        my ($value) = $attrs =~ /\bvalue="([^"]*)"/;
        $value //= '';
        $value =~ s/&quot;/"/g; $value =~ s/&#39;/'/g; $value =~ s/&lt;/</g;
        $value =~ s/&gt;/>/g; $value =~ s/&amp;/&/g;
        $f{$name} = $value;
    }
    return \%f;
}

# browser_sign_in($browser, $account, %authorize_params) → the last response: the login
# page is fetched, its form posted with the account's email and password, and redirects
# followed until one leaves the auth server.  Also returns the page it posted.
sub browser_sign_in {
    my ($br, $acct, %params) = @_;
    my $page = $br->get(authorize_url(%params));
    return ($page, $page) unless $page->{status} == 200;
    my $fields = form_fields($page->{content});
    $fields->{email} = $acct->{email};
    $fields->{password} = $acct->{password};
    my ($action) = $page->{content} =~ /<form[^>]*action="([^"]*)"/;
    my $res = $br->request(POST => $action // '/oauth/authorize', form => $fields);
    return ($res, $page);
}

# query_of($location) → { key => value } of a redirect's query.
sub query_of {
    my ($loc) = @_;
    my ($q) = ($loc // '') =~ /\?([^#]*)/ or return {};
    my %q;
    for (split /&/, $q) {
        my ($k, $v) = split /=/, $_, 2;
        $v //= '';
        $v =~ tr/+/ /;
        $v =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
        $q{$k} = $v;
    }
    return \%q;
}

sub code_of { return query_of($_[0]{headers}{location})->{code} }

# sign_in_code($browser, $account, $challenge) → a fresh code for that challenge (dies
# unless the auth server redirected to the client with one).
sub sign_in_code {
    my ($br, $acct, $challenge) = @_;
    my ($res) = $br->cookie('somoim_auth')
        ? ($br->get(authorize_url(code_challenge => $challenge)))
        : browser_sign_in($br, $acct, code_challenge => $challenge);
    my $code = $res->{status} == 302 ? code_of($res) : undef;
    croak "no code from the auth server:\n" . dump_res($res) unless defined $code;
    return $code;
}

# oauth_callback($code, $verifier, %over) → the main service's answer.
sub oauth_callback {
    my ($code, $verifier, %over) = @_;
    my %b = (code => $code, code_verifier => $verifier, redirect_uri => redirect_uri(), %over);
    for (keys %b) { delete $b{$_} unless defined $b{$_} }
    return api(POST => '/api/v1/auth/oauth/callback', \%b);
}

# token_request(\%form, %opt) → the auth server's /oauth/token answer (form-encoded body);
# opt: raw, content_type, no_retry (a 429 comes back instead of being waited out).
sub token_request {
    my ($form, %opt) = @_;
    return api(POST => '/oauth/token', undef,
        raw => $opt{raw} // HTTP::Tiny->new->www_form_urlencode($form),
        content_type => $opt{content_type} // 'application/x-www-form-urlencoded',
        no_retry => $opt{no_retry});
}

# oauth_python(@args) → the decoded JSON that t/helpers/oauth-client.py printed (Authlib in
# the venv dev/install made), or dies with its output.
sub oauth_python {
    my @args = @_;
    my $cache = ($ENV{XDG_CACHE_HOME} // "$ENV{HOME}/.cache") . '/somoim/oauth-client';
    my $py = "$cache/bin/python";
    croak "no $py: run dev/install (it makes the OAuth client's venv)" unless -x $py;
    my $script = "$ENV{SOMOIM_TOP}/t/helpers/oauth-client.py";
    open my $fh, '-|', $py, $script, @args or croak "cannot run $py: $!";
    local $/;
    my $out = <$fh>;
    close $fh;
    croak "oauth-client.py @args failed ($?):\n$out" if $?;
    my $j = eval { $Somoim::Test::JSON->decode($out) } or croak "not JSON: $out";
    return $j;
}

1;
