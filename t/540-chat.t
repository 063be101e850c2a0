# t/540-chat.t — group chat messages (API.md "Chat"): post and read back, 45 messages paged
# without loss or duplicates, the cursor's stability while new messages arrive, bad input,
# who may read and write, and a rename reaching the sender shown on new reads.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Chat;

my $cc = chat_community();
my $cid = $cc->{community}{id};
my $owner = $cc->{owner};
my $m = chat_join($cid, name => '수다쟁이');
my $tok = $m->{access_token};

# ---- post and read back ----
my $r = chat_post($cid, $tok, "  안녕하세요 👋\n반가워요  ");
res_is($r, 201, 'a member posts: 201');
my $m1 = $r->{json};
is_deeply([sort keys %$m1], [qw(community_id created_at id sender text)], 'message {id, community_id, sender, text, created_at}');
like($m1->{id}, qr/\A[0-9]{13}-[0-9]{10}\z/, 'the id is a string that sorts by time');
is($m1->{community_id}, $cid, 'community_id');
is($m1->{text}, "안녕하세요 👋\n반가워요", 'text trimmed at both ends, inner newline kept');
is_deeply([sort keys %{ $m1->{sender} }], [qw(id name profile_image)], 'sender {id, name, profile_image}');
is($m1->{sender}{id}, $m->{user}{id}, 'sender is the caller');
ok(is_rfc3339_utc($m1->{created_at}), 'created_at is RFC 3339 UTC');
$r = chat_page($cid, $tok);
res_is($r, 200, 'history: 200');
my %strip = (%$m1, sender => { %{ $m1->{sender} }, name => 'x' });
my @got = map { +{ %$_, sender => { %{ $_->{sender} }, name => 'x' } } } @{ $r->{json}{items} };
is_deeply(\@got, [\%strip], 'the history holds the message exactly as answered');
# The name comes from the profile copy, which may land a moment after the membership.
ok(wait_until(30, sub { (chat_page($cid, $tok)->{json}{items}[0]{sender}{name} // '') eq '수다쟁이' }),
    "sender's name from the chat's profile copy");
ok(!defined $r->{json}{next_cursor}, 'next_cursor null: nothing older');

# ---- 45 messages, paged by 10: every one once, newest first ----
my @ids = ($m1->{id});
for my $i (2 .. 45) {
    $r = chat_post($cid, $i % 3 ? $tok : $owner->{access_token}, "메시지 $i");
    $r->{status} == 201 or diag(dump_res($r));
    push @ids, $r->{json}{id};
}
is(scalar(grep { defined } @ids), 45, '45 messages posted');
is_deeply([sort @ids], \@ids, 'ids sort in the order the messages were posted');
my $all = chat_history($cid, $tok, 10);
is_deeply([map { $_->{id} } @$all], [reverse @ids], 'pages of 10 give all 45, newest first, no loss or duplicate');
is($all->[0]{text}, '메시지 45', 'the newest first');
my %by = map { $_->{id} => $_ } @$all;
is($by{ $ids[2] }{sender}{id}, $owner->{user}{id}, "the owner's message names the owner");

# The cursor is stable: messages posted between pages do not shift the rest.
$r = chat_page($cid, $tok, limit => 20);
my @seen = map { $_->{id} } @{ $r->{json}{items} };
my $next = $r->{json}{next_cursor};
is($next, $seen[-1], 'next_cursor is the id of the last message shown');
res_is(chat_post($cid, $tok, "사이에 끼어든 메시지 $_"), 201, "a message arrives between pages ($_)") for 1 .. 2;
my $before = $next;
while (defined $before) {
    $r = chat_page($cid, $tok, limit => 20, before => $before);
    push @seen, map { $_->{id} } @{ $r->{json}{items} };
    $before = $r->{json}{next_cursor};
}
is_deeply(\@seen, [reverse @ids], 'following the cursor after new messages: the same 45, none twice');
$r = chat_page($cid, $tok, limit => 100);
is(scalar @{ $r->{json}{items} }, 47, 'limit=100 gives all 47 at once');
ok(!defined $r->{json}{next_cursor}, 'and no next page');
my @between = grep { !$by{$_} } map { $_->{id} } @{ $r->{json}{items} };
is(scalar @between, 2, 'the two messages posted between pages are the newest');

# after=: what a stream client missed, oldest first.
$r = chat_page($cid, $tok, limit => 3, after => $ids[40]);
is_deeply([map { $_->{id} } @{ $r->{json}{items} }], [@ids[41 .. 43]], 'after= the 41st: the next 3, oldest first');
is($r->{json}{next_cursor}, $ids[43], 'its next_cursor continues after the last one shown');
$r = chat_page($cid, $tok, limit => 100, after => $r->{json}{next_cursor});
is_deeply([map { $_->{id} } @{ $r->{json}{items} }], [$ids[44], reverse @between], 'then the rest, up to the newest');
ok(!defined $r->{json}{next_cursor}, 'and next_cursor null: nothing newer');
$r = chat_page($cid, $tok, limit => 100, after => $ids[0]);
is(scalar @{ $r->{json}{items} }, 46, 'after= the first message: the 46 others');
error_is(chat_page($cid, $tok, after => $ids[0], before => $ids[5]), 400, 'VALIDATION_FAILED', 'after with before: 400');

$r = chat_page($cid, $tok, limit => 5, before => $ids[3]);
is_deeply([map { $_->{id} } @{ $r->{json}{items} }], [reverse @ids[0 .. 2]], 'before= the 4th message: the 3 before it');
ok(!defined $r->{json}{next_cursor}, 'next_cursor null at the beginning');

# ---- bad input ----
my $p = chat_path($cid, 'messages');
error_is(chat_post($cid, $tok, ''), 400, 'VALIDATION_FAILED', 'empty text: 400');
error_is(chat_post($cid, $tok, " \n\t　 "), 400, 'VALIDATION_FAILED', 'only white space: 400');
res_is(chat_post($cid, $tok, '가' x 2000), 201, '2,000 characters (6,000 bytes): 201');
res_is(chat_post($cid, $tok, ' ' . ('a' x 2000) . ' '), 201, '2,000 characters plus spaces trimmed away: 201');
$r = chat_post($cid, $tok, '가' x 2001);
error_is($r, 400, 'VALIDATION_FAILED', '2,001 characters: 400');
ok($r->{json}{error}{fields}{text}, 'the error names "text"');
error_is(api(POST => $p, undef, token => $tok, raw => "{\"text\":\"ok\xff\xfe\"}"), 400, 'INVALID_JSON',
    'invalid UTF-8: 400');
error_is(chat_post($cid, $tok, "벨\x07소리"), 400, 'VALIDATION_FAILED', 'a control character (BEL): 400');
error_is(chat_post($cid, $tok, "tab\there"), 400, 'VALIDATION_FAILED', 'a tab inside: 400 (only newlines are allowed)');
error_is(chat_post($cid, $tok, "nul\x{0}byte"), 400, 'VALIDATION_FAILED', 'a NUL character: 400');
error_is(chat_post($cid, $tok, "c1\x{85}control"), 400, 'VALIDATION_FAILED', 'a C1 control (U+0085): 400');
error_is(api(POST => $p, { text => 5 }, token => $tok), 400, 'VALIDATION_FAILED', 'text not a string: 400');
error_is(api(POST => $p, {}, token => $tok), 400, 'VALIDATION_FAILED', 'no text: 400');
error_is(api(POST => $p, undef, token => $tok, raw => '{"text":'), 400, 'INVALID_JSON', 'broken JSON: 400');
error_is(api(POST => $p, { text => 'hi' }), 401, 'UNAUTHORIZED', 'no token: 401');
error_is(chat_page($cid, $tok, limit => 0), 400, 'VALIDATION_FAILED', 'limit=0: 400');
error_is(chat_page($cid, $tok, limit => 101), 400, 'VALIDATION_FAILED', 'limit=101: 400');
error_is(chat_page($cid, $tok, before => 'bogus'), 400, 'VALIDATION_FAILED', 'a bad before: 400');
error_is(chat_post(999_999, $tok, 'hi'), 404, 'NOT_FOUND', 'an unknown community: 404');

# ---- members only ----
my $stranger = signup(name => '지나가는 사람');
error_is(chat_post($cid, $stranger->{access_token}, '안녕'), 403, 'FORBIDDEN', 'a non-member posts: 403');
error_is(chat_page($cid, $stranger->{access_token}), 403, 'FORBIDDEN', 'a non-member reads (public community): 403');
my $pc = chat_community(is_private => 1);
my $pcid = $pc->{community}{id};
res_is(chat_post($pcid, $pc->{owner}{access_token}, '비밀 이야기'), 201, 'the owner of a private community posts');
error_is(chat_page($pcid, $stranger->{access_token}), 403, 'FORBIDDEN', 'a stranger reads a private chat: 403');
error_is(chat_post($pcid, $stranger->{access_token}, '안녕'), 403, 'FORBIDDEN', 'a stranger posts in a private chat: 403');

# ---- a rename reaches the sender shown on new reads ----
res_is(api(PATCH => '/api/v1/users/me', { name => '새이름' }, token => $tok), 200, 'the member renames');
ok(wait_until(30, sub {
    my $l = chat_page($cid, $tok, limit => 100);
    my @mine = grep { $_->{sender}{id} == $m->{user}{id} } @{ $l->{json}{items} // [] };
    return @mine && !grep { $_->{sender}{name} ne '새이름' } @mine;
}), 'every message of the member now shows the new name');
$r = chat_post($cid, $tok, '이름 바꿨어요');
is($r->{json}{sender}{name}, '새이름', 'a new message carries the new name');

done_testing;
