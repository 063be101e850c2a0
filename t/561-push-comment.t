# t/561-push-comment.t — the seed's flow end to end: a comment on my post becomes one row
# in my feed and one Web Push message to each of my subscriptions, which the push
# receiver checks as a push service would (VAPID signature against the served key, aud,
# exp, TTL) and decrypts with npm's http_ece; the payload names the commenter. The same
# event delivered again (also with its inbox row gone, so the channels' own keys are
# what holds) makes no second row and no second push. Read marks and the unread count.
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Somoim::Test;
use Somoim::Push;
use Somoim::Comment;
use Somoim::Kafka qw(kafka_tool);

start_receiver(1);
my $bc = comment_community();
my $cid = $bc->{community}{id};
my $owner = $bc->{owner};
my $m = add_member($cid, 'member', $owner->{access_token}, name => '댓글러');
my $pid = make_post($cid, $owner, title => '주말 산행 공지');
subscribe($owner, 's561a');
subscribe($owner, 's561b');
ok(wait_feed($owner, 'welcome', 1), 'the owner has the welcome notification of signup');

res_is(add_comment($pid, $m->{access_token}, '저도 갈게요!'), 201, 'a member comments on my post');

my $items = wait_feed($owner, 'comment', 1);
ok($items, 'a comment notification reaches my feed');
my $n = $items->[0];
is_deeply([sort keys %$n], [qw(body created_at id link read title type)],
    'feed item {id, type, title, body, link, read, created_at}');
like($n->{title}, qr/댓글러/, "the title names the commenter ($n->{title})");
is($n->{body}, '저도 갈게요!', 'the body is the comment');
is($n->{link}, "/posts/$pid", 'the link is the post');
ok(!$n->{read} && JSON::PP::is_bool($n->{read}), 'unread (a boolean)');
ok(is_rfc3339_utc($n->{created_at}), 'created_at is RFC 3339 UTC');
is(unread_of($owner), 2, 'unread-count 2: the welcome and the comment');
is(scalar(grep { $_->{type} eq 'comment' } @{ feed_of($m) }), 0, 'the commenter gets nothing');

for my $name (qw(s561a s561b)) {
    my $msgs;
    ok(wait_until(30, sub { $msgs = receiver_messages($name); @$msgs >= 1 }),
        "$name: a push arrived");
    is(scalar @$msgs, 1, "$name: exactly one");
    my $p = $msgs->[0];
    ok($p->{ok}, "$name: VAPID signature, aud, exp, TTL and http_ece decryption all check out")
        or diag explain $p->{errors};
    is($p->{payload}{type}, 'comment', "$name: payload type");
    like($p->{payload}{title}, qr/댓글러/, "$name: payload names the commenter");
    is($p->{payload}{id}, $n->{id}, "$name: payload id is the feed row's id");
    is($p->{payload}{link}, "/posts/$pid", "$name: payload link");
    is($p->{topic}, "n$n->{id}", "$name: Topic is the notification id");
    ok($p->{ttl} > 0, "$name: TTL $p->{ttl}");
}

# ---- my own comment on my own post: nothing ----
res_is(add_comment($pid, $owner->{access_token}, '공지 확인 부탁해요'), 201,
    'I comment on my own post');
res_is(add_comment($pid, $m->{access_token}, '두 번째'), 201, 'the member comments again');
$items = wait_feed($owner, 'comment', 2);
is(scalar @$items, 2, 'two comment notifications: the member\'s two, not mine');
is($items->[0]{body}, '두 번째', 'newest first');
ok(wait_until(30, sub { @{ receiver_messages('s561a') } >= 2 }), 'the second push arrived');

# ---- redelivery: the same envelope again ----
my ($ev) = outbox_events('comment', 'v1.event.comment-created', $pid);
my $raw = JSON::PP->new->utf8->canonical->encode($ev);
my ($rc) = kafka_tool('produce', 'v1.event.comment-created', '--key', $pid, '--raw', $raw);
is($rc, 0, 'the first comment-created produced again, same event id');
# and once more with its inbox row deleted: the channels' keys must hold on their own
ok(wait_until(30, sub { grep { /duplicate skipped: .*event_id=\Q$ev->{id}\E/ }
    Somoim::Kafka::daemon_log('push') }),
    'the daemon skipped the duplicate');
push_sql("DELETE FROM processed_events WHERE event_id = '$ev->{id}'");
($rc) = kafka_tool('produce', 'v1.event.comment-created', '--key', $pid, '--raw', $raw);
is($rc, 0, 'produced a third time after forgetting it in the inbox');
ok(wait_until(30, sub { scalar push_sql("SELECT 1 FROM processed_events WHERE event_id = '$ev->{id}'") }),
    'the daemon applied it again');
# a marker event after the redeliveries, on the same key (partition): once it is in, the
# redeliveries were handled
res_is(add_comment($pid, $m->{access_token}, '세 번째'), 201, 'a third comment');
$items = wait_feed($owner, 'comment', 3);
is(scalar @$items, 3, 'three comment rows: the redeliveries added none');
is(scalar feed_sql("SELECT 1 FROM notifications WHERE event_id = '$ev->{id}'"), 1,
    'one row for the redelivered event');
ok(wait_until(30, sub { @{ receiver_messages('s561a') } >= 3 }), 'the third push arrived');
sleep 1;
for my $name (qw(s561a s561b)) {
    my @ids = map { $_->{payload}{id} } @{ receiver_messages($name) };
    is(scalar @ids, 3, "$name: three pushes, none for the redeliveries");
    my %seen;
    is(scalar(grep { !$seen{$_}++ } @ids), 3, "$name: each notification once");
}

# ---- read ----
res_is(api(POST => "/api/v1/notifications/$n->{id}/read", undef, token => $owner->{access_token}),
    204, 'mark read: 204');
res_is(api(POST => "/api/v1/notifications/$n->{id}/read", undef, token => $owner->{access_token}),
    204, 'again: 204');
is(unread_of($owner), 3, 'unread-count 3 (the welcome and two comments)');
my ($first) = grep { $_->{id} == $n->{id} } @{ feed_of($owner) };
ok($first->{read}, 'the item shows read');
error_is(api(POST => "/api/v1/notifications/$n->{id}/read", undef, token => $m->{access_token}),
    404, 'NOT_FOUND', "someone else's notification: 404");
error_is(api(POST => '/api/v1/notifications/abc/read', undef, token => $m->{access_token}),
    404, 'NOT_FOUND', 'a non-numeric id: 404');
error_is(api(GET => '/api/v1/notifications'), 401, 'UNAUTHORIZED', 'the feed needs a token');

# ---- paging ----
my $r = api(GET => '/api/v1/notifications?limit=2', undef, token => $owner->{access_token});
res_is($r, 200, 'a page of 2');
is(scalar @{ $r->{json}{items} }, 2, 'two items');
ok($r->{json}{next_cursor}, 'a next cursor');
$r = api(GET => "/api/v1/notifications?limit=2&cursor=$r->{json}{next_cursor}", undef,
    token => $owner->{access_token});
is(scalar(grep { $_->{type} eq 'comment' } @{ $r->{json}{items} }) >= 1, 1, 'the next page');
error_is(api(GET => '/api/v1/notifications?cursor=bogus', undef, token => $owner->{access_token}),
    400, 'VALIDATION_FAILED', 'a bad cursor: 400');

done_testing();
