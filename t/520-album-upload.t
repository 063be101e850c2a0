# t/520-album-upload.t — uploads that are accepted: JPEG, PNG and WebP made in the test come
# back as `photo` with the displayed width and height; the stored type is what the bytes
# are (a PNG sent as image/jpeg is a PNG); the picture and the thumbnail URLs work as given
# (nginx, signed), the thumbnail is smaller and decodes, at most 320 px on its long edge;
# an EXIF-GPS JPEG with Orientation 6 comes back without GPS or camera data, the right way
# up; a JPEG with HTML appended is re-encoded (the HTML is not served); list, get,
# photo-created.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Album;

my $ac = album_community();
my $cid = $ac->{community}{id};
my $owner = $ac->{owner};
my $m = album_member($cid, 'member', $owner->{access_token}, name => '사진가');

my %made;
for my $f (qw(jpeg png webp)) {
    my $bytes = make_image($f, 640, 480);
    my $r = upload_photo($cid, $m->{access_token}, $bytes, content_type => "image/$f",
        caption => "첫 사진 $f");
    res_is($r, 201, "$f 640x480: 201") or next;
    my $p = $r->{json};
    $made{$f} = $p;
    is_deeply([$p->{width}, $p->{height}], [640, 480], "$f: width and height 640x480");
    is($p->{format}, $f, "$f: format $f");
    is($p->{community_id}, $cid, "$f: community_id");
    is($p->{uploader}{id}, $m->{user}{id}, "$f: uploader id");
    is($p->{caption}, "첫 사진 $f", "$f: caption");
    is($p->{like_count}, 0, "$f: like_count 0");
    ok(is_rfc3339_utc($p->{created_at}), "$f: created_at is RFC 3339 UTC");
    my $pid_re = qr{/$p->{id}\b};
    unlike($p->{url}, $pid_re, "$f: the URL does not carry the id");
    like($p->{url}, qr{^/media/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]+\?e=\d+&s=[A-Za-z0-9_-]+$},
        "$f: url is a signed /media/ path");
    is($r->{headers}{location}, "/api/v1/photos/$p->{id}", "$f: Location header");

    my $full = fetch($p->{url});
    is($full->{status}, 200, "$f: the picture's URL answers 200 at once");
    my $fi = image_info($full->{content});
    ok($fi, "$f: the picture decodes");
    is_deeply([@{$fi}{qw(width height)}], [640, 480], "$f: the picture is 640x480");
    like($fi->{loader}, qr/^\Q${f}load/, "$f: the picture is a $f");
    my $th = fetch($p->{thumbnail_url});
    is($th->{status}, 200, "$f: the thumbnail's URL answers 200 at once (made in the request)");
    my $ti = image_info($th->{content});
    ok($ti, "$f: the thumbnail decodes");
    is_deeply([@{$ti}{qw(width height)}], [320, 240], "$f: the thumbnail is 320x240");
    cmp_ok(length $th->{content}, '<', length $full->{content}, "$f: the thumbnail is smaller");
    like($full->{headers}{'cache-control'} // '', qr/private/, "$f: Cache-Control private");
    ok($full->{headers}{etag}, "$f: nginx's ETag");
    my $range = fetch($p->{url}, Range => 'bytes=0-9');
    is($range->{status}, 206, "$f: Range works (206)");
    is(length $range->{content}, 10, "$f: ten bytes");
}

# ---- the stored type is what the bytes are ----
my $r = upload_photo($cid, $m->{access_token}, make_image('png', 100, 60),
    content_type => 'image/jpeg');
res_is($r, 201, 'a PNG declared as image/jpeg: 201');
is($r->{json}{format}, 'png', '... stored as png');
like($r->{json}{url}, qr/\.png\?/, '... with a .png URL');

# ---- EXIF: GPS and camera data go, orientation is applied ----
my $gps = make_image('jpeg', 400, 300, exif => { 'Orientation#' => 6,
    GPSLatitude => 37.5665, GPSLatitudeRef => 'N', GPSLongitude => 126.978,
    GPSLongitudeRef => 'E', Make => 'SomoimCam', Model => 'Test 1',
    'XMP:GPSLatitude' => '37.5665N' });
my $src = exif_of($gps);
ok(defined $src->{GPSLatitude}, 'the fixture has GPS (exiftool)');
is($src->{Orientation}, 'Rotate 90 CW', 'the fixture has Orientation 6');
$r = upload_photo($cid, $m->{access_token}, $gps);
res_is($r, 201, 'the EXIF-GPS JPEG: 201');
is_deeply([$r->{json}{width}, $r->{json}{height}], [300, 400],
    'width and height are the displayed ones (rotated: 300x400)');
