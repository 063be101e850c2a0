# t/433-comment-bad-input.t — what a comment write refuses: 400 for a missing, empty, blank or
# oversize body (2,000 characters is the most), a body that is not a string, invalid UTF-8,
# broken JSON; 415 without JSON; 404 for an unknown or deleted post and for paths whose ids
# are not numbers.  Nothing refused leaves a row or an event.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;

my $bc = comment_community();
my $cid = $bc->{community}{id};
my $tok = $bc->{owner}{access_token};
my $pid = make_post($cid, $bc->{owner});
my $path = "/api/v1/posts/$pid/comments";

for my $case (
    [ 'no body field',         {} ],
    [ 'body null',             { body => undef } ],
    [ 'empty body',            { body => '' } ],
    [ 'blank body',            { body => "  \n\t " } ],
    [ 'ideographic spaces',    { body => "\x{3000}\x{3000}" } ],
    [ '2,001 characters',      { body => '가' x 2001 } ],
    [ 'body a number',         { body => 42 } ],
    [ 'body an array',         { body => ['x'] } ],
) {
    my ($name, $body) = @$case;
    my $r = api(POST => $path, $body, token => $tok);
    error_is($r, 400, 'VALIDATION_FAILED', "$name: 400 VALIDATION_FAILED");
    ok($r->{json} && exists $r->{json}{error}{fields}{body}, "$name: fields names body");
}
res_is(api(POST => $path, { body => '가' x 2000 }, token => $tok), 201,
    '2,000 characters (multi-byte): 201');
res_is(api(POST => $path, { body => 'x' }, token => $tok), 201, 'one character: 201');

error_is(api(POST => $path, undef, raw => qq({"body":"\xff\xfe"}), token => $tok), 400,
    'INVALID_JSON', 'invalid UTF-8: 400');
error_is(api(POST => $path, undef, raw => qq({"body":"\xed\xa0\x80"}), token => $tok), 400,
    'INVALID_JSON', 'a UTF-8 surrogate: 400');
error_is(api(POST => $path, undef, raw => '{"body": "x"', token => $tok), 400, 'INVALID_JSON',
    'truncated JSON: 400');
error_is(api(POST => $path, undef, raw => '["x"]', token => $tok), 400,
    ['INVALID_JSON', 'VALIDATION_FAILED'], 'a JSON array: 400');
error_is(api(POST => $path, undef, raw => '{"body":"a\u0000b"}', token => $tok), 400,
    ['INVALID_JSON', 'VALIDATION_FAILED'], 'a NUL character: 400');
my $r = api(POST => $path, undef, raw => 'body=x', content_type => 'application/x-www-form-urlencoded',
    token => $tok);
ok($r->{status} == 415 || $r->{status} == 400, 'a form body: 415 or 400') or diag dump_res($r);

error_is(api(POST => '/api/v1/posts/999999999999/comments', { body => 'x' }, token => $tok), 404,
    'NOT_FOUND', 'an unknown post: 404');
error_is(api(POST => '/api/v1/posts/999999999999/comments', { body => '' }, token => $tok), 400,
    'VALIDATION_FAILED', 'a bad body on an unknown post: 400 (the body is checked first)');
error_is(api(POST => '/api/v1/posts/abc/comments', { body => 'x' }, token => $tok), 404,
    'NOT_FOUND', 'a post id that is not a number: 404');
error_is(api(DELETE => '/api/v1/comments/abc', undef, token => $tok), 404, 'NOT_FOUND',
    'a comment id that is not a number: 404');
error_is(api(GET => "$path?limit=0", undef, token => $tok), 400, 'VALIDATION_FAILED',
    'limit=0: 400');
error_is(api(GET => "$path?limit=101", undef, token => $tok), 400, 'VALIDATION_FAILED',
    'limit=101: 400');

my ($row) = comment_sql("SELECT comment_count FROM posts WHERE id = $pid");
is($row->[0], 2, 'only the two good comments were counted');
is(scalar(outbox_events('comment', 'v1.event.comment-created', $pid)), 2, 'and announced');

# ---- a deleted post ----
comment_delete_post($pid, $cid, $bc->{owner});
error_is(api(POST => $path, { body => 'x' }, token => $tok), 404, 'NOT_FOUND',
    'commenting on a deleted post: 404');
error_is(api(GET => $path, undef, token => $tok), 404, 'NOT_FOUND',
    'listing a deleted post: 404');

done_testing;
