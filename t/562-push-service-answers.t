# t/562-push-service-answers.t — what somoim-push does with the push service's answers:
# 410 (and 404) deletes the subscription; 429 with Retry-After is retried no sooner than
# Retry-After and delivered once, while other recipients go on at once; 400 is dropped
# without retry. Order and spacing are proved by the receiver's own clock.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Push;
use Somoim::Kafka qw(kafka_tool unique_base);
use JSON::PP ();

start_receiver(2);
my ($a, $b, $c) = map { signup(name => "수신자$_") } 1 .. 3;
# Their welcome notifications are queued for the subscriptions that exist when the signup
# event is applied: wait for them first, so that only the notifications below are pushed.
ok(wait_feed($_, 'welcome', 1), "user $_->{user}{id}: welcome in the feed") for $a, $b, $c;
subscribe($a, 's562gone');
subscribe($b, 's562slow');
subscribe($c, 's562bad');
my $ep = sub {
    my ($name) = @_;
    return (push_sql("SELECT COUNT(*) FROM subscriptions WHERE endpoint LIKE '%/push/$name'"))[0][0];
};
receiver_behave('s562gone', 410, 1);
receiver_behave('s562slow', 429, 1, 2);
receiver_behave('s562bad', 400, 1);

# One notification each: a comment-created as the comment service would send it.
my $post = unique_base();
my $i = 0;
for my $u ($a, $b, $c) {
    $i++;
    my ($rc) = kafka_tool('produce', 'v1.event.comment-created', '--type', 'comment-created',
        '--key', $post + $i, '--source', 'comment', '--data', JSON::PP->new->utf8->encode({
            post_id => $post + $i, community_id => 1, post_author_id => $u->{user}{id} + 0,
            author_id => 1, author_name => '알림봇', excerpt => "테스트 $i", id => $i,
            post_title => '글', comment_count => 1, seq => 1 }));
    is($rc, 0, "a comment-created for user $i");
}

# ---- 410: the subscription is deleted ----
ok(wait_until(30, sub { @{ receiver_messages('s562gone') } >= 1 }), '410: the push was tried');
ok(wait_until(30, sub { $ep->('s562gone') == 0 }), '410: the subscription is deleted');
is($ep->('s562slow'), 1, "another user's subscription stays");

# ---- 400: dropped, no retry ----
ok(wait_until(30, sub { @{ receiver_messages('s562bad') } >= 1 }), '400: the push was tried');
is($ep->('s562bad'), 1, '400: the subscription stays');

# ---- 429 + Retry-After: 2 → retried later, delivered once ----
my $m;
ok(wait_until(30, sub { $m = receiver_messages('s562slow'); @$m >= 2 }),
    '429: retried and delivered');
is($m->[0]{status}, 429, 'the first try got 429');
is($m->[1]{status}, 201, 'the retry got 201');
ok($m->[1]{ok}, 'the retried message checks out and decrypts') or diag explain $m->[1]{errors};
is($m->[1]{payload}{id}, $m->[0]{payload}{id}, 'the same notification');
cmp_ok($m->[1]{at_ms} - $m->[0]{at_ms}, '>=', 1900, 'not before Retry-After (receiver clock)');
my ($st) = push_sql("SELECT d.state, d.attempts, d.last_status FROM deliveries d"
    . " JOIN subscriptions s ON s.id = d.subscription_id WHERE s.endpoint LIKE '%/push/s562slow'");
is_deeply($st, ['sent', 2, 201], 'the delivery row: sent after 2 attempts');
ok(wait_until(30, sub { scalar push_sql("SELECT 1 FROM deliveries WHERE state = 'dropped'"
    . ' AND last_status = 400') }), 'the 400 delivery is recorded dropped');

# the 429 did not hold up the others: the 410 and 400 answers came before the retry
my $gone = receiver_messages('s562gone')->[0]{at_ms};
my $bad = receiver_messages('s562bad')->[0]{at_ms};
cmp_ok($gone, '<', $m->[1]{at_ms}, 'the 410 recipient was served before the retry');
cmp_ok($bad, '<', $m->[1]{at_ms}, 'the 400 recipient was served before the retry');
sleep 1;
is(scalar @{ receiver_messages('s562slow') }, 2, 'no third send');
is(scalar @{ receiver_messages('s562bad') }, 1, 'the 400 was not retried');

done_testing();
