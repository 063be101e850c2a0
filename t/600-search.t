#!/usr/bin/perl
# Community search over the Mroonga index (somoim-community-search): Korean stems with
# particles and compounds, mixed Korean/English, case, private communities by name only,
# filters, relevance before activity, pages under concurrent inserts, suggestions, did you
# mean, trending (and its per-user cap), a deleted community gone, bad input, and the
# rebuild giving the same answers. (Pages under concurrent inserts: t/201.)

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Community;

my $C = '/api/v1/communities';
my $owner = signup();
my $tok = $owner->{access_token};
# This run's marker: a Latin word of its own (Latin runs are whole tokens in the index).
my $tag = 'zq' . join '', map { ('a' .. 'z')[rand 26] } 1 .. 8;

sub search { return api(GET => "$C?" . query(@_)) }
sub ids { return [map { $_->{id} } @{ $_[0]{json}{items} || [] }] }
sub has { my ($res, $id) = @_; return scalar grep { $_ == $id } @{ ids($res) } }

my $weekend = create_community($tok, name => "주말등산모임 $tag", interest => 'hiking', region => '서울');
my $likes = create_community($tok, name => "산악회 $tag", description => "등산을 좋아하는 사람들 $tag",
    interest => 'hiking', region => '부산');
my $crew = create_community($tok, name => "분당 러닝 Crew $tag", interest => 'running', region => '경기');
my $club = create_community($tok, name => "Seoul Running Club $tag", interest => 'running', region => '서울');
my $secret = create_community($tok, name => "비밀결사 $tag", description => "숨은 패러글라이딩 $tag",
    is_private => JSON::PP::true);
my $gone = create_community($tok, name => "곧사라질모임 $tag");
indexed(map { $_->{id} } $weekend, $likes, $crew, $club, $secret, $gone);

# --- Korean, Latin, case, privacy ---------------------------------------------------------

my $r = search(q => "등산 $tag");
res_is($r, 200, 'q=등산 answers 200');
ok(has($r, $weekend->{id}), '등산 finds the compound 주말등산모임');
ok(has($r, $likes->{id}), '등산 finds 등산을 (a particle attached) in a description');
ok(!has($r, $crew->{id}), '… and not a community without it');
is_deeply(ids(search(q => "러닝 crew $tag")), [$crew->{id}], 'mixed Korean and English: every word required');
is_deeply(ids(search(q => "CREW $tag")), [$crew->{id}], 'Latin case does not matter');
is_deeply(ids(search(q => "running $tag")), [$club->{id}], 'a Latin word in a name');
is_deeply(ids(search(q => "패러글라이딩 $tag")), [], "a private community's description is not searched");
is_deeply(ids(search(q => "비밀결사 $tag")), [$secret->{id}], '… but its name is');
my $card = search(q => "비밀결사 $tag")->{json}{items}[0];
ok(!exists $card->{description}, "a stranger sees a private community's card without its description");
is_deeply(ids(search(q => "(등산 $tag")), ids(search(q => "등산 $tag")),
    'operator characters are not syntax (an unbalanced parenthesis is just a space)');
is_deeply(ids(search(q => "nothing$tag")), [], 'no match is an empty list');

# --- filters, ranking ---------------------------------------------------------------------

is_deeply(ids(search(q => $tag, interest => 'running', region => '서울')), [$club->{id}],
    'interest and region filters with q');
is_deeply(ids(search(q => "등산 $tag", region => '부산')), [$likes->{id}], 'region filters q');
# The name weighs more than the description: 등산 in a name ranks above 등산 in a description.
my @hike = @{ ids(search(q => "등산 $tag")) };
is_deeply(\@hike, [$weekend->{id}, $likes->{id}], 'a name match ranks above a description match');
# Activity breaks ties of relevance: more members first (the member events feed it). The
# club is newer, so it leads until the older crew gains a member.
is_deeply(ids(search(q => "$tag", interest => 'running')), [$club->{id}, $crew->{id}],
    'equal relevance and activity: the newer community first');
my $m = signup();
res_is(api(POST => "$C/$crew->{id}/members", undef, token => $m->{access_token}), 201, 'a member joins the crew');
ok(wait_until(60, sub { (community_sql("SELECT member_count FROM search_gates WHERE community_id = $crew->{id}"))[0][0] == 2 }),
    'the join reaches the index (member_count 2, committed)');
is_deeply(ids(search(q => "$tag", interest => 'running')), [$crew->{id}, $club->{id}],
    'equal relevance: the more active community first');

# (Pages under concurrent inserts: t/201-community-search.t.)

# --- the workers' cache ------------------------------------------------------------------
# A repeated query is answered from each worker's cache: once every worker has it, Groonga
# sorts nothing more for it (Mroonga_fast_order_limit counts each sort it does). Any index
# write bumps the stamp, and the next answer is read fresh and shows the write.
sub groonga_sorts { (community_sql("SHOW GLOBAL STATUS LIKE 'Mroonga_fast_order_limit'"))[0][1] }
my @asked = (q => "$tag", interest => 'running');
search(@asked) for 1 .. 8;                             # every worker reads it once
my $sorts = groonga_sorts();
my @seen = map { ids(search(@asked)) } 1 .. 6;
is(groonga_sorts() - $sorts, 0, 'a repeated query is answered without a new Groonga sort');
is_deeply(\@seen, [([$crew->{id}, $club->{id}]) x 6], '… with the same answer each time');
my $m2 = signup();
res_is(api(POST => "$C/$club->{id}/members", undef, token => $m2->{access_token}), 201, 'a member joins the club');
res_is(api(POST => "$C/$club->{id}/members", undef, token => $m->{access_token}), 201, '… and another');
ok(wait_until(60, sub { (community_sql("SELECT member_count FROM search_gates WHERE community_id = $club->{id}"))[0][0] == 3 }),
    'both joins reach the index');
