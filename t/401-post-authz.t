#!/usr/bin/perl
# Who may do what with posts, for stranger, member, author, admin and owner, in a public
# and a private community: members post (a stranger gets 403); everyone signed in reads a
# public community's posts, only members a private one's (the list is 403, one post 404:
# non-members see nothing); only the author edits; the author, an admin and the owner
# delete, nobody else.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Board;

my %u = map { $_ => signup(name => $_) } qw(owner admin member author stranger);
my %tok = map { $_ => $u{$_}{access_token} } keys %u;
my %id = map { $_ => $u{$_}{user}{id} } keys %u;

for my $private (0, 1) {
    my $kind = $private ? 'private' : 'public';
    my $cid = board_community($tok{owner}, $id{owner}, name => "글권한 $kind $$",
        is_private => $private ? JSON::PP::true : JSON::PP::false)->{id};
    board_join($cid, $tok{$_}, $id{$_}) for qw(admin member author);
    res_is(set_role($cid, $id{admin}, 'admin', $tok{owner}), 200, "$kind: the owner makes an admin");
    ok(wait_until(30, sub {
        my $q = "SELECT role FROM copy_members WHERE community_id = $cid AND user_id = $id{admin}";
        ((board_sql($q))[0][0] // '') eq 'admin' && ((query_sql($q))[0][0] // '') eq 'admin';
    }), "$kind: the admin role reaches both board schemas");

    # An empty board: the same rules.
    my $e = list_posts($cid, $tok{stranger});
    if ($private) {
        error_is($e, 403, 'FORBIDDEN', "$kind: the empty list for a stranger: 403");
    } else {
        res_is($e, 200, "$kind: the empty list for a stranger: 200");
        is_deeply($e->{json}, { items => [], next_cursor => undef }, "$kind: … no items, no cursor");
    }
    is_deeply(list_posts($cid, $tok{member})->{json}, { items => [], next_cursor => undef },
        "$kind: the empty list for a member: no items");

    # Posting: members only.
    error_is(create_post($cid, $tok{stranger}), 403, 'FORBIDDEN', "$kind: a stranger posting: 403");
    for my $who (qw(member admin owner)) {
        res_is(create_post($cid, $tok{$who}), 201, "$kind: the $who posts: 201");
    }
    my %post;       # one post by the author per deleter, and one to edit
    for my $what (qw(edit member admin owner author stranger)) {
        my $r = create_post($cid, $tok{author}, title => "$what 용", body => '본문');
        res_is($r, 201, "$kind: the author posts ($what)") or BAIL_OUT('cannot post');
        $post{$what} = $r->{json}{id};
    }
    ok(wait_until(30, sub { get_post($post{stranger}, $tok{author})->{status} == 200 }),
        "$kind: the posts reach the read model");

    # Reading.
    for my $who (qw(owner admin member author stranger)) {
        my $l = list_posts($cid, $tok{$who});
        my $g = get_post($post{edit}, $tok{$who});
        if ($private && $who eq 'stranger') {
            error_is($l, 403, 'FORBIDDEN', "$kind: the list for a stranger: 403");
            error_is($g, 404, 'NOT_FOUND', "$kind: a post for a stranger: 404");
        } else {
            res_is($l, 200, "$kind: the list for the $who: 200");
            is(scalar @{ $l->{json}{items} }, 9, "$kind: … all 9 posts");
            res_is($g, 200, "$kind: a post for the $who: 200");
        }
    }

    # Editing: the author only.
    for my $who (qw(owner admin member stranger)) {
        my $want = $private && $who eq 'stranger' ? [404, 'NOT_FOUND'] : [403, 'FORBIDDEN'];
        error_is(patch_post($post{edit}, $tok{$who}, { title => "by $who" }), @$want,
            "$kind: an edit by the $who: $want->[0]");
    }
    my $r = patch_post($post{edit}, $tok{author}, { body => '고친 본문' });
    res_is($r, 200, "$kind: the author edits: 200");
    is($r->{json}{body}, '고친 본문', "$kind: … the new body");
    is((board_sql("SELECT title FROM posts WHERE id = $post{edit}"))[0][0], 'edit 용',
        "$kind: refused edits changed nothing");

    # Deleting: author, admin, owner.
    for my $who (qw(member stranger)) {
        my $want = $private && $who eq 'stranger' ? [404, 'NOT_FOUND'] : [403, 'FORBIDDEN'];
        error_is(delete_post($post{$who}, $tok{$who}), @$want, "$kind: a delete by the $who: $want->[0]");
    }
    for my $who (qw(admin owner author)) {
        res_is(delete_post($post{$who}, $tok{$who}), 204, "$kind: a delete by the $who: 204");
    }
    is((board_sql("SELECT COUNT(*) FROM posts WHERE community_id = $cid AND deleted = 0"))[0][0], 6,
        "$kind: 6 posts remain");

    # Unknown community.
    error_is(create_post(999999999, $tok{owner}), 404, 'NOT_FOUND', "$kind: posting to an unknown community: 404");
    error_is(list_posts(999999999, $tok{owner}), 404, 'NOT_FOUND', "$kind: the list of an unknown community: 404");

    # A member who leaves is a stranger again.
    res_is(leave_community($cid, $tok{member}), 204, "$kind: the member leaves");
    ok(wait_until(30, sub {
        my $q = "SELECT COUNT(*) FROM copy_members WHERE community_id = $cid AND user_id = $id{member} AND role IS NOT NULL";
        (board_sql($q))[0][0] == 0 && (query_sql($q))[0][0] == 0;
    }), "$kind: the leave reaches both board schemas");
    error_is(create_post($cid, $tok{member}), 403, 'FORBIDDEN', "$kind: the one who left cannot post");
    if ($private) {
        error_is(list_posts($cid, $tok{member}), 403, 'FORBIDDEN', "$kind: … nor list");
    } else {
        res_is(list_posts($cid, $tok{member}), 200, "$kind: … but still reads a public community");
    }
}

done_testing;
