#!/usr/bin/perl
# The wishlist (찜): PUT and DELETE /api/v1/users/me/wishlist/{community_id} are idempotent
# 204s (an unknown community is 404), GET lists the community cards newest wish first with
# cursor pages; a deleted community leaves the list; every call needs a token.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Community;

my $W = '/api/v1/users/me/wishlist';
my $me = signup();
my $tok = $me->{access_token};
my $other = signup();
my $owner = signup();

my @c = map { create_community($owner->{access_token}, name => "찜 $$ $_") } 1 .. 5;
sub wish   { return api(PUT => "$W/$_[0]", undef, token => $_[1] // $tok) }
sub unwish { return api(DELETE => "$W/$_[0]", undef, token => $_[1] // $tok) }
sub wishes {
    my ($q) = @_;
    return api(GET => $W . ($q ? "?$q" : ''), undef, token => $tok);
}
sub ids { return [map { $_->{id} } @{ $_[0]{json}{items} || [] }] }

my $r = wishes();
res_is($r, 200, 'GET /users/me/wishlist answers 200');
is_deeply($r->{json}, { items => [], next_cursor => undef }, 'a new user has an empty wishlist');

$r = wish($c[0]{id});
is($r->{status}, 204, 'PUT a wish answers 204');
is($r->{content}, '', '… with no body');
is(wish($c[0]{id})->{status}, 204, 'PUT again is 204 too (idempotent)');
is_deeply(ids(wishes()), [$c[0]{id}], 'the community is listed once');
is_deeply(wishes()->{json}{items}[0], api(GET => "/api/v1/communities/$c[0]{id}")->{json},
    'the item is the community card');

wish($_->{id}) for @c[1 .. 4];
wish($c[0]{id});
is_deeply(ids(wishes()), [map { $_->{id} } reverse @c], 'newest wish first; a repeated PUT keeps its place');

my (@paged, $cursor, $pages);
while (1) {
    my $res = wishes(query(limit => 2, defined $cursor ? (cursor => $cursor) : ()));
    last unless $res->{status} == 200;
    push @paged, @{ ids($res) };
    $pages++;
    $cursor = $res->{json}{next_cursor};
    last unless defined $cursor;
}
is($pages, 3, 'limit=2 over five wishes gives three pages');
is_deeply(\@paged, [map { $_->{id} } reverse @c], 'the pages together are the whole list');
error_is(wishes('limit=0'), 400, 'VALIDATION_FAILED', 'limit=0 is 400');
error_is(wishes('cursor=nope'), 400, 'VALIDATION_FAILED', 'a bad cursor is 400');

is(unwish($c[2]{id})->{status}, 204, 'DELETE a wish answers 204');
is(unwish($c[2]{id})->{status}, 204, 'DELETE again is 204 too (idempotent)');
is(unwish(999999999)->{status}, 204, 'DELETE of a wish never made is 204');
ok(!(grep { $_ == $c[2]{id} } @{ ids(wishes()) }), 'the removed community is no longer listed');

error_is(wish(999999999), 404, 'NOT_FOUND', 'PUT for an unknown community is 404');
error_is(api(PUT => "$W/abc", undef, token => $tok), 404, 'NOT_FOUND', 'a non-numeric id is 404');

is_deeply(ids(api(GET => $W, undef, token => $other->{access_token})), [],
    "one user's wishes are not another's");

is(api(DELETE => "/api/v1/communities/$c[4]{id}", undef, token => $owner->{access_token})->{status},
    204, 'the owner deletes a wished community');
ok(!(grep { $_ == $c[4]{id} } @{ ids(wishes()) }), 'a deleted community leaves the wishlist');

my $priv = create_community($owner->{access_token}, is_private => JSON::PP::true);
is(wish($priv->{id})->{status}, 204, 'a private community can be wished');
my $card = wishes()->{json}{items}[0] || {};
is($card->{id}, $priv->{id}, '… and is listed');
ok(!exists $card->{description}, '… as the outsider card');

error_is(api(GET => $W), 401, 'UNAUTHORIZED', 'GET without a token is 401');
error_is(api(PUT => "$W/$c[0]{id}"), 401, 'UNAUTHORIZED', 'PUT without a token is 401');
error_is(api(DELETE => "$W/$c[0]{id}"), 401, 'UNAUTHORIZED', 'DELETE without a token is 401');

is(api(GET => '/api/v1/users/me', undef, token => $tok)->{status}, 200,
    '/users/me is still the user service');

done_testing();
