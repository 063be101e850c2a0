#!/usr/bin/perl
# Posts end to end: written at somoim-board, read from somoim-board-query's read model.
# The `post` shape, the author from the profile copy, an edit and a deletion reaching the
# reads, newest-first paging with the opaque cursor, and a rename of the author reaching
# every post of theirs in the read model.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Board;

my $owner = signup(name => '글쓴이');
my $tok = $owner->{access_token};
my $uid = $owner->{user}{id};
my $c = board_community($tok, $uid, name => "게시판 $$");
my $cid = $c->{id};

# Create.
my $r = create_post($cid, $tok, title => '첫 글', body => "안녕하세요\n반가워요");
res_is($r, 201, 'a member posts: 201');
my $p = $r->{json};
ok($p->{id} > 0, 'the post has an id');
is($p->{community_id}, $cid, 'community_id');
is_deeply($p->{author}, { id => $uid, name => '글쓴이', profile_image => undef },
    'author {id, name, profile_image} from the profile copy');
is($p->{title}, '첫 글', 'title');
is($p->{body}, "안녕하세요\n반가워요", 'body, line break kept');
is($p->{like_count}, 0, 'like_count 0');
is($p->{comment_count}, 0, 'comment_count 0');
ok(is_rfc3339_utc($p->{created_at}) && is_rfc3339_utc($p->{updated_at}), 'RFC 3339 UTC times');

# The read side catches up.
my $g = wait_post($p->{id}, $tok, sub { $_[0]{status} == 200 });
res_is($g, 200, 'GET /posts/{id} from the read model: 200');
is_deeply($g->{json}, $p, '… the same post as the create answered');

# Edit.
$r = patch_post($p->{id}, $tok, { title => '고친 제목' });
res_is($r, 200, 'the author edits: 200');
is($r->{json}{title}, '고친 제목', '… new title');
is($r->{json}{body}, $p->{body}, '… body unchanged');
$g = wait_post($p->{id}, $tok, sub { ($_[0]{json}{title} // '') eq '고친 제목' });
is($g->{json}{title}, '고친 제목', 'the edit reaches the read model');
is_deeply([ (board_sql("SELECT version FROM posts WHERE id = $p->{id}"))[0][0] ], [2],
    'version 2 after one edit');

# A list, newest first, paged.
my @ids = ($p->{id});
for my $i (1 .. 4) {
    $r = create_post($cid, $tok, title => "글 $i", body => "본문 $i");
    push @ids, $r->{json}{id};
}
wait_until(30, sub { my $l = list_posts($cid, $tok, 'limit=100'); @{ $l->{json}{items} || [] } == 5 });
my $l = list_posts($cid, $tok, 'limit=2');
res_is($l, 200, 'the list: 200');
is_deeply([ map { $_->{id} } @{ $l->{json}{items} } ], [ @ids[4, 3] ], 'newest first, 2 per page');
ok(defined $l->{json}{next_cursor}, 'a next_cursor');
my @seen = map { $_->{id} } @{ $l->{json}{items} };
while (defined $l->{json}{next_cursor}) {
    $l = list_posts($cid, $tok, 'limit=2&' . query(cursor => $l->{json}{next_cursor}));
    last unless $l->{status} == 200;
    push @seen, map { $_->{id} } @{ $l->{json}{items} };
}
is_deeply(\@seen, [ reverse @ids ], 'the cursor walks every post once, newest first');
is($l->{json}{next_cursor}, undef, 'the last page has next_cursor null');
my $item = (grep { $_->{id} == $ids[1] } @{ list_posts($cid, $tok, 'limit=100')->{json}{items} })[0];
is_deeply([ sort keys %$item ], [ sort qw(id community_id author title body like_count
    comment_count created_at updated_at) ], 'list items are `post`s');
error_is(list_posts($cid, $tok, 'cursor=bogus'), 400, 'VALIDATION_FAILED', 'a bad cursor: 400');
error_is(list_posts($cid, $tok, 'limit=0'), 400, 'VALIDATION_FAILED', 'limit=0: 400');

# A page read again is the same page until a post of the community changes, then the new one
# (somoim-board-query keeps pages per list version).
my $before = list_posts($cid, $tok, 'limit=3');
is_deeply(list_posts($cid, $tok, 'limit=3')->{json}, $before->{json}, 'the same page twice');
res_is(patch_post($ids[3], $tok, { title => '캐시 뒤' }), 200, 'an edit of a post on that page');
ok(wait_until(30, sub {
    my ($x) = grep { $_->{id} == $ids[3] } @{ list_posts($cid, $tok, 'limit=3')->{json}{items} || [] };
    $x && $x->{title} eq '캐시 뒤';
}), 'the page shows the edit');

# The author renames: every post of theirs follows in the read model.
$r = api(PATCH => '/api/v1/users/me', { name => '새이름' }, token => $tok);
res_is($r, 200, 'the author renames');
ok(wait_until(30, sub {
    my $x = list_posts($cid, $tok, 'limit=100');
    my @i = @{ $x->{json}{items} || [] };
    @i == 5 && !grep { $_->{author}{name} ne '새이름' } @i;
}), 'every post in the list carries the new name');

# Delete.
res_is(delete_post($ids[2], $tok), 204, 'the author deletes: 204');
error_is(delete_post($ids[2], $tok), 404, 'NOT_FOUND', 'deleting it again: 404');
error_is(patch_post($ids[2], $tok, { title => 'x' }), 404, 'NOT_FOUND', 'editing it: 404');
$g = wait_post($ids[2], $tok, sub { $_[0]{status} == 404 });
error_is($g, 404, 'NOT_FOUND', 'the deleted post is 404 on the read side');
ok(wait_until(30, sub { !grep { $_->{id} == $ids[2] } @{ list_posts($cid, $tok, 'limit=100')->{json}{items} || [] } }),
    'and gone from the list');

# HEAD goes to the read side too.
$r = api(HEAD => "/api/v1/posts/$ids[1]", undef, token => $tok);
is($r->{status}, 200, 'HEAD /posts/{id}: 200');
error_is(api(GET => "/api/v1/posts/$ids[1]"), 401, 'UNAUTHORIZED', 'no token: 401');
error_is(api(PUT => "/api/v1/posts/$ids[1]", { title => 'x' }, token => $tok), 405,
    'METHOD_NOT_ALLOWED', 'PUT /posts/{id}: 405');

done_testing;
