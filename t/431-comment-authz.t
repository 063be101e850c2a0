# t/431-comment-authz.t — who may do what with comments, in a public and a private
# community: stranger, member, comment author, admin, owner.
#
#                      public community         private community
#   list               everyone 200             members 200, stranger 403
#   write              members 201, stranger 403 (both)
#   delete another's   owner/admin 204, member/stranger 403; the author always 204
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Comment;

for my $private (0, 1) {
    my $kind = $private ? 'private' : 'public';
    my $bc = comment_community(is_private => $private);
    my $cid = $bc->{community}{id};
    my %u = (owner => $bc->{owner});
    $u{admin}    = add_member($cid, 'admin', $u{owner}{access_token});
    $u{member}   = add_member($cid, 'member', $u{owner}{access_token});
    $u{author}   = add_member($cid, 'member', $u{owner}{access_token});
    $u{stranger} = signup();
    my $pid = make_post($cid, $u{owner});

    # ---- write ----
    for my $who (qw(owner admin member author)) {
        res_is(add_comment($pid, $u{$who}{access_token}, "$who 의 댓글"), 201,
            "$kind: $who writes a comment: 201");
    }
    error_is(add_comment($pid, $u{stranger}{access_token}, '낯선 이'), 403, 'FORBIDDEN',
        "$kind: a stranger cannot comment: 403");

    # ---- list ----
    for my $who (qw(owner admin member author)) {
        my $r = api(GET => "/api/v1/posts/$pid/comments", undef, token => $u{$who}{access_token});
        res_is($r, 200, "$kind: $who lists the comments: 200");
    }
    my $r = api(GET => "/api/v1/posts/$pid/comments", undef, token => $u{stranger}{access_token});
    if ($private) {
        error_is($r, 403, 'FORBIDDEN', 'private: a stranger cannot list the comments: 403');
    } else {
        res_is($r, 200, 'public: a stranger lists the comments: 200');
        is(scalar @{ $r->{json}{items} }, 4, 'public: the stranger sees all 4');
    }

    # ---- delete: the author's own, others' by rank ----
    # Five comments by the author: one each for the five deleters.
    my @cs = map { add_comment($pid, $u{author}{access_token}, "지울 댓글 $_")->{json}{id} } 1 .. 5;
    error_is(api(DELETE => "/api/v1/comments/$cs[0]", undef, token => $u{stranger}{access_token}),
        403, 'FORBIDDEN', "$kind: a stranger cannot delete another's comment: 403");
    error_is(api(DELETE => "/api/v1/comments/$cs[0]", undef, token => $u{member}{access_token}),
        403, 'FORBIDDEN', "$kind: a member cannot delete another's comment: 403");
    is(api(DELETE => "/api/v1/comments/$cs[0]", undef, token => $u{author}{access_token})->{status},
        204, "$kind: the author deletes the own comment: 204");
    is(api(DELETE => "/api/v1/comments/$cs[1]", undef, token => $u{admin}{access_token})->{status},
        204, "$kind: an admin deletes another's comment: 204");
    is(api(DELETE => "/api/v1/comments/$cs[2]", undef, token => $u{owner}{access_token})->{status},
        204, "$kind: the owner deletes another's comment: 204");
    my $left = comments_of($pid, $u{owner}{access_token});
    is_deeply([grep { my $id = $_; grep { $_ == $id } @cs } map { $_->{id} } @$left], [@cs[3, 4]],
        "$kind: exactly the three deleted comments are gone");

    # ---- a member who leaves becomes a stranger ----
    $r = api(DELETE => "/api/v1/communities/$cid/members/me", undef,
        token => $u{member}{access_token});
    is($r->{status}, 204, "$kind: the member leaves");
    ok(wait_until(30, sub {
        my @c = comment_sql(sprintf 'SELECT COUNT(*) FROM copy_members WHERE community_id = %d'
            . ' AND user_id = %d AND role IS NOT NULL', $cid, $u{member}{user}{id});
        return $c[0][0] == 0;
    }), "$kind: the comment service hears of it");
    error_is(add_comment($pid, $u{member}{access_token}, '떠난 뒤'), 403, 'FORBIDDEN',
        "$kind: after leaving, writing is 403");
    my ($cnt) = comment_sql("SELECT comment_count FROM posts WHERE id = $pid");
    is($cnt->[0], 6, "$kind: comment_count is 6 (4 + 5 - 3)");
}

done_testing;
