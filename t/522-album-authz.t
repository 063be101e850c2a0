# t/522-album-authz.t — who may do what, in a private and a public community: upload
# (members: 201; stranger: 403; no token: 401), list and get (members; a stranger only in
# a public community), delete (the uploader, an admin, the owner: 204; another member or a
# stranger: 403).  The file URLs of a private community: a member's signed URL works; the
# same path without a signature, with a forged one, with an expired one, or the signature of
# another file → 403; a stranger gets no URL at all (403 on list and get).
use strict;
use warnings;
use utf8;
use Test::More;
use Digest::MD5 qw(md5_base64);
use Somoim::Test;
use Somoim::Album;

my $jpeg = make_image('jpeg', 120, 90);

for my $private (1, 0) {
    my $kind = $private ? 'private' : 'public';
    my $ac = album_community(is_private => $private);
    my $cid = $ac->{community}{id};
    my $owner = $ac->{owner};
    my $admin = album_member($cid, 'admin', $owner->{access_token});
    my $uploader = album_member($cid, 'member', $owner->{access_token});
    my $member = album_member($cid, 'member', $owner->{access_token});
    my $stranger = signup();

    # ---- upload ----
    my $r = upload_photo($cid, $uploader->{access_token}, $jpeg);
    res_is($r, 201, "$kind: a member uploads: 201") or BAIL_OUT('no upload');
    my $photo = $r->{json};
    res_is(upload_photo($cid, $owner->{access_token}, $jpeg), 201, "$kind: the owner uploads: 201");
    res_is(upload_photo($cid, $admin->{access_token}, $jpeg), 201, "$kind: an admin uploads: 201");
    error_is(upload_photo($cid, $stranger->{access_token}, $jpeg), 403, 'FORBIDDEN',
        "$kind: a stranger cannot upload: 403");
    error_is(api(POST => "/api/v1/communities/$cid/photos", undef, raw => $jpeg,
        content_type => 'image/jpeg'), 401, 'UNAUTHORIZED', "$kind: no token: 401");
    error_is(upload_photo(999999999, $member->{access_token}, $jpeg), 404, 'NOT_FOUND',
        "$kind: an unknown community: 404");

    # ---- list and get ----
    for my $who ([owner => $owner], [admin => $admin], [uploader => $uploader], [member => $member]) {
        my ($name, $u) = @$who;
        res_is(api(GET => "/api/v1/communities/$cid/photos", undef, token => $u->{access_token}),
            200, "$kind: the $name lists: 200");
        res_is(api(GET => "/api/v1/photos/$photo->{id}", undef, token => $u->{access_token}),
            200, "$kind: the $name gets: 200");
    }
    if ($private) {
        error_is(api(GET => "/api/v1/communities/$cid/photos", undef, token => $stranger->{access_token}),
            403, 'FORBIDDEN', 'private: a stranger cannot list: 403');
        error_is(api(GET => "/api/v1/photos/$photo->{id}", undef, token => $stranger->{access_token}),
            403, 'FORBIDDEN', 'private: a stranger cannot get: 403');
    } else {
        res_is(api(GET => "/api/v1/communities/$cid/photos", undef, token => $stranger->{access_token}),
            200, 'public: a stranger lists: 200');
        res_is(api(GET => "/api/v1/photos/$photo->{id}", undef, token => $stranger->{access_token}),
            200, 'public: a stranger gets: 200');
    }
    error_is(api(GET => "/api/v1/communities/$cid/photos"), 401, 'UNAUTHORIZED', "$kind: list without a token: 401");

    # ---- the file URLs ----
    my $got = api(GET => "/api/v1/photos/$photo->{id}", undef, token => $member->{access_token})->{json};
    for my $which (qw(url thumbnail_url)) {
        my $url = $got->{$which};
        is(fetch($url)->{status}, 200, "$kind: a member's $which: 200");
        my ($path, $e, $s) = $url =~ m{^([^?]+)\?e=(\d+)&s=([A-Za-z0-9_-]+)$};
        ok($path, "$kind: $which is path?e=&s=");
        is(fetch($path)->{status}, 403, "$kind: $which without a signature: 403");
        is(fetch("$path?e=$e")->{status}, 403, "$kind: $which without s: 403");
        my $forged = $s;
        substr($forged, 0, 1) = substr($forged, 0, 1) eq 'A' ? 'B' : 'A';
        is(fetch("$path?e=$e&s=$forged")->{status}, 403, "$kind: $which with a forged signature: 403");
        is(fetch("$path?e=" . ($e + 3600) . "&s=$s")->{status}, 403,
            "$kind: $which with its signature but a later expiry: 403");
        ok($e - time <= 3600 && $e > time, "$kind: $which expires within the hour");
        # Signed as the program signs, with the real secret, but already expired.
        my $secret = conf('album', 'url_secret');
        my $old = time - 10;
        (my $sig = md5_base64("$old$path $secret")) =~ tr{+/}{-_};
        is(fetch("$path?e=$old&s=$sig")->{status}, 403, "$kind: $which with an expired signature: 403");
        my $later = time + 600;
        ($sig = md5_base64("$later$path $secret")) =~ tr{+/}{-_};
        is(fetch("$path?e=$later&s=$sig")->{status}, 200,
            "$kind: ... while the same made with a future expiry works (the check is real)");
    }
    my ($tpath) = $got->{thumbnail_url} =~ m{^([^?]+)};
    my ($uq) = $got->{url} =~ m{(\?.*)$};
    is(fetch("$tpath$uq")->{status}, 403, "$kind: the picture's signature on the thumbnail: 403");

    # ---- delete ----
    my @ids = map {
        upload_photo($cid, $uploader->{access_token}, $jpeg)->{json}{id}
    } 1 .. 3;
    error_is(api(DELETE => "/api/v1/photos/$ids[0]", undef, token => $member->{access_token}),
        403, 'FORBIDDEN', "$kind: another member cannot delete: 403");
    error_is(api(DELETE => "/api/v1/photos/$ids[0]", undef, token => $stranger->{access_token}),
        403, 'FORBIDDEN', "$kind: a stranger cannot delete: 403");
    error_is(api(DELETE => "/api/v1/photos/$ids[0]"), 401, 'UNAUTHORIZED', "$kind: no token: 401");
    res_is(api(DELETE => "/api/v1/photos/$ids[0]", undef, token => $uploader->{access_token}),
        204, "$kind: the uploader deletes: 204");
    res_is(api(DELETE => "/api/v1/photos/$ids[1]", undef, token => $admin->{access_token}),
        204, "$kind: an admin deletes: 204");
    res_is(api(DELETE => "/api/v1/photos/$ids[2]", undef, token => $owner->{access_token}),
        204, "$kind: the owner deletes: 204");
    error_is(api(DELETE => "/api/v1/photos/$ids[2]", undef, token => $owner->{access_token}),
        404, 'NOT_FOUND', "$kind: deleting it again: 404");
    error_is(api(GET => "/api/v1/photos/$ids[2]", undef, token => $owner->{access_token}),
        404, 'NOT_FOUND', "$kind: a deleted photo: 404");
}

done_testing;
