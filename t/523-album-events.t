# t/523-album-events.t — what the album does through events: 25 members liking one photo
# at once → like_count 25 at the like service and, through v1.event.like-changed, on the
# photo; deleting a photo → its files are gone and its URLs 404 at once, photo-deleted
# tombstones the like service's copy; deleting the community → its photos' rows and files
# go (photo-deleted per photo, whose consumer unlinks the files); a rename reaches the
# uploader shown on old photos; a crashed upload's files are swept; libvips kept no object
# and no pixel memory alive across all the uploads of the album tests.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Album;

my $ac = album_community(max_members => 50);
my $cid = $ac->{community}{id};
my $owner = $ac->{owner};
my $jpeg = make_image('jpeg', 200, 150);
my $media = conf('album', 'media_dir');

sub files_of {
    my ($id) = @_;
    my ($row) = album_sql("SELECT file_key FROM photos WHERE id = $id");
    return () unless $row;
    my $k = $row->[0];
    return glob(sprintf '%s/%s/%s*', $media, substr($k, 0, 2), $k);
}

# ---- 25 likes at once ----
my $photo = upload_photo($cid, $owner->{access_token}, $jpeg)->{json};
my $pid = $photo->{id};
ok(wait_until(30, sub {
    my ($r) = db_sql('like', "SELECT COUNT(*) FROM targets WHERE target_type = 'photo' AND target_id = $pid");
    return $r->[0];
}), 'the like service knows the photo');
my @members = map { album_member($cid, 'member', $owner->{access_token}) } 1 .. 25;
my @res = parallel(25, sub {
    my ($i) = @_;
    my $r = api(PUT => "/api/v1/likes/photo/$pid", undef, token => $members[$i]{access_token});
    return [$r->{status}, $r->{json} ? $r->{json}{like_count} : undef];
});
is(scalar(grep { $_->[0] == 200 } @res), 25, '25 concurrent likes: all 200');
my %counts = map { $_->[1] => 1 } @res;
is(scalar keys %counts, 25, 'each answer saw a different count (1..25)');
my ($lc) = db_sql('like', "SELECT like_count FROM targets WHERE target_type = 'photo' AND target_id = $pid");
is($lc->[0], 25, 'the like service: like_count 25');
ok(wait_until(30, sub {
    my ($r) = album_sql("SELECT like_count FROM photos WHERE id = $pid");
    return $r->[0] == 25;
}), 'the photo: like_count 25, set by like-changed');
my $g = api(GET => "/api/v1/photos/$pid", undef, token => $owner->{access_token});
is($g->{json}{like_count}, 25, 'GET the photo: like_count 25');
my $r = api(DELETE => "/api/v1/likes/photo/$pid", undef, token => $members[0]{access_token});
is($r->{json}{like_count}, 24, 'an unlike: 24');
ok(wait_until(30, sub {
    my ($x) = album_sql("SELECT like_count FROM photos WHERE id = $pid");
    return $x->[0] == 24;
}), 'the photo follows: 24');