for my $which (qw(url thumbnail_url)) {
    my $got = fetch($r->{json}{$which});
    is($got->{status}, 200, "$which: 200");
    my $x = exif_of($got->{content});
    my @gpstags = grep { /GPS/i } keys %$x;
    is_deeply(\@gpstags, [], "$which: no GPS tag at all");
    ok(!defined $x->{Make} && !defined $x->{Model}, "$which: no camera make or model");
    ok(!defined $x->{Orientation} || $x->{Orientation} =~ /Horizontal/,
        "$which: no orientation left to apply");
    my $i = image_info($got->{content});
    ok($i->{height} > $i->{width}, "$which: portrait, as displayed");
    # The red block was top-left of the sensor; turned 90° clockwise it is top-right.
    my $tr = pixel($got->{content}, $i->{width} - 5, 5);
    my $tl = pixel($got->{content}, 5, 5);
    ok($tr->[0] > 200 && $tr->[1] < 60 && $tr->[2] < 60, "$which: red at the top right")
        or diag("top right: @$tr");
    ok(!($tl->[0] > 200 && $tl->[1] < 60), "$which: not red at the top left") or diag("@$tl");
}

# ---- a JPEG with HTML appended: accepted as the JPEG it is, served re-encoded ----
my $poly = make_image('jpeg', 64, 64) . '<html><script>alert(1)</script></html>';
$r = upload_photo($cid, $m->{access_token}, $poly);
res_is($r, 201, 'a JPEG with HTML appended decodes as a JPEG: 201');
my $got = fetch($r->{json}{url});
unlike($got->{content}, qr/<script|<html/i, '... and what is served is re-encoded: no HTML');
is($got->{headers}{'x-content-type-options'}, 'nosniff', '... served with nosniff');
like($got->{headers}{'content-type'}, qr{^image/jpeg}, '... as image/jpeg');

# ---- get, list ----
my $pid = $made{jpeg}{id};
$r = api(GET => "/api/v1/photos/$pid", undef, token => $owner->{access_token});
res_is($r, 200, 'GET the photo: 200');
is($r->{json}{id}, $pid, '... its id');
is($r->{json}{uploader}{name}, '사진가', '... the uploader\'s name');
is(fetch($r->{json}{url})->{status}, 200, '... its url works');

$r = api(GET => "/api/v1/communities/$cid/photos?limit=2", undef, token => $owner->{access_token});
res_is($r, 200, 'the list: 200');
is(scalar @{ $r->{json}{items} }, 2, 'two per page');
ok($r->{json}{items}[0]{id} > $r->{json}{items}[1]{id}, 'newest first');
ok(defined $r->{json}{next_cursor}, 'a next_cursor');
my @all = @{ $r->{json}{items} };
while (defined $r->{json}{next_cursor}) {
    $r = api(GET => "/api/v1/communities/$cid/photos?limit=2&" . query(cursor => $r->{json}{next_cursor}),
        undef, token => $owner->{access_token});
    last unless $r->{status} == 200;
    push @all, @{ $r->{json}{items} };
}
is(scalar @all, 6, 'six photos over the pages');
error_is(api(GET => "/api/v1/communities/$cid/photos?limit=0", undef, token => $m->{access_token}),
    400, 'VALIDATION_FAILED', 'limit=0: 400');
error_is(api(GET => "/api/v1/communities/$cid/photos?cursor=zzz", undef, token => $m->{access_token}),
    400, 'VALIDATION_FAILED', 'a bad cursor: 400');
error_is(api(GET => '/api/v1/photos/999999999', undef, token => $m->{access_token}),
    404, 'NOT_FOUND', 'an unknown photo: 404');
error_is(api(GET => '/api/v1/communities/999999999/photos', undef, token => $m->{access_token}),
    404, 'NOT_FOUND', 'an unknown community\'s photos: 404');
error_is(api(GET => "/api/v1/photos/$pid"), 401, 'UNAUTHORIZED', 'no token: 401');

# ---- photo-created ----
my @ev = map { JSON::PP->new->decode($_->[0]) } album_sql(
    "SELECT payload FROM outbox WHERE topic = 'v1.event.photo-created' AND msg_key = '$pid'", 1);
is(scalar @ev, 1, 'one photo-created');
is_deeply([@{ $ev[0]{data} }{qw(id community_id uploader_id width height format)}],
    [$pid, $cid, $m->{user}{id}, 640, 480, 'jpeg'], 'photo-created: id, community, uploader, size');

# ---- the like service knows the photo ----
ok(wait_until(30, sub {
    my ($row) = db_sql('like', "SELECT COUNT(*) FROM targets WHERE target_type = 'photo'"
        . " AND target_id = $pid AND deleted = 0");
    return $row->[0];
}), 'the like service\'s copy of the photo (photo-created)');

done_testing;
