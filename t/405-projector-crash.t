#!/usr/bin/perl
# The projector killed (SIGKILL) mid-stream and restarted: the read model's counts and the
# post's content still come out exact.  While 20 members like a post, 30 comments land on it
# and 10 writers edit another post over and over, all at once through the real endpoints, the
# projector is killed as soon as it has applied part of the burst; the rest of the burst
# goes on into Kafka.  After the restart: like_count 20, comment_count 30, and the edited
# post equals the board's own row (title and version) -- nothing lost, nothing twice.
# (The editors write until the kill has happened, so it always falls mid-stream.)

use strict;
use warnings;
use utf8;
use POSIX ();
use Time::HiRes ();
use Test::More;
use Somoim::Test;
use Somoim::Member;
use Somoim::Kafka qw(daemon_pid);
use Somoim::Board;

my $MAIN = $$;
END { stack('start', 'board-projector') if $$ == $MAIN }   # whatever happens below

my $N = 20;
my $owner = signup(name => '방장');
my $tok = $owner->{access_token};
my $cid = board_community($tok, $owner->{user}{id}, name => "충돌 $$", max_members => 100)->{id};
my @m = map { signup(name => "회원$_") } 1 .. $N;
my @res = parallel($N, sub { join_community($cid, $m[$_[0]]{access_token})->{status} });
is_deeply(\@res, [ (201) x $N ], "$N members join");
my $pid = create_post($cid, $tok, title => '셀 글', body => '세어 주세요')->{json}{id};
my $qid = create_post($cid, $tok, title => '고칠 글', body => '여러 번 고쳐요')->{json}{id};
ok($pid && $qid, 'two posts');
ok(wait_until(30, sub {
    (db_sql('like', "SELECT COUNT(*) FROM targets WHERE target_type = 'post' AND target_id = $pid"))[0][0] == 1
        && (db_sql('comment', "SELECT COUNT(*) FROM posts WHERE id = $pid"))[0][0] == 1
        && (db_sql('comment', "SELECT COUNT(*) FROM copy_members WHERE community_id = $cid AND role IS NOT NULL"))[0][0] == $N + 1
        && get_post($qid, $tok)->{status} == 200;
}), 'the services and the read model know the posts and members');

my $proj = daemon_pid('board-projector');
ok($proj && kill(0, $proj), 'the projector runs');

# The watcher: kills the projector once it has applied part of the burst.
my $mark = "$ENV{SOMOIM_RUN}/405-killed.$$";
unlink $mark;
my $watcher = fork // die "fork: $!";
if ($watcher == 0) {
    my $until = Time::HiRes::time() + 60;
    while (Time::HiRes::time() < $until) {
        my ($v) = query_sql("SELECT (SELECT like_seq + comment_seq FROM posts_view WHERE id = $pid)"
            . " + (SELECT version FROM posts_view WHERE id = $qid)");
        if ($v && $v->[0] > 1) {
            kill 'KILL', $proj;
            open my $fh, '>', $mark;
            print {$fh} "$v->[0]\n";
            close $fh;
            POSIX::_exit(0);
        }
        Time::HiRes::sleep(0.02);
    }
    POSIX::_exit(1);
}

# The burst: 20 likes, 30 comments and 10 writers editing, all at once.  The editors go
# on until the watcher has killed the projector, and 5 edits past that, so the kill always
# falls inside the stream and events keep coming after it.
@res = parallel(60, sub {
    my $i = $_[0];
    my $r;
    if ($i < 20) {
        $r = api(PUT => "/api/v1/likes/post/$pid", undef, token => $m[$i]{access_token});
        return $r->{status} == 200 ? 'ok' : "like $r->{status}";
    } elsif ($i < 50) {
        $r = api(POST => "/api/v1/posts/$pid/comments", { body => "댓글 $i" }, token => $m[$i % $N]{access_token});
        return $r->{status} == 201 ? 'ok' : "comment $r->{status}";
    }
    my ($n, $after) = (0, 0);
    while ($n < 300 && $after < 5) {
        $r = patch_post($qid, $tok, { title => "고침 $i-" . ++$n });
        return "edit $r->{status}" unless $r->{status} == 200;
        $after++ if -e $mark;
    }
    return 'ok';
});
my $burst_done = -e $mark;
is_deeply(\@res, [ ('ok') x 60 ], 'the burst: 20 likes, 30 comments, the edits, all answered');
waitpid($watcher, 0);
ok(-e $mark, 'the projector was killed after applying part of the burst');
ok($burst_done, '… while the burst was still being written');
ok(wait_until(30, sub { !kill(0, $proj) }), 'the projector is gone');
unlink $mark;

ok(stack('start', 'board-projector'), 'the projector restarts');
my ($title, $version) = @{ (board_sql("SELECT title, version FROM posts WHERE id = $qid"))[0] };
cmp_ok($version, '>=', 51, "the board holds @{[ $version - 1 ]} edits");
my $got = '';
wait_until(60, sub {
    my $p = get_post($pid, $tok)->{json} // {};
    my ($q) = query_sql("SELECT title, version FROM posts_view WHERE id = $qid");
    $got = join '/', $p->{like_count} // '-', $p->{comment_count} // '-', @{ $q || [] };
    $got eq "20/30/$title/$version";
});
is($got, "20/30/$title/$version", 'after the restart: like_count 20, comment_count 30, the last edit and its version');
sleep 2;
my $p = get_post($pid, $tok)->{json};
is("$p->{like_count}/$p->{comment_count}", '20/30', 'and the counts stay exact');

done_testing;