is_deeply(ids(search(@asked)), [$club->{id}, $crew->{id}], 'the next answer shows the new order at once');
ok(groonga_sorts() > $sorts, '… read fresh from Groonga');

# --- suggest, did you mean ---------------------------------------------------------------

$r = api(GET => '/api/v1/search/suggest?' . query(q => '주말등'));
res_is($r, 200, 'suggest answers 200');
ok((grep { $_->{text} eq "주말등산모임 $tag" && $_->{kind} eq 'community' } @{ $r->{json}{items} }),
    'a 3-character Hangul prefix suggests the community name');
ok(@{ $r->{json}{items} } <= 10, 'at most 10 suggestions');
$r = api(GET => '/api/v1/search/suggest?' . query(q => substr($tag, 0, 1)));
res_is($r, 200, 'a 1-character prefix answers 200');

$r = search(q => "주말등싼모임");
is_deeply(ids($r), [], 'a typo finds nothing …');
is($r->{json}{did_you_mean}, '주말등산모임', '… and did_you_mean corrects it by one jamo');
$r = search(q => "$tag");
ok(!exists $r->{json}{did_you_mean}, 'no did_you_mean when something was found');

# --- trending ----------------------------------------------------------------------------

my $word = "추세$tag";
my $tw = create_community($tok, name => "$word 모임");
indexed($tw->{id});
my @users = map { signup() } 1 .. 3;
for my $u (@users) {
    api(GET => "$C?" . query(q => $word), undef, token => $u->{access_token}) for 1 .. 3;  # counted once
}
search(q => "없는검색어$tag") for 1 .. 5;                            # found nothing: not counted
my ($count, $none);
ok(wait_until(10, sub {
    my $t = api(GET => '/api/v1/search/trending')->{json}{items} || [];
    ($count) = map { $_->{count} } grep { $_->{query} eq lc $word } @$t;
    $none = grep { $_->{query} =~ /없는검색어/ } @$t;
    defined $count && $count >= 3;
}), 'the query shows up in trending');
is($count, 3, 'three users searching three times each count 3 (once per user an hour)');
ok(!$none, 'a query that found nothing is not counted');
$r = api(GET => '/api/v1/search/suggest?' . query(q => substr(lc $word, 0, 3)));
ok((grep { $_->{text} eq lc $word && $_->{kind} eq 'query' } @{ $r->{json}{items} }),
    'a popular query is suggested for its prefix');

# --- deleted -----------------------------------------------------------------------------

res_is(api(DELETE => "$C/$gone->{id}", undef, token => $tok), 204, 'a community is deleted');
indexed_gone($gone->{id});
is_deeply(ids(search(q => "곧사라질모임 $tag")), [], 'a deleted community is gone from search');
$r = api(GET => '/api/v1/search/suggest?' . query(q => '곧사라질'));
ok(!(grep { $_->{text} =~ /곧사라질모임 $tag/ } @{ $r->{json}{items} }), '… and from suggestions');

# --- bad input ---------------------------------------------------------------------------

for my $case (['q=', 'an empty q'], ['q=' . ('가' x 101), 'a 101-character q'],
    ["q=a%01b", 'a control character'], ["q=ab%00cd", '%00']) {
    my ($qs, $name) = @$case;
    utf8::encode($qs);
    error_is(api(GET => "$C?$qs"), 400, 'VALIDATION_FAILED', "list: $name → 400");
    error_is(api(GET => "/api/v1/search/suggest?$qs"), 400, 'VALIDATION_FAILED', "suggest: $name → 400");
}
error_is(api(GET => '/api/v1/search/suggest'), 400, 'VALIDATION_FAILED', 'suggest without q → 400');

# --- rebuild -----------------------------------------------------------------------------

my @queries = ("등산 $tag", $tag, "러닝 crew $tag", "비밀결사 $tag");
my %before = map { $_ => ids(search(q => $_, limit => 100)) } @queries;
my $bin = ($ENV{SOMOIM_BUILD} // $ENV{SOMOIM_TOP}) . '/kafka-consumers/community-search/somoim-community-search';
# A write by hand bumps the stamp, as sql/community/009 asks, or workers answer from their cache.
community_sql("DELETE FROM communities_search WHERE name LIKE '%$tag%'");
community_sql("UPDATE search_stamp SET stamp = stamp + 1 WHERE id = 1");
is_deeply(ids(search(q => $tag)), [], 'with the rows gone from the index, nothing is found');
my $out = `"$bin" rebuild 2>&1`;
is($?, 0, 'somoim-community-search rebuild succeeds') or diag($out);
is_deeply({ map { $_ => ids(search(q => $_, limit => 100)) } @queries }, \%before,
    'the rebuilt index gives the same answers');

done_testing();
