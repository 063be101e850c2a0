#!/usr/bin/perl
# Each program's DB user reads only its own schema. The read model's rebuild, the one
# job that reads other schemas (board, comment, like), has a DB user of its own
# ([board_query_rebuild] of somoim.conf) that nothing else uses; and somoim-board answers
# a PATCH with the counts of its own copy, not by reading the read model.

use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Board;

sub admin_rows { return db_sql('user', $_[0]) }

# Every schema of sql/ and the user the configuration gives it.
my $top = $ENV{SOMOIM_TOP} or die 'SOMOIM_TOP is not set';
my @schemas = grep { $_ ne 'common' } map { m{/([^/]+)/?$} } grep { -d } glob "$top/sql/*";
ok(@schemas >= 8, 'the schemas of sql/: ' . join(' ', @schemas));

my %db_of = map { $_ => (conf($_, 'db_name') // "somoim_$_") } @schemas;
for my $svc (@schemas) {
    my $user = conf($svc, 'db_user') // "somoim_$svc";
    my @dbs = sort map { $_->[0] } admin_rows(
        "SELECT DISTINCT REPLACE(Db, '\\\\_', '_') FROM mysql.db WHERE User = '$user'");
    is_deeply(\@dbs, [ $db_of{$svc} ], "$user has rights on $db_of{$svc} only");
    my ($global) = admin_rows("SELECT COUNT(*) FROM mysql.user WHERE User = '$user'"
        . " AND (Select_priv = 'Y' OR Insert_priv = 'Y' OR Update_priv = 'Y')");
    is($global->[0], 0, "$user has no global rights");
    my ($tables) = admin_rows("SELECT COUNT(*) FROM mysql.tables_priv WHERE User = '$user'"
        . " AND Db <> '$db_of{$svc}'");
    is($tables->[0], 0, "$user has no table rights elsewhere");
}

# The rebuild's own user: the read model's schema, and SELECT only on its sources.
my $ruser = conf('board_query_rebuild', 'db_user');
ok(defined $ruser && $ruser ne (conf('board_query', 'db_user') // 'somoim_board_query'),
    'somoim.conf has a separate [board_query_rebuild] DB user');
ok(length(conf('board_query_rebuild', 'db_password') // '') >= 16, 'with its own password');
my %r = map { $_->[0] => $_ } admin_rows("SELECT REPLACE(Db, '\\\\_', '_'), Select_priv,"
    . " Insert_priv, Update_priv, Delete_priv FROM mysql.db WHERE User = '$ruser'"
    . " AND Host = 'localhost'");
is_deeply([ @{ $r{ $db_of{board_query} } || [] }[1 .. 4] ], [qw(Y Y Y Y)],
    'the rebuild user writes the read model');
for my $src (qw(board comment like)) {
    is_deeply([ @{ $r{ $db_of{$src} } || [] }[1 .. 4] ], [qw(Y N N N)],
        "the rebuild user may only SELECT $db_of{$src}");
}

# The rebuild still works with it (and only it: the live user could not read the sources).
my ($rc, $out) = rebuild_read_model();
is($rc, 0, 'somoim-board-projector rebuild succeeds with its own user') or diag($out);

# --- the board's own counts -----------------------------------------------------------------------

my $owner = signup(name => '방장');
my $tok = $owner->{access_token};
my $cid = board_community($tok, $owner->{user}{id}, name => "권한 $$")->{id};
my $post = create_post($cid, $tok, title => '셀 수 있나요', body => '좋아요 하나, 댓글 하나');
res_is($post, 201, 'the owner posts') or BAIL_OUT('no post');
my $pid = $post->{json}{id};

# The like and comment services learn of the post from its event first.
ok(wait_until(30, sub {
    api(PUT => "/api/v1/likes/post/$pid", undef, token => $tok)->{status} == 200
}), 'the owner likes the post');
ok(wait_until(30, sub {
    api(POST => "/api/v1/posts/$pid/comments", { body => '첫 댓글' }, token => $tok)->{status} == 201
}), 'the owner comments on it');
ok(wait_until(30, sub {
    my ($row) = board_sql("SELECT like_count, comment_count FROM posts WHERE id = $pid");
    $row && "$row->[0]/$row->[1]" eq '1/1';
}), 'the board schema\'s copy of the counts reaches 1 like, 1 comment');
my $p = patch_post($pid, $tok, { title => '고쳤어요' });
res_is($p, 200, 'the author edits the post');
is("$p->{json}{like_count}/$p->{json}{comment_count}", '1/1',
    'the PATCH answer carries the counts from the board\'s own copy');

done_testing();
