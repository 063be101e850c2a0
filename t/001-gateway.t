#!/usr/bin/perl
# The gateway (nginx) itself: request ids on every response, JSON errors for unknown paths,
# wrong methods and oversized bodies, and the static web root.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $RID = qr/^[0-9a-f]{32}\z/;

sub rid { return $_[0]{headers}{'x-request-id'} // '' }

# --- request ids -----------------------------------------------------------------------------

my $r1 = api(GET => '/api/v1/interests');
res_is($r1, 200, 'GET /api/v1/interests answers 200 JSON through the gateway');
like(rid($r1), $RID, 'a service response carries X-Request-Id (32 hex digits)');

my $r2 = api(GET => '/api/v1/interests');
isnt(rid($r2), rid($r1), 'two requests get two different request ids');

my $static = api(GET => '/');
like(rid($static), $RID, 'the static root carries X-Request-Id');

my $unauth = api(GET => '/api/v1/users/me');
like(rid($unauth), $RID, 'a 401 from a service carries X-Request-Id');

my $nf_static = api(GET => '/no-such-file-' . $$ . '.png');
is($nf_static->{status}, 404, 'a missing static file is 404');
like(rid($nf_static), $RID, 'nginx\'s own 404 carries X-Request-Id');

# --- unknown paths ---------------------------------------------------------------------------

my $nf = api(GET => '/api/v1/no-such-thing');
error_is($nf, 404, 'NOT_FOUND', 'an unknown /api/v1 path is 404 NOT_FOUND in JSON');
like(rid($nf), $RID, 'the JSON 404 carries X-Request-Id');

error_is(api(GET => '/api/no-such-version/interests'), 404, 'NOT_FOUND',
    'an unknown /api path outside v1 is 404 NOT_FOUND in JSON');
error_is(api(POST => '/api/v1/no-such-thing', {}), 404, 'NOT_FOUND',
    'POST to an unknown /api path is 404 NOT_FOUND in JSON');
error_is(api(GET => '/api/v1/auth/no-such-action'), 404, 'NOT_FOUND',
    'an unknown action under a known prefix is 404 NOT_FOUND in JSON');

# --- wrong methods ---------------------------------------------------------------------------

my $allow = sub { my $a = $_[0]{headers}{allow}; ref $a ? join(',', @$a) : ($a // '') };

my $m1 = api(DELETE => '/api/v1/interests');
error_is($m1, 405, 'METHOD_NOT_ALLOWED', 'DELETE /api/v1/interests is 405 METHOD_NOT_ALLOWED');
like($allow->($m1), qr/\bGET\b/, 'the 405 names GET in Allow');
like(rid($m1), $RID, 'the 405 carries X-Request-Id');

my $m2 = api(GET => '/api/v1/auth/login');
error_is($m2, 405, 'METHOD_NOT_ALLOWED', 'GET /api/v1/auth/login is 405 METHOD_NOT_ALLOWED');
like($allow->($m2), qr/\bPOST\b/, 'the 405 for login names POST in Allow');

error_is(api(PUT => '/api/v1/auth/signup', {}), 405, 'METHOD_NOT_ALLOWED',
    'PUT /api/v1/auth/signup is 405');
error_is(api(POST => '/api/v1/users/me', {}), 405, 'METHOD_NOT_ALLOWED',
    'POST /api/v1/users/me is 405');
error_is(api(DELETE => '/api/v1/users/email-exists?email=a%40example.com'), 405,
    'METHOD_NOT_ALLOWED', 'DELETE /api/v1/users/email-exists is 405');

# --- oversized bodies ------------------------------------------------------------------------

my $big = '{"email":"' . ('a' x (2 * 1024 * 1024)) . '@example.com"}';
my $tl = api(POST => '/api/v1/auth/signup', undef, raw => $big);
error_is($tl, 413, 'PAYLOAD_TOO_LARGE', 'a 2 MiB body is 413 PAYLOAD_TOO_LARGE in JSON');
like(rid($tl), $RID, 'the 413 carries X-Request-Id');

my $tl2 = api(PATCH => '/api/v1/users/me', undef, raw => $big);
error_is($tl2, 413, 'PAYLOAD_TOO_LARGE', 'a 2 MiB body is refused before authentication');

# --- static web root -------------------------------------------------------------------------

is($static->{status}, 200, 'GET / answers 200');
like($static->{headers}{'content-type'} // '', qr{^text/html\b}i, 'GET / serves text/html');
like($static->{content}, qr/<html|<!doctype html/i, 'GET / is an HTML document');

# --- the gateway still works after all that ---------------------------------------------------

res_is(api(GET => '/api/v1/interests'), 200, 'the gateway still answers after the errors');

done_testing;