# ---- a rename reaches the uploader shown on old photos ----
my $new = "새이름 $$";
$r = api(PATCH => '/api/v1/users/me', { name => $new }, token => $owner->{access_token});
res_is($r, 200, 'the uploader renames');
ok(wait_until(30, sub {
    my $x = api(GET => "/api/v1/photos/$pid", undef, token => $owner->{access_token});
    return ($x->{json}{uploader}{name} // '') eq $new;
}), 'the photo shows the new name (user-updated → copy_profiles)');

# ---- delete: files and URLs go at once ----
my @files = files_of($pid);
is(scalar @files, 2, 'the photo has two files');
res_is(api(DELETE => "/api/v1/photos/$pid", undef, token => $owner->{access_token}), 204, 'delete: 204');
ok(!-e $_, 'gone at once: ' . ($_ =~ s{.*/}{}r)) for @files;
is(fetch($photo->{url})->{status}, 404, 'the picture\'s URL: 404');
is(fetch($photo->{thumbnail_url})->{status}, 404, 'the thumbnail\'s URL: 404');
ok(wait_until(30, sub {
    my ($x) = db_sql('like', "SELECT deleted FROM targets WHERE target_type = 'photo' AND target_id = $pid");
    return $x && $x->[0] == 1;
}), 'the like service: a tombstone (photo-deleted)');
my ($nl) = db_sql('like', "SELECT COUNT(*) FROM likes WHERE target_type = 'photo' AND target_id = $pid");
is($nl->[0], 0, '... and the photo\'s likes are gone');
error_is(api(PUT => "/api/v1/likes/photo/$pid", undef, token => $members[1]{access_token}), 404,
    'NOT_FOUND', 'liking the deleted photo: 404');

# ---- a crashed upload: files with a pending row and no photo row are swept ----
# In a directory the service made (a crashed upload's files are where it put them).
my ($some) = album_sql('SELECT file_key FROM photos ORDER BY id DESC LIMIT 1');
my $key = substr($some->[0], 0, 2) . join '', map { sprintf '%x', int rand 16 } 1 .. 30;
my $dir = "$media/" . substr($key, 0, 2);
write_file("$dir/$key.jpg", 'x');
write_file("$dir/${key}_t.jpg", 'x');
album_sql("INSERT INTO pending_files (file_key, format, created_at) VALUES ('$key', 'jpeg', NOW(3) - INTERVAL 1 HOUR)");
res_is(upload_photo($cid, $owner->{access_token}, $jpeg), 201, 'the next upload');
ok(!-e "$dir/$key.jpg" && !-e "$dir/${key}_t.jpg", '... swept the dead upload\'s files');
my ($left) = album_sql("SELECT COUNT(*) FROM pending_files WHERE file_key = '$key'");
is($left->[0], 0, '... and its pending row');

# ---- the community goes: rows and files ----
my @ids = map { upload_photo($cid, $owner->{access_token}, $jpeg)->{json}{id} } 1 .. 3;
my @cfiles = map { files_of($_) } @ids;
is(scalar @cfiles, 6, 'three more photos, six files');
res_is(api(DELETE => "/api/v1/communities/$cid", undef, token => $owner->{access_token}), 204,
    'the owner deletes the community');
ok(wait_until(30, sub {
    my ($x) = album_sql("SELECT COUNT(*) FROM photos WHERE community_id = $cid");
    return $x->[0] == 0;
}), 'its photo rows are gone');
ok(wait_until(30, sub { !grep { -e } @cfiles }), 'its photo files are gone (photo-deleted)');
my ($ev) = album_sql("SELECT COUNT(*) FROM outbox WHERE topic = 'v1.event.photo-deleted'"
    . " AND msg_key IN (" . join(',', map { "'$_'" } @ids) . ')');
is($ev->[0], 3, 'one photo-deleted per photo');

# ---- libvips kept nothing alive ----
# Each instance stops gracefully (vips_shutdown with leak checking on: it reports any object
# still alive), then starts again for the tests that follow.
for my $i (1, 2) {
    my $log = "$ENV{SOMOIM_RUN}/log/album-$i.log";
    my $size = -s $log;
    stack('restart', "album-$i");
    open my $fh, '<', $log or die "$log: $!";
    seek $fh, $size, 0;
    my $text = do { local $/; <$fh> };
    unlike($text, qr/objects alive|still tracks/, "album-$i: no libvips object or memory left at exit");
}
my $all = join '', map { local (@ARGV, $/) = ("$ENV{SOMOIM_RUN}/log/album-$_.log"); <> } 1, 2;
unlike($all, qr/still tracks/, 'no upload left libvips memory behind');
res_is(upload_photo(album_community()->{community}{id}, signup()->{access_token}, $jpeg), 403,
    'the service answers after the restart');

done_testing;
