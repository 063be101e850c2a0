# t/460-account-deletion.t — leaving the platform (회원 탈퇴), end to end over HTTP and Kafka.
# A member with a post, comments, likes, a seat, a waitlist place and a wish deletes the
# account with the password re-entered: its access tokens are refused at once by every
# service, the refresh token and login stop working, the membership ends (member_count
# exact), the seat goes to the first waitlisted, the waitlist place is given back, the likes
# go with exact counts (also in the read model), posts and comments stay with the neutral
# author "탈퇴한 회원" (no image) in the board, the read model (and its rebuild) and the
# comments; then no text column of any somoim_* schema holds the email, name or image,
# and no refresh token row is left. An owner gets 409 OWNER_OF_COMMUNITY, a wrong password
# 401, and the email can sign up again (a new id).
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;
use Somoim::Board qw(query_sql rebuild_read_model);
use Somoim::Kafka qw(kafka_tool);
use Somoim::Schedule qw(wait_community wait_member new_schedule attend schedule_get schedule_sql);

my $NEUTRAL = '탈퇴한 회원';
my $tag = "x$$" . int(rand 1e6);
my $image = "https://img.example/leaver-$tag.png";

my $bc = comment_community();
my $cid = $bc->{community}{id};
my $owner = $bc->{owner};
my $leaver = add_member($cid, 'member', $owner->{access_token},
    name => "떠날이 $tag", profile_image => $image);
my $waiter = add_member($cid, 'member', $owner->{access_token});
my $lid = $leaver->{user}{id};
ok(wait_community($cid) && wait_member($cid, $lid) && wait_member($cid, $waiter->{user}{id}),
    'the schedule schema knows the community and both members');

# ---- the leaver's footprint ----
my $own_post = make_post($cid, $leaver, title => "떠날이의 글 $$");
my $other_post = make_post($cid, $owner, title => '주인의 글');
res_is(add_comment($own_post, $leaver->{access_token}, '내 글에 댓글'), 201, 'a comment on its own post');
res_is(add_comment($other_post, $leaver->{access_token}, '남의 글에 댓글'), 201, 'a comment on another post');
res_is(like_put(post => $_, $leaver->{access_token}), 200, "a like of post $_") for $own_post, $other_post;
res_is(like_put(post => $own_post, $owner->{access_token}), 200, 'the owner likes the post too');
my $seat = new_schedule($cid, $owner->{access_token}, max_participants => 1);
my $queue = new_schedule($cid, $owner->{access_token}, max_participants => 1);
is(attend($seat->{id}, $leaver->{access_token})->{json}{status}, 'attending', 'the leaver has the seat');
is(attend($seat->{id}, $waiter->{access_token})->{json}{status}, 'waitlisted', 'the other waits for it');
is(attend($queue->{id}, $owner->{access_token})->{json}{status}, 'attending', 'the owner has the other seat');
is(attend($queue->{id}, $leaver->{access_token})->{json}{status}, 'waitlisted', 'the leaver waits for it');
res_is(api(PUT => "/api/v1/users/me/wishlist/$cid", undef, token => $leaver->{access_token}), 204,
    'the leaver wishes for the community');
my $count_before = api(GET => "/api/v1/communities/$cid", undef, token => $owner->{access_token})
    ->{json}{member_count};
is($count_before, 3, 'member_count 3 before');
ok(wait_until(30, sub {
    my $p = api(GET => "/api/v1/posts/$own_post", undef, token => $owner->{access_token});
    return $p->{status} == 200 && $p->{json}{author}{name} eq "떠날이 $tag" && $p->{json}{like_count} == 2;
}), 'the read model has the post with its author and 2 likes');

# ---- refused: no password, a wrong one, an owner ----
error_is(api(DELETE => '/api/v1/users/me', {}, token => $leaver->{access_token}), 400,
    'VALIDATION_FAILED', 'no password: 400');
error_is(api(DELETE => '/api/v1/users/me', { password => 'not-the-password' },
    token => $leaver->{access_token}), 401, 'BAD_CREDENTIALS', 'a wrong password: 401');
error_is(api(DELETE => '/api/v1/users/me', { password => $leaver->{password} }), 401,
    'UNAUTHORIZED', 'no access token: 401');
ok(wait_until(30, sub {
    scalar db_sql('user', "SELECT 1 FROM copy_communities WHERE id = $cid AND deleted = 0");
}), 'the user schema knows who owns the community');
my $r = api(DELETE => '/api/v1/users/me', { password => $owner->{password} },
    token => $owner->{access_token});
error_is($r, 409, 'OWNER_OF_COMMUNITY', 'the owner: 409');
is_deeply([map { $_->{id} } @{ $r->{json}{error}{communities} || [] }], [$cid],
    'the 409 names the community');
