# t/546-chat-community-deleted.t — a deleted community's chat is purged: its messages (102,
# in two bucket collections) and its own collection are dropped from FerretDB (seen over the
# wire protocol, not through the service), its streams are closed and refused, its history
# answers 404, and another community is untouched. The event arrives while FerretDB is
# stopped: the daemon retries until it is back. A redelivered deletion, and late events about
# the community (an update, a join, a member's rename), bring nothing back.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Chat;
use Somoim::Kafka;

my $build = $ENV{SOMOIM_BUILD} or die 'SOMOIM_BUILD is not set';
my $COLLS = "$build/t/helpers/mongo-colls";
my $uri = conf('mongo', 'uri');

# colls($cid) → the names of community $cid's collections in FerretDB, c<id> and c<id>_b*,
# whichever of the chat's databases holds them.
sub colls {
    my ($cid) = @_;
    open my $fh, '-|', $COLLS, $uri, 'somoim_chat', "c$cid" or die "mongo-colls: $!";
    my @n = grep { $_ eq "c$cid" || /\Ac${cid}_b[0-9]+\z/ } map { chomp; s/\A[^.]*\.//r } <$fh>;
    close $fh or die "mongo-colls failed ($?)";
    return [sort @n];
}

my $dc = chat_community();
my $did = $dc->{community}{id};
my $owner = $dc->{owner};
my $m = chat_join($did, name => '사라질 방 회원');
my $kc = chat_community();
my $kid = $kc->{community}{id};

my @ok = parallel(3, sub {
    my ($i) = @_;
    my $tok = ($owner, $m, $owner)[$i]{access_token};
    return scalar grep { chat_post($did, $tok, "지워질 $i-$_")->{status} == 201 } 1 .. 34;
});
my $posted = 0;
$posted += $_ for @ok;
is($posted, 102, '102 messages in the community to be deleted');
my @kept = map { chat_post($kid, $kc->{owner}{access_token}, "남을 메시지 $_")->{json}{id} } 1 .. 3;
is_deeply(colls($did), [sort "c$did", "c${did}_b0", "c${did}_b1"],
    'FerretDB holds its collection and two buckets');
is_deeply(colls($kid), [sort "c$kid", "c${kid}_b0"], 'and the other community\'s');

my $es = stream_open($did, $m->{access_token});
my $ws = stream_open($did, $owner->{access_token}, ws => 1);
is($es->{status}, 200, 'an EventSource is open');
is($ws->{status}, 101, 'a WebSocket is open');

# The deletion reaches the chat's daemon while FerretDB is stopped.
my $log_from = scalar(my @l = daemon_log('chat-events'));
ok(stack('stop', 'ferretdb'), 'FerretDB stopped');
res_is(api(DELETE => "/api/v1/communities/$did", undef, token => $owner->{access_token}),
    204, 'the owner deletes the community');
ok(wait_until(30, sub {
    my @lines = daemon_log('chat-events');
    grep { /c$did\b/ } @lines[$log_from .. $#lines];
}), 'the daemon tried while FerretDB was down (and logged it)');
ok(stack('start', 'ferretdb'), 'FerretDB started again');

ok(wait_until(30, sub { !@{ colls($did) } }), 'then every collection of the community is dropped');
ok(wait_until(10, sub { stream_read($es, 0.2, 99); $es->{eof} }), 'its EventSource is closed');
ok(wait_until(10, sub { stream_read($ws, 0.2, 99); $ws->{eof} }), 'its WebSocket is closed');
error_is(chat_page($did, $m->{access_token}), 404, 'NOT_FOUND', 'its history: 404');
error_is(chat_page($did, $owner->{access_token}, after => '0000000000000-0000000001'), 404,
    'NOT_FOUND', 'after=: 404');
error_is(chat_post($did, $owner->{access_token}, '아무도 없나요'), 404, 'NOT_FOUND', 'a post: 404');
is(stream_open($did, $m->{access_token})->{status}, 404, 'an EventSource reconnect: 404');
is(stream_open($did, $owner->{access_token}, ws => 1)->{status}, 404, 'a WebSocket reconnect: 404');
is_deeply(colls($did), [], 'those requests created nothing');

is_deeply(colls($kid), [sort "c$kid", "c${kid}_b0"], 'the other community keeps its collections');
my $hist = chat_history($kid, $kc->{owner}{access_token}, 50);
is_deeply([map { $_->{id} } @$hist], [reverse @kept], 'and its history');

# Redelivery and late events: new event ids, so only the handlers' own guards stand.
my @ids;
for my $ev (
    ['v1.event.community-deleted', 'community-deleted', "c$did", qq({"id":$did})],
    ['v1.event.community-updated', 'community-updated', "c$did",
        qq({"id":$did,"version":1000000,"is_private":false,"name":"late"})],
    ['v1.event.member-joined', 'member-joined', "c$did",
        qq({"community_id":$did,"user_id":$m->{user}{id},"seq":1000000,"role":"member"})],
    ['v1.event.user-updated', 'user-updated', "u$m->{user}{id}",
        qq({"user_id":$m->{user}{id},"name":"늦은 이름","profile_image":null,"version":1000000})],
) {
    my ($topic, $type, $key, $data) = @$ev;
    my ($rc, $out) = kafka_tool('produce', $topic, '--type', $type, '--key', $key, '--data', $data);
    is($rc, 0, "a late $type produced");
    push @ids, grep { /^[0-9a-f-]{36}\z/ } split /\n/, $out;
}
is(scalar @ids, 4, 'four event ids');
my $in = join ',', map { "'$_'" } @ids;
ok(wait_until(30, sub {
    (db_sql('chat', "SELECT COUNT(*) FROM processed_events WHERE event_id IN ($in)"))[0][0] == 4;
}), 'the daemon applied all four');
is_deeply(colls($did), [], 'and nothing of the deleted community came back');
error_is(chat_page($did, $m->{access_token}), 404, 'NOT_FOUND', 'its history is still 404');

done_testing;
