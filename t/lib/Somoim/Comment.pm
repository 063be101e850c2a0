# Somoim::Comment — helpers for the comment and like tests (t/43x-*.t, t/44x-*.t, t/45x-*.t).
#
# The one design decision: these tests go through the real event path for everything the
# comment and like services only copy. A community is created at the community service,
# members join at the member service, and a test uses them only once somoim-comment-events
# and somoim-like-events have copied them (polled through the MariaDB admin socket). Posts
# come from the board service when it runs in the stack (POST /communities/{id}/posts);
# otherwise a test publishes the board's v1.event.post-created itself with somoim-kafka
# produce -- the same event the board's outbox would send. Nothing is written behind the
# services' backs.

package Somoim::Comment;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(comment_sql like_sql comment_community add_member make_post comment_delete_post
    comments_of add_comment like_put like_delete outbox_events);

use JSON::PP ();
use Somoim::Test;
use Somoim::Community qw(create_community);
use Somoim::Kafka qw(kafka_tool unique_base);

my $JSON = JSON::PP->new->utf8->canonical;


# comment_sql($sql) / like_sql($sql) → rows (array refs) of the comment / like schema.
sub comment_sql { return db_sql('comment', @_) }
sub like_sql    { return db_sql('like', @_) }

# _wait_both($what, $sql_comment, $sql_like): until both schemas answer a true first value.
sub _wait_both {
    my ($what, $csql, $lsql) = @_;
    my $ok = wait_until(30, sub {
        my @c = comment_sql($csql);
        return 0 unless @c && $c[0][0];
        my @l = like_sql($lsql // $csql);
        return @l && $l[0][0];
    });
    croak "$what did not reach the comment and like schemas within 30 s" unless $ok;
}

# comment_community(%over) → { community, owner => signup result } once both schemas know the
# community and its owner. %over goes to the community body (is_private => 1 for private).
sub comment_community {
    my (%over) = @_;
    my $owner = signup(name => "주인 $$");
    $over{is_private} = $over{is_private} ? JSON::PP::true : JSON::PP::false
        if exists $over{is_private};
    my $c = create_community($owner->{access_token}, %over);
    my $sql = sprintf "SELECT COUNT(*) FROM copy_members WHERE community_id = %d AND user_id = %d"
        . " AND role = 'owner'", $c->{id}, $owner->{user}{id};
    _wait_both("community $c->{id} and its owner", $sql);
    return { community => $c, owner => $owner };
}

# add_member($community_id, $role ('member' or 'admin'), $owner_token, %signup) → the new
# user's signup result, once both schemas hold the membership with that role.
sub add_member {
    my ($cid, $role, $owner_token, %over) = @_;
    my $u = signup(%over);
    my $r = api(POST => "/api/v1/communities/$cid/members", undef, token => $u->{access_token});
    croak "join failed:\n" . dump_res($r) unless $r->{status} == 201;
    if ($role eq 'admin') {
        $r = api(PATCH => "/api/v1/communities/$cid/members/$u->{user}{id}", { role => 'admin' },
            token => $owner_token);
        croak "role change failed:\n" . dump_res($r) unless $r->{status} == 200;
    }
    my $sql = sprintf "SELECT COUNT(*) FROM copy_members WHERE community_id = %d AND user_id = %d"
        . " AND role = '%s'", $cid, $u->{user}{id}, $role;
    _wait_both("user $u->{user}{id}'s membership ($role)", $sql);
    return $u;
}

sub _board_runs {
    return $ENV{SOMOIM_RUN} && -e "$ENV{SOMOIM_RUN}/pid/board-1.pid";
}

my $POST_SEQ = 0;

# make_post($community_id, $author (a signup result), %opt) → post id, once both schemas have
# the post. title => ... (default a Korean title).
sub make_post {
    my ($cid, $author, %opt) = @_;
    my $title = $opt{title} // "글 $$-" . ++$POST_SEQ;
    my $id;
    if (_board_runs()) {
        # The board learns of the community and the membership through its own copies: a
        # 403/404 for a moment after the community was made is expected.
        my $r;
        wait_until(30, sub {
            $r = api(POST => "/api/v1/communities/$cid/posts", { title => $title, body => '본문' },
                token => $author->{access_token});
            return $r->{status} != 403 && $r->{status} != 404;
        });
        croak "post create failed:\n" . dump_res($r) unless $r->{status} == 201;
        $id = $r->{json}{id};
    } else {
        $id = unique_base() + ++$POST_SEQ;
        _produce('post-created', $id, { id => $id, community_id => $cid + 0,
            author_id => $author->{user}{id} + 0, title => $title, body => '본문',
            created_at => '2026-01-01T00:00:00Z', updated_at => '2026-01-01T00:00:00Z',
            version => 1 });
    }
    _wait_both("post $id",
        sprintf('SELECT COUNT(*) FROM posts WHERE id = %d AND deleted = 0', $id),
        sprintf("SELECT COUNT(*) FROM targets WHERE target_type = 'post' AND target_id = %d"
            . ' AND deleted = 0', $id));
    return $id;
}

# comment_delete_post($post_id, $community_id, $author) → once both schemas have the tombstone.
sub comment_delete_post {
    my ($id, $cid, $author) = @_;
    if (_board_runs()) {
        my $r = api(DELETE => "/api/v1/posts/$id", undef, token => $author->{access_token});
        croak "post delete failed:\n" . dump_res($r) unless $r->{status} == 204;
    } else {
        _produce('post-deleted', $id, { id => $id + 0, community_id => $cid + 0,
            author_id => $author->{user}{id} + 0, version => 2 });
    }
    _wait_both("the deletion of post $id",
        sprintf('SELECT COUNT(*) FROM posts WHERE id = %d AND deleted = 1', $id),
        sprintf("SELECT COUNT(*) FROM targets WHERE target_type = 'post' AND target_id = %d"
            . ' AND deleted = 1', $id));
}

sub _produce {
    my ($type, $key, $data) = @_;
    my ($rc, $out) = kafka_tool('produce', "v1.event.$type", '--type', $type, '--key', $key,
        '--source', 'board', '--data', $JSON->encode($data));
    croak "somoim-kafka produce $type failed ($rc)" if $rc != 0;
}

# add_comment($post_id, $token, $body) → the response.
sub add_comment {
    my ($pid, $tok, $body) = @_;
    return api(POST => "/api/v1/posts/$pid/comments", { body => $body }, token => $tok);
}

# comments_of($post_id, $token, $limit) → every comment (follows the cursors), or undef
# unless every page is 200.
sub comments_of {
    my ($pid, $tok, $limit) = @_;
    $limit //= 100;
    my (@all, $cursor);
    for (1 .. 1000) {
        my $q = defined $cursor ? '&' . query(cursor => $cursor) : '';
        my $r = api(GET => "/api/v1/posts/$pid/comments?limit=$limit$q", undef, token => $tok);
        return undef unless $r->{status} == 200;
        push @all, @{ $r->{json}{items} };
        $cursor = $r->{json}{next_cursor};
        last unless defined $cursor;
    }
    return \@all;
}

# like_put($type, $id, $token) / like_delete(...) → the response of PUT / DELETE /likes/$type/$id.
sub like_put {
    my ($t, $id, $tok) = @_;
    return api(PUT => "/api/v1/likes/$t/$id", undef, token => $tok);
}
sub like_delete {
    my ($t, $id, $tok) = @_;
    return api(DELETE => "/api/v1/likes/$t/$id", undef, token => $tok);
}

# outbox_events($schema ('comment', 'like' or 'board'), $topic, $key) → the event envelopes (decoded)
# that schema's outbox holds for that topic and key, in outbox order.
sub outbox_events {
    my ($schema, $topic, $key) = @_;
    croak 'bad schema' unless $schema =~ /\A(?:comment|like|board)\z/;
    croak 'bad key' unless $key =~ /\A[a-z0-9:]+\z/;
    my $sql = sprintf "SELECT payload FROM outbox WHERE topic = '%s' AND msg_key = '%s'"
        . ' ORDER BY id', $topic, $key;
    my @rows = db_sql($schema, $sql, 1);
    my $dec = JSON::PP->new->canonical;             # rows are already decoded characters
    return map { $dec->decode($_->[0]) } @rows;
}

1;
