#!/usr/bin/perl
# The auth server with two registered clients (from somoim.conf, here through its
# environment overrides): a code is bound to the client it was issued to, and each client
# to its own redirect URIs.  And the session cookie's Secure flag when the gateway says the
# request came over https (asked of an instance directly, as nginx would send HTTPS=on);
# the gateway's rate limit on the token endpoint.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::OAuth;

my @AUTH = qw(auth-1 auth-2);
my $OTHER_RU = base_url() . '/other/callback';
{
    local $ENV{SOMOIM_AUTH_CLIENTS} = 'somoim-web other-app';
    local $ENV{SOMOIM_AUTH_REDIRECT_URIS_OTHER_APP} = $OTHER_RU;
    ok(stack('restart', @AUTH), 'the auth server restarted with a second client');
}

my $acct = auth_signup();
my $br = new_browser();
is($br->request(POST => '/oauth/login', json => { email => $acct->{email},
    password => $acct->{password} })->{status}, 200, 'signed in at the auth server');
my ($v, $c) = pkce();

my $r = $br->get(authorize_url(client_id => 'other-app', redirect_uri => $OTHER_RU,
    code_challenge => $c));
is($r->{status}, 302, 'the second client gets a code');
like($r->{headers}{location} // '', qr/^\Q$OTHER_RU\E\?code=/, 'at its own redirect URI');
my $code = code_of($r);
my $wrong = token_request({ grant_type => 'authorization_code', code => $code,
    redirect_uri => $OTHER_RU, client_id => 'somoim-web', code_verifier => $v });
is($wrong->{status}, 400, "another client's code is refused");
is(($wrong->{json} || {})->{error}, 'invalid_grant', '... with invalid_grant');
like(($wrong->{json} || {})->{error_description} // '', qr/another client/, '... naming why');

my $cross = new_browser()->request(GET => authorize_url(client_id => 'other-app',
    redirect_uri => redirect_uri(), code_challenge => $c));
is($cross->{status}, 400, "one client's redirect URI is not another's (error page)");
ok(!$cross->{headers}{location}, '... and no redirect');

my $code2 = code_of($br->get(authorize_url(client_id => 'other-app', redirect_uri => $OTHER_RU,
    code_challenge => $c)));
my $ok = token_request({ grant_type => 'authorization_code', code => $code2,
    redirect_uri => $OTHER_RU, client_id => 'other-app', code_verifier => $v });
is($ok->{status}, 200, 'the code at its own client gives a token');
my (undef, $claims) = jwt_parts($ok->{json}{access_token} // '');
is($claims->{aud}, 'other-app', 'for that client');

ok(stack('restart', @AUTH), 'the auth server back with the configured clients');
is(new_browser()->request(GET => authorize_url(client_id => 'other-app',
    redirect_uri => $OTHER_RU, code_challenge => $c))->{status}, 400,
    'the second client is gone with its configuration');

# The gateway's rate limit on /oauth/token, made tiny for a moment (nginx restarted with
# 1 request a minute, burst 3), so the test holds however slow the machine: the fifth
# request in a row is over the limit, and gets RFC 6749-style JSON.
my @seen;
{
    local $ENV{SOMOIM_LOGIN_RATE} = '1r/m';
    local $ENV{SOMOIM_LOGIN_BURST} = '3';
    ok(stack('restart', 'nginx'), 'the gateway restarted with a tiny rate limit');
    for (1 .. 6) {
        my $x = token_request({ grant_type => 'authorization_code', client_id => 'somoim-web' },
            no_retry => 1);
        push @seen, $x->{status} == 429 ? (($x->{json} || {})->{error} // 'no-json') : $x->{status};
    }
}
ok(stack('restart', 'nginx'), 'the gateway back with its own limits');
is_deeply([@seen[0 .. 3]], [(400) x 4], 'the limit and its burst pass (quick 400s)')
    or diag(explain \@seen);
is_deeply([@seen[4, 5]], [qw(slow_down slow_down)],
    'then /oauth/token answers 429 {"error":"slow_down"}') or diag(explain \@seen);

# Secure cookies under https: the instance is asked directly, with the HTTPS parameter nginx
# sends when the request came over TLS.
my $body = $Somoim::Test::JSON->encode({ email => $acct->{email}, password => $acct->{password} });
sub direct_login {
    my ($https) = @_;
    local %ENV = (%ENV, REQUEST_METHOD => 'POST', DOCUMENT_URI => '/oauth/login',
        REQUEST_URI => '/oauth/login', SCRIPT_NAME => '/oauth/login', SERVER_PROTOCOL => 'HTTP/1.1',
        CONTENT_TYPE => 'application/json', CONTENT_LENGTH => length $body,
        REMOTE_ADDR => '127.0.0.1', ($https ? (HTTPS => 'on') : ()));
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        open my $in, '|-', 'cgi-fcgi', '-bind', '-connect', "$ENV{SOMOIM_RUN}/sock/auth-1.sock"
            or die "cgi-fcgi: $!";
        print {$in} $body;
        close $in;
        exit 0;
    }
    local $/;
    return scalar <$fh>;
}
my $secure = direct_login(1);
like($secure, qr/^Set-Cookie: somoim_auth=[^\r\n]*; Secure/mi, 'over https the session cookie is Secure');
my $plain = direct_login(0);
like($plain, qr/^Set-Cookie: somoim_auth=/mi, 'over http it is set too');
unlike($plain, qr/^Set-Cookie: somoim_auth=[^\r\n]*Secure/mi, '... without Secure');

done_testing;
