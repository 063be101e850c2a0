#!/usr/bin/perl
# GET /api/v1/communities: search by q over name and description (Korean substrings,
# LIKE wildcards taken literally), interest and region filters, limit/cursor pages, bad
# limit/cursor → 400 with fields, and pages that neither repeat nor skip while another
# process keeps creating communities.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Community;

my $C = '/api/v1/communities';
my $tok = signup()->{access_token};
my $tag = "t$$" . int(rand 1e6);          # this run's marker, so other rows do not interfere

sub list {
    my (%q) = @_;
    return api(GET => "$C?" . query(%q));
}
sub ids { return [map { $_->{id} } @{ $_[0]{json}{items} || [] }] }

my $hike = create_community($tok, name => "북한산 등산 모임 $tag", interest => 'hiking', region => '서울');
my $camp = create_community($tok, name => "캠핑 $tag", description => "주말 등산 후 캠핑 $tag",
    interest => 'camping', region => '부산');
my $pct = create_community($tok, name => "100% 완주 $tag", interest => 'running', region => '서울');
my $und = create_community($tok, name => "a_b $tag", interest => 'running', region => '대구');
my $latin = create_community($tok, name => "Seoul Runners $tag", interest => 'running', region => '서울');
my $secret = create_community($tok, name => "비밀 $tag", description => "숨은 등산 $tag",
    is_private => JSON::PP::true);
indexed(map { $_->{id} } $hike, $camp, $pct, $und, $latin, $secret);   # search trails writes

# --- q ---------------------------------------------------------------------------------------

my $r = list(q => '등산', limit => 100);
res_is($r, 200, 'q=등산 answers 200');
my %got = map { $_ => 1 } @{ ids($r) };
ok($got{ $hike->{id} }, 'q finds "등산" inside the name "북한산 등산 모임"');
ok($got{ $camp->{id} }, 'q finds "등산" inside a description');
ok(!$got{ $secret->{id} }, 'q does not search the description of a private community');
is_deeply(ids(list(q => "북한산 등산 모임 $tag")), [$hike->{id}], 'the whole name finds it');
is_deeply(ids(list(q => "비밀 $tag")), [$secret->{id}], 'a private community is found by name');
my $card = list(q => "비밀 $tag")->{json}{items}[0] || {};
ok(!exists $card->{description} && !exists $card->{owner_id},
    '… as the outsider card (no description, no owner)');
is_deeply(ids(list(q => "seoul runners $tag")), [$latin->{id}], 'q ignores Latin case');
is_deeply(ids(list(q => "100% 완주 $tag")), [$pct->{id}], 'a literal % in q');
is_deeply(ids(list(q => "%$tag")), [], '% alone is not a wildcard');
is_deeply(ids(list(q => "a_b $tag")), [$und->{id}], 'a literal _ in q');
is_deeply(ids(list(q => "!$tag")), [], 'the old escape character is plain text');
# (q is a word search over a bigram index now, not LIKE '%q%': "a_" matching "a_b" as a
# prefix is the index's reading, and t/600-search.t holds its rules.)
is_deeply(ids(list(q => "nothing-like-this-$tag")), [], 'no match is an empty list');

# --- filters ---------------------------------------------------------------------------------

is_deeply(ids(list(q => $tag, interest => 'running')), [$latin->{id}, $und->{id}, $pct->{id}],
    'interest filters, newest first');
is_deeply(ids(list(q => $tag, region => '서울', interest => 'running')), [$latin->{id}, $pct->{id}],
    'region and interest together');
is_deeply(ids(list(q => $tag, region => '부산')), [$camp->{id}], 'region filters (Korean)');
is_deeply(ids(list(q => $tag, interest => 'knitting')), [], 'an unknown interest is an empty list');

# --- pages -----------------------------------------------------------------------------------