like($r->{json}{error}{message}, qr/\Q$bc->{community}{name}\E/, 'and its name is in the message');
res_is(api(GET => '/api/v1/users/me', undef, token => $owner->{access_token}), 200,
    'the owner still has the account');

# The search below finds the account while it exists (so its silence later means something).
my @before = traces($leaver->{email}, $tag);
ok((grep { /^somoim_user\.users / } @before) && (grep { /^somoim_board_query\.posts_view / } @before)
    && (grep { /^somoim_comment\./ } @before), 'before: the account is found in the schemas')
    or diag "found in: @before";

# ---- the deletion ----
$r = api(DELETE => '/api/v1/users/me', { password => $leaver->{password} },
    token => $leaver->{access_token});
res_is($r, 204, 'the member deletes the account: 204');

# The access token, on the next request, at every service (the bound: none).
my $tok = $leaver->{access_token};
for my $req (
    [GET => '/api/v1/users/me'], [GET => '/api/v1/users/me/communities'],
    [GET => '/api/v1/users/me/wishlist'], [GET => "/api/v1/posts/$own_post"],
    [POST => "/api/v1/communities/$cid/posts", { title => 't', body => 'b' }],
    [POST => "/api/v1/posts/$other_post/comments", { body => 'b' }],
    [PUT => "/api/v1/likes/post/$other_post"], [GET => "/api/v1/schedules/$seat->{id}"],
    [POST => '/api/v1/communities', { name => 'x' }]) {
    my ($m, $path, $body) = @$req;
    error_is(api($m => $path, $body, token => $tok), 401, 'UNAUTHORIZED',
        "the deleted account's access token is refused at once: $m $path");
}
error_is(api(POST => '/api/v1/auth/refresh', { refresh_token => $leaver->{refresh_token} }), 401,
    'UNAUTHORIZED', 'its refresh token is refused');
error_is(login($leaver->{email}, $leaver->{password}), 401, 'BAD_CREDENTIALS', 'its login is refused');
my ($n) = db_sql('user', "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = $lid");
is($n->[0], 0, 'no refresh token row of the account is left');

# ---- every service's copy ----
ok(wait_until(30, sub {
    api(GET => "/api/v1/communities/$cid", undef, token => $owner->{access_token})
        ->{json}{member_count} == 2;
}), 'member_count is exact: 2');
my $members = api(GET => "/api/v1/communities/$cid/members", undef, token => $owner->{access_token});
ok(!(grep { $_->{member_id} == $lid } @{ $members->{json}{items} }), 'the member list has no trace of it');
ok(wait_until(30, sub {
    my $s = schedule_get($seat->{id}, $owner->{access_token})->{json};
    return $s->{participant_count} == 1 && $s->{waitlist_count} == 0
        && $s->{attendees}[0]{member_id} == $waiter->{user}{id};
}), 'its seat went to the first waitlisted');
ok(wait_until(30, sub {
    my $s = schedule_get($queue->{id}, $owner->{access_token})->{json};
    return $s->{waitlist_count} == 0 && $s->{participant_count} == 1;
}), 'its waitlist place is given back');
my ($places) = schedule_sql("SELECT COUNT(*) FROM attendances WHERE user_id = $lid");
is($places->[0], 0, 'no attendance row of it is left');
ok(wait_until(30, sub {
    my ($l) = like_sql("SELECT COUNT(*) FROM likes WHERE user_id = $lid");
    return $l->[0] == 0;
}), 'its likes are gone');
my ($lc) = like_sql("SELECT like_count FROM targets WHERE target_type = 'post' AND target_id = $own_post");
is($lc->[0], 1, 'like_count exact on its post: 1 (the owner)');
($lc) = like_sql("SELECT like_count FROM targets WHERE target_type = 'post' AND target_id = $other_post");
is($lc->[0], 0, 'like_count exact on the other post: 0');
my ($wish) = community_sql_rows("SELECT COUNT(*) FROM wishlist WHERE user_id = $lid");
is($wish->[0], 0, 'its wish is gone');

