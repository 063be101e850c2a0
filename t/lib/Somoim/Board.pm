# Somoim::Board — helpers for the board tests (t/40x-*.t): posts written at somoim-board,
# read from somoim-board-query's read model.
#
# The one design decision: everything goes through the real event path.  A community and
# its members are used only once both board schemas have their copies (community service /
# member service → outbox → relay → Kafka → board-events and board-projector), and reads of
# the read model are polled (wait_post) until the projection has caught up, never assumed.

package Somoim::Board;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(board_sql query_sql board_community board_join create_post get_post
    list_posts patch_post delete_post wait_post wait_copies rebuild_read_model);

use Somoim::Test;
use Somoim::Member;

sub board_sql { return db_sql('board', $_[0]) }
sub query_sql { return db_sql('board_query', $_[0]) }

# wait_copies($cid, @user_ids): true once both board schemas know the community and each
# user as a member (≤ 15 s).
sub wait_copies {
    my ($cid, @uids) = @_;
    my $want = 1 + @uids;
    my $in = join(',', map { int } @uids) || 0;
    my $q = sprintf 'SELECT (SELECT COUNT(*) FROM copy_communities WHERE id = %d AND deleted = 0)'
        . ' + (SELECT COUNT(*) FROM copy_members WHERE community_id = %d AND role IS NOT NULL'
        . ' AND user_id IN (%s))', $cid, $cid, $in;
    return wait_until(30, sub {
        (board_sql($q))[0][0] == $want && (query_sql($q))[0][0] == $want;
    });
}

# board_community($owner_token, $owner_id, %over) → the community, once both board schemas
# have it and its owner (dies otherwise).
sub board_community {
    my ($tok, $uid, %over) = @_;
    my $c = member_community($tok, %over);
    wait_copies($c->{id}, $uid) or croak "community $c->{id} did not reach the board copies";
    return $c;
}

# board_join($cid, $token, $user_id): joins and waits for both copies (dies otherwise).
sub board_join {
    my ($cid, $tok, $uid) = @_;
    my $r = join_community($cid, $tok);
    croak "join failed:\n" . dump_res($r) unless $r->{status} == 201;
    wait_copies($cid, $uid) or croak "member $uid of $cid did not reach the board copies";
    return $r;
}

sub create_post {
    my ($cid, $tok, %body) = @_;
    %body = (title => "글 $$", body => "본문 $$") unless %body;
    return api(POST => "/api/v1/communities/$cid/posts", \%body, token => $tok);
}
sub get_post { my ($id, $tok) = @_; return api(GET => "/api/v1/posts/$id", undef, token => $tok) }
sub list_posts {
    my ($cid, $tok, $q) = @_;
    return api(GET => "/api/v1/communities/$cid/posts" . ($q ? "?$q" : ''), undef, token => $tok);
}
sub patch_post { my ($id, $tok, $b) = @_; return api(PATCH => "/api/v1/posts/$id", $b, token => $tok) }
sub delete_post { my ($id, $tok) = @_; return api(DELETE => "/api/v1/posts/$id", undef, token => $tok) }

# wait_post($id, $token, sub { my ($res) = @_; ... }, $seconds) → the last response of
# GET /posts/{id} once the check holds (or after $seconds, default 20: the caller asserts).
sub wait_post {
    my ($id, $tok, $check, $secs) = @_;
    my $last;
    wait_until($secs // 30, sub { $last = get_post($id, $tok); $check->($last) });
    return $last;
}

# rebuild_read_model() → (exit status, output) of `somoim-board-projector rebuild`.
sub rebuild_read_model {
    my $build = $ENV{SOMOIM_BUILD} // $ENV{SOMOIM_TOP} // croak 'SOMOIM_BUILD is not set';
    my $prog = "$build/kafka-consumers/board-projector/somoim-board-projector";
    croak "$prog is not built" unless -x $prog;
    my $out = `SOMOIM_CONF="\$SOMOIM_CONF" "$prog" rebuild 2>&1`;
    return ($? >> 8, $out);
}

1;
