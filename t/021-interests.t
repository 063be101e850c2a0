#!/usr/bin/perl
# GET /api/v1/interests: the 30 seeded interest codes with their Korean names, public.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;

my $res = api(GET => '/api/v1/interests');
res_is($res, 200, 'GET /api/v1/interests answers 200 without a token');
like($res->{headers}{'content-type'} // '', qr{^application/json;\s*charset=utf-8\z}i,
    'Content-Type is application/json; charset=utf-8');
is(json_type($res, 'items'), 'array', 'the answer has an items array');

my @items = @{ ($res->{json} || {})->{items} || [] };
is(scalar @items, 30, 'there are 30 interests');
ok(!grep({ ref ne 'HASH' || !defined $_->{code} || ref $_->{code} || !defined $_->{name}
            || ref $_->{name} || !length $_->{name} } @items),
    'every item has a code and a non-empty name');
is_deeply([sort map { $_->{code} } @items], [sort(interest_codes())],
    'the codes are exactly the seeded ones');

my %name = map { $_->{code} => $_->{name} } @items;
is($name{hiking}, '등산', 'hiking is 등산 (UTF-8 intact)');
ok(!grep({ !/\p{Hangul}/ } values %name), 'every name is Korean (has Hangul)');
my %seen;
ok(!grep({ $seen{$_}++ } map { $_->{code} } @items), 'no code appears twice');

my $again = api(GET => '/api/v1/interests');
is_deeply($again->{json}, $res->{json}, 'the list is stable between calls');

my $acct = signup(interests => [qw(travel free)]);
res_is(api(GET => '/api/v1/interests', undef, token => $acct->{access_token}), 200,
    'GET /api/v1/interests also answers with a token');
ok(!grep({ !exists $name{$_} } @{ $acct->{user}{interests} || [] }),
    'a user\'s interests are codes from this list');

error_is(api(POST => '/api/v1/interests', { code => 'x', name => 'y' }), 405, 'METHOD_NOT_ALLOWED',
    'POST /api/v1/interests is 405');
error_is(api(GET => '/api/v1/interests/hiking'), 404, 'NOT_FOUND',
    'GET /api/v1/interests/hiking is 404 (no such resource)');

done_testing;
