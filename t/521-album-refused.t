# t/521-album-refused.t — what an upload refuses, decided by the bytes: text, a truncated
# JPEG/PNG/WebP, SVG (with and without <?xml>), HTML posing as an image, GIF, TIFF, BMP,
# polyglots (a GIF followed by a JPEG, HTML followed by a JPEG, a PNG signature with HTML)
# → 415 UNSUPPORTED_MEDIA_TYPE; a Content-Type that is not one of the three → 415; 11 MiB →
# 413 JSON from nginx; a decompression bomb (a 10000x10000 PNG of 100 KB) → 413 from its
# header, fast, and the service still answers; a bad caption → 400.  Nothing refused leaves
# a file or a row behind.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use Compress::Zlib qw(compress crc32);
use Somoim::Test;
use Somoim::Album;

my $ac = album_community();
my $cid = $ac->{community}{id};
my $tok = $ac->{owner}{access_token};
my ($before) = album_sql("SELECT COUNT(*) FROM photos WHERE community_id = $cid");

my $jpeg = make_image('jpeg', 300, 200);
my $png = make_image('png', 300, 200);
my $webp = make_image('webp', 300, 200);
my $svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    . '<rect width="10" height="10" fill="red"/></svg>';
my %refused = (
    'plain text'                 => ["hello, this is not an image\n" x 20, 'image/jpeg'],
    'a JPEG cut in half'         => [substr($jpeg, 0, int(length($jpeg) / 2)), 'image/jpeg'],
    'a JPEG cut to 300 bytes'    => [substr($jpeg, 0, 300), 'image/jpeg'],
    'a PNG cut in half'          => [substr($png, 0, int(length($png) / 2)), 'image/png'],
    'a WebP cut in half'         => [substr($webp, 0, int(length($webp) / 2)), 'image/webp'],
    'SVG'                        => [$svg, 'image/png'],
    'SVG with <?xml>'            => ['<?xml version="1.0"?>' . $svg, 'image/jpeg'],
    'HTML'                       => ['<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>',
                                     'image/jpeg'],
    'GIF'                        => [make_image('gif', 40, 30), 'image/jpeg'],
    'TIFF'                       => [make_image('tiff', 40, 30), 'image/jpeg'],
    'a GIF followed by a JPEG'   => [make_image('gif', 40, 30) . $jpeg, 'image/jpeg'],
    'HTML followed by a JPEG'    => ['<html><script>alert(1)</script></html>' . $jpeg, 'image/jpeg'],
    'a PNG signature with HTML'  => ["\x89PNG\r\n\x1a\n" . '<html><script>alert(1)</script></html>',
                                     'image/png'],
    'a BMP (ImageMagick)'        => [_bmp(), 'image/jpeg'],
    'an empty body'              => ['', 'image/jpeg'],
);
for my $name (sort keys %refused) {
    my ($bytes, $ct) = @{ $refused{$name} };
    error_is(upload_photo($cid, $tok, $bytes, content_type => $ct), 415, 'UNSUPPORTED_MEDIA_TYPE',
        "$name: 415");
}
for my $ct ('image/gif', 'text/html', 'application/octet-stream', 'image/svg+xml', undef) {
    error_is(upload_photo($cid, $tok, $jpeg, content_type => $ct), 415, 'UNSUPPORTED_MEDIA_TYPE',
        'a real JPEG declared as ' . ($ct // 'nothing') . ': 415');
}

# ---- sizes ----
my $r = upload_photo($cid, $tok, "\xff\xd8\xff" . ("\0" x (11 * 1024 * 1024)));
error_is($r, 413, 'PAYLOAD_TOO_LARGE', '11 MiB: 413 (JSON, from nginx)');

my $bomb = _png_bomb(10000, 10000);
cmp_ok(length $bomb, '<', 300_000, 'the bomb is small (' . length($bomb) . ' bytes)');
my $t0 = time;
$r = upload_photo($cid, $tok, $bomb, content_type => 'image/png');
my $took = time - $t0;
error_is($r, 413, 'PAYLOAD_TOO_LARGE', 'a 10000x10000 PNG bomb: 413');
like($r->{json}{error}{message} // '', qr/10000x10000/, '... says its size');
note(sprintf 'the bomb was refused in %.3f s', $took);
$r = upload_photo($cid, $tok, $jpeg);
res_is($r, 201, 'the service still answers: a JPEG after the bomb: 201');

# ---- mutated images: each is a photo or a 415, never a 5xx ----
my (%bad, $accepted, @statuses);
for my $i (1 .. 45) {
    my ($f, $src) = @{ [[jpeg => $jpeg], [png => $png], [webp => $webp]]->[$i % 3] };
    my $b = $src;
    for (1 .. 1 + int rand 8) {
        my $at = int rand length $b;
        substr($b, $at, 1) = chr int rand 256;
    }
    $b = substr($b, 0, int(length($b) * (0.3 + rand 0.7))) if $i % 5 == 0;
    my $x = upload_photo($cid, $tok, $b, content_type => "image/$f");
    push @statuses, $x->{status};
    $accepted++ if $x->{status} == 201;
    $bad{$x->{status}}++ unless $x->{status} == 201 || $x->{status} == 415;
}
is_deeply(\%bad, {}, '45 randomly damaged JPEG/PNG/WebP uploads: each 201 or 415');

# ---- the caption ----
my $ok = upload_photo($cid, $tok, $jpeg, caption => '가' x 500);
res_is($ok, 201, 'a caption of 500 characters: 201');
error_is(upload_photo($cid, $tok, $jpeg, caption => '가' x 501), 400, 'VALIDATION_FAILED',
    'a caption of 501 characters: 400');
error_is(api(POST => "/api/v1/communities/$cid/photos?caption=%FF%FE", undef, token => $tok,
    raw => $jpeg, content_type => 'image/jpeg'), 400, 'VALIDATION_FAILED',
    'a caption that is not UTF-8: 400');

# ---- nothing was left behind ----
my ($after) = album_sql("SELECT COUNT(*) FROM photos WHERE community_id = $cid");
is($after->[0] - $before->[0], 2 + ($accepted // 0), 'photo rows only for the accepted uploads')
    or diag("statuses of the damaged uploads: @statuses");
my ($pending) = album_sql('SELECT COUNT(*) FROM pending_files');
is($pending->[0], 0, 'no upload is left pending');
my $media = conf('album', 'media_dir');
my @files = glob("$media/*/*");
my ($rows) = album_sql('SELECT COUNT(*) FROM photos');
is(scalar(grep { !/\.tmp$/ } @files), 2 * $rows->[0], 'two files per photo row in the media dir, no more')
    or diag(join ' ', map { s{.*/}{}r } @files);
is(scalar(grep { /\.tmp$/ } @files), 0, 'no temporary file');

done_testing;

# A 2x2 24-bit BMP.
sub _bmp {
    my $px = ("\x00\x00\xff" x 2 . "\0\0") x 2;
    my $hdr = pack('A2 V v v V', 'BM', 54 + length $px, 0, 0, 54)
        . pack('V l l v v V V l l V V', 40, 2, 2, 1, 24, 0, length $px, 2835, 2835, 0, 0);
    return $hdr . $px;
}

# A valid grey PNG of $w x $h zeros: tiny on the wire, $w * $h bytes decoded.
sub _png_bomb {
    my ($w, $h) = @_;
    my $chunk = sub {
        my ($type, $data) = @_;
        return pack('N', length $data) . $type . $data . pack('N', crc32($type . $data));
    };
    my $raw = ("\0" x ($w + 1)) x $h;
    return "\x89PNG\r\n\x1a\n"
        . $chunk->('IHDR', pack('NNCCCCC', $w, $h, 8, 0, 0, 0, 0))
        . $chunk->('IDAT', compress($raw, 9))
        . $chunk->('IEND', '');
}