my $post;
ok(wait_until(30, sub {
    $post = api(GET => "/api/v1/posts/$own_post", undef, token => $owner->{access_token})->{json};
    return $post->{author}{name} eq $NEUTRAL && $post->{like_count} == 1;
}), 'the read model: its post stays, by "탈퇴한 회원", with like_count 1');
is($post->{author}{profile_image}, undef, 'with no image');
is($post->{title}, "떠날이의 글 $$", 'and its title');
my $list = api(GET => "/api/v1/communities/$cid/posts", undef, token => $owner->{access_token})->{json};
my ($in_list) = grep { $_->{id} == $own_post } @{ $list->{items} };
is($in_list->{author}{name}, $NEUTRAL, 'the post list shows the neutral author');
ok(wait_until(30, sub {
    my $o = api(GET => "/api/v1/posts/$other_post", undef, token => $owner->{access_token})->{json};
    return $o->{like_count} == 0;
}), 'the read model: the other post settles on like_count 0');
$r = api(PATCH => "/api/v1/posts/$other_post", { title => '주인의 글 (수정)' }, token => $owner->{access_token});
res_is($r, 200, 'the board still edits posts');
my @mine = grep { $_->{body} =~ /댓글/ } map { @{ comments_of($_, $owner->{access_token}) } } $own_post, $other_post;
is(scalar @mine, 2, 'its two comments stay');
is_deeply([map { [$_->{author}{name}, $_->{author}{profile_image}] } @mine],
    [[$NEUTRAL, undef], [$NEUTRAL, undef]], 'each by "탈퇴한 회원" with no image');
my ($rc, $out) = rebuild_read_model();
is($rc, 0, 'the read model rebuilds') or diag $out;
$post = api(GET => "/api/v1/posts/$own_post", undef, token => $owner->{access_token})->{json};
is_deeply([$post->{author}{name}, $post->{author}{profile_image}, $post->{like_count}],
    [$NEUTRAL, undef, 1], 'after the rebuild: the same neutral author and count');

# ---- nothing of the account in any schema ----
ok(wait_until(30, sub {
    my ($p) = db_sql('member', "SELECT COUNT(*) FROM copy_profiles WHERE user_id = $lid AND name <> '$NEUTRAL'");
    return $p->[0] == 0;
}), 'the member schema has dropped the profile');
my @found = traces($leaver->{email}, $tag);
is_deeply(\@found, [], 'no text column of any somoim_* schema holds its email, name or image')
    or diag "found in: @found";

# ---- the email again ----
my $again = signup(email => $leaver->{email}, name => '다시 온 사람');
isnt($again->{user}{id}, $lid, 'the email signs up again, as a new account (a new id)');
res_is(api(GET => '/api/v1/users/me', undef, token => $again->{access_token}), 200,
    'and its token works');

# ---- a second user-deleted for the same account (a re-driven dead letter, a replay with a
# new id): every handler finds nothing left to do, the counts stay where they are ----
my ($prc, $pout) = kafka_tool('produce', 'v1.event.user-deleted', '--type', 'user-deleted',
    '--key', $lid, '--source', 'user', '--data', qq({"user_id":$lid,"version":99}));
is($prc, 0, 'a second user-deleted is sent');
my ($eid) = $pout =~ /([0-9a-f-]{36})/;
ok(wait_until(30, sub {
    for my $schema (qw(member community like comment board board_query schedule)) {
        my ($n) = db_sql($schema, "SELECT COUNT(*) FROM processed_events WHERE event_id = '$eid'");
        return 0 unless $n->[0];
    }
    return 1;
}), 'every daemon has processed it');
is(api(GET => "/api/v1/communities/$cid", undef, token => $owner->{access_token})->{json}{member_count},
    2, 'member_count still 2');
($lc) = like_sql("SELECT like_count FROM targets WHERE target_type = 'post' AND target_id = $own_post");
is($lc->[0], 1, 'like_count still 1');
is(schedule_get($seat->{id}, $owner->{access_token})->{json}{participant_count}, 1,
    'the seat still taken by the promoted member');
my ($cp) = db_sql('comment', "SELECT name FROM copy_profiles WHERE user_id = $lid");
is($cp->[0], $NEUTRAL, 'the author stays neutral');

done_testing;

sub community_sql_rows { return db_sql('community', @_) }

# traces(@needles) → "db.table (n)" for every table of every somoim_* schema with a text
# column holding one of @needles.
sub traces {
    my (@needles) = @_;
    my @found;
    for my $db (map { $_->[0] } db_sql('user', "SELECT schema_name FROM information_schema.schemata"
        . " WHERE schema_name LIKE 'somoim\\_%'")) {
        (my $schema = $db) =~ s/^somoim_//;
        my %cols;
        push @{ $cols{$_->[0]} }, $_->[1] for db_sql($schema, "SELECT table_name, column_name FROM"
            . " information_schema.columns WHERE table_schema = '$db' AND data_type IN"
            . " ('char','varchar','tinytext','text','mediumtext','longtext','json','enum','set')");
        for my $t (sort keys %cols) {
            my $where = join ' OR ', map { my $c = $_; map { "`$c` LIKE '%$_%'" } @needles } @{ $cols{$t} };
            my ($hits) = db_sql($schema, "SELECT COUNT(*) FROM `$t` WHERE $where");
            push @found, "$db.$t ($hits->[0])" if $hits->[0];
        }
    }
    return @found;
}