my @all = @{ ids(list(q => $tag, limit => 100)) };
is(scalar @all, 6, 'all six of this run are found');
my (@paged, $cursor, $pages);
while (1) {
    my $res = list(q => $tag, limit => 4, defined $cursor ? (cursor => $cursor) : ());
    last unless $res->{status} == 200;
    push @paged, @{ ids($res) };
    $pages++;
    $cursor = $res->{json}{next_cursor};
    last unless defined $cursor;
}
is($pages, 2, 'limit=4 over six gives two pages');
is_deeply(\@paged, \@all, 'the pages together are the whole list, in order');
$r = list(q => $tag, limit => 6);
is(json_type($r, 'next_cursor'), 'null', 'an exact last page has next_cursor null');
$r = list(q => $tag, limit => 5);
is(json_type($r, 'next_cursor'), 'string', 'a page with more after it has a string cursor');
unlike($r->{json}{next_cursor} // '', qr/\A\d+\z/, 'the cursor is opaque (not a bare id)');

my $default = list();
ok(@{ $default->{json}{items} || [] } <= 20, 'the default limit is at most 20');

for my $bad (['limit', 0], ['limit', 101], ['limit', -1], ['limit', 'ten'], ['limit', '5x'],
    ['cursor', 'garbage'], ['cursor', 'MTIz'], ['cursor', '!!!']) {
    my ($k, $v) = @$bad;
    my $res = list($k => $v);
    error_is($res, 400, 'VALIDATION_FAILED', "$k=$v → 400 VALIDATION_FAILED");
    ok($res->{json}{error}{fields}{$k}, "… naming $k");
}
my $wish_cursor = do {
    api(PUT => "/api/v1/users/me/wishlist/$hike->{id}", undef, token => $tok);
    api(PUT => "/api/v1/users/me/wishlist/$camp->{id}", undef, token => $tok);
    api(GET => '/api/v1/users/me/wishlist?limit=1', undef, token => $tok)->{json}{next_cursor};
};
error_is(list(cursor => $wish_cursor), 400, 'VALIDATION_FAILED',
    "another list's cursor is refused");
error_is(list(q => 'x' x 101), 400, 'VALIDATION_FAILED', 'a 101-character q is 400');

# --- pages under concurrent inserts ----------------------------------------------------------
# A writer keeps creating communities (tagged) while a reader pages through the tagged ones
# three at a time: no id twice, every one that existed before the reader began is seen, and
# the ids strictly decrease across pages.

my $ctag = "c$tag";
my @before = map { create_community($tok, name => "동시 $ctag $_")->{id} } 1 .. 24;
indexed(@before);
my ($writer, $reader) = parallel(2, sub {
    my ($i) = @_;
    if ($i == 0) {
        my @made;
        for my $n (1 .. 20) {
            my $res = api(POST => $C, community_body(name => "동시 $ctag new $n"), token => $tok);
            push @made, $res->{json}{id} if $res->{status} == 201;
        }
        return \@made;
    }
    my (@seen, $cur, @status);
    for (1 .. 200) {
        my $res = api(GET => "$C?" . query(q => $ctag, limit => 3, defined $cur ? (cursor => $cur) : ()));
        push @status, $res->{status};
        last unless $res->{status} == 200;
        push @seen, map { $_->{id} } @{ $res->{json}{items} };
        $cur = $res->{json}{next_cursor};
        last unless defined $cur;
        select undef, undef, undef, 0.02;
    }
    return { seen => \@seen, status => \@status };
});
is(scalar @$writer, 20, 'the writer created 20 communities meanwhile');
ok(!(grep { $_ != 200 } @{ $reader->{status} }), 'every page answered 200');
my %count;
$count{$_}++ for @{ $reader->{seen} };
is(scalar(grep { $count{$_} > 1 } keys %count), 0, 'no community appears twice across the pages');
is(scalar(grep { !$count{$_} } @before), 0, 'every community that existed before is seen (no gaps)');
my @s = @{ $reader->{seen} };
ok(!(grep { $s[$_] >= $s[$_ - 1] } 1 .. $#s), 'ids strictly decrease across pages');

done_testing();
