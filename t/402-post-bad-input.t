#!/usr/bin/perl
# Bad input to the board: empty, blank and oversize titles and bodies, invalid UTF-8, not
# JSON, wrong types and unknown posts get the contract's 400/404/415 with field errors,
# never a 500; and the limits themselves (200 / 20,000 characters, counted as characters,
# not bytes) are accepted.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Board;

my $u = signup(name => '검사');
my $tok = $u->{access_token};
my $cid = board_community($tok, $u->{user}{id}, name => "입력 $$")->{id};
my $P = "/api/v1/communities/$cid/posts";

sub field_error {
    my ($r, $field, $name) = @_;
    error_is($r, 400, 'VALIDATION_FAILED', $name)
        and ok(exists $r->{json}{error}{fields}{$field}, "… names the field $field")
        or diag(dump_res($r));
}

field_error(create_post($cid, $tok, title => '', body => 'b'), 'title', 'empty title: 400');
field_error(create_post($cid, $tok, title => "  \t ", body => 'b'), 'title', 'blank title: 400');
field_error(create_post($cid, $tok, body => 'b'), 'title', 'missing title: 400');
field_error(create_post($cid, $tok, title => 'x' x 201, body => 'b'), 'title', '201-character title: 400');
field_error(create_post($cid, $tok, title => 't', body => ''), 'body', 'empty body: 400');
field_error(create_post($cid, $tok, title => 't', body => 'b' x 20001), 'body', '20,001-character body: 400');
field_error(create_post($cid, $tok, title => 't', body => '글' x 20001), 'body',
    '20,001 Korean characters: 400');
field_error(create_post($cid, $tok, title => 5, body => 'b'), 'title', 'a number as title: 400');
field_error(create_post($cid, $tok, title => 't', body => ['b']), 'body', 'an array as body: 400');

my $r = create_post($cid, $tok, title => '제' x 200, body => '글' x 20000);
res_is($r, 201, '200-character title and 20,000-character body (Korean, 60,000 bytes): 201');
is(length $r->{json}{body}, 20000, '… the body comes back whole');
my $id = $r->{json}{id};

# Invalid UTF-8 and broken JSON.
error_is(api(POST => $P, undef, token => $tok, raw => qq({"title":"a\xff\xfe","body":"b"})),
    400, 'INVALID_JSON', 'invalid UTF-8 in the title: 400');
error_is(api(POST => $P, undef, token => $tok, raw => qq({"title":"t","body":"\xc3\x28"})),
    400, 'INVALID_JSON', 'invalid UTF-8 in the body: 400');
error_is(api(PATCH => "/api/v1/posts/$id", undef, token => $tok, raw => qq({"title":"\xed\xa0\x80"})),
    400, 'INVALID_JSON', 'a UTF-16 surrogate in a PATCH: 400');
error_is(api(POST => $P, undef, token => $tok, raw => '{"title": "t", "body": '), 400,
    'INVALID_JSON', 'truncated JSON: 400');
error_is(api(POST => $P, undef, token => $tok, raw => '["t"]'), 400, ['INVALID_JSON', 'VALIDATION_FAILED'],
    'a JSON array instead of an object: 400');
error_is(api(POST => $P, { title => 't', body => 'b' }, token => $tok, content_type => 'text/plain'),
    415, 'UNSUPPORTED_MEDIA_TYPE', 'text/plain: 415');

# PATCH needs something to change; the same limits hold.
field_error(patch_post($id, $tok, {}), 'title', 'an empty PATCH: 400');
field_error(patch_post($id, $tok, { title => '' }), 'title', 'PATCH to an empty title: 400');
field_error(patch_post($id, $tok, { body => 'b' x 20001 }), 'body', 'PATCH to an oversize body: 400');

# Unknown posts and communities.
my $none = 9_000_000_000 + int(rand 1e6);
error_is(get_post($none, $tok), 404, 'NOT_FOUND', 'GET an unknown post: 404');
error_is(patch_post($none, $tok, { title => 't' }), 404, 'NOT_FOUND', 'PATCH an unknown post: 404');
error_is(delete_post($none, $tok), 404, 'NOT_FOUND', 'DELETE an unknown post: 404');
error_is(api(GET => '/api/v1/posts/abc', undef, token => $tok), 404, 'NOT_FOUND', 'a non-numeric post id: 404');
error_is(list_posts($none, $tok), 404, 'NOT_FOUND', 'the list of an unknown community: 404');
error_is(create_post($none, $tok), 404, 'NOT_FOUND', 'posting to an unknown community: 404');

# Nothing of the refused writes was stored.
is((board_sql("SELECT COUNT(*) FROM posts WHERE community_id = $cid"))[0][0], 1,
    'only the valid post was stored');

done_testing;
