# Somoim::Album — helpers for the album tests (t/52x-*.t): communities whose copies the
# album and like schemas hold, real images made in the test, uploads, fetching the files.
#
# The one design decision: every image is made here, from pixels Perl writes (a PPM with a
# red block in its top-left corner over noise) converted by the `vips` command line
# (libvips-tools), with EXIF written by Image::ExifTool (libimage-exiftool-perl); what the
# service stores is read back with the same tools. Nothing is a checked-in binary.

package Somoim::Album;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
use File::Temp qw(tempdir);
use HTTP::Tiny;
use JSON::PP ();
use Image::ExifTool;
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(album_sql album_community album_member make_image upload_photo fetch
    image_info pixel exif_of tmpdir write_file wait_album);

use Somoim::Test;
use Somoim::Community qw(create_community);

my $TMP = tempdir(CLEANUP => 1);
my $N = 0;

sub tmpdir { return $TMP }

# album_sql($sql) → rows of the album schema.
sub album_sql { return db_sql('album', @_) }

# wait_album($what, $sql): until the album schema answers a true first value (30 s).
sub wait_album {
    my ($what, $sql) = @_;
    my $ok = wait_until(30, sub { my @r = album_sql($sql); return @r && $r[0][0] });
    croak "$what did not reach the album schema within 30 s" unless $ok;
}

sub _wait_both {
    my ($what, $sql) = @_;
    my $ok = wait_until(30, sub {
        my @a = album_sql($sql);
        return 0 unless @a && $a[0][0];
        my @l = db_sql('like', $sql);
        return @l && $l[0][0];
    });
    croak "$what did not reach the album and like schemas within 30 s" unless $ok;
}

# album_community(%over) → { community, owner } once the album and like schemas know the
# community and its owner (is_private => 1 for a private one).
sub album_community {
    my (%over) = @_;
    my $owner = signup(name => "앨범주인 $$");
    $over{is_private} = $over{is_private} ? JSON::PP::true() : JSON::PP::false()
        if exists $over{is_private};
    my $c = create_community($owner->{access_token}, %over);
    _wait_both("community $c->{id}", sprintf "SELECT COUNT(*) FROM copy_members WHERE"
        . " community_id = %d AND user_id = %d AND role = 'owner'", $c->{id}, $owner->{user}{id});
    return { community => $c, owner => $owner };
}

# album_member($cid, $role ('member' or 'admin'), $owner_token, %signup) → the user.
sub album_member {
    my ($cid, $role, $owner_token, %over) = @_;
    my $u = signup(%over);
    my $r = api(POST => "/api/v1/communities/$cid/members", undef, token => $u->{access_token});
    croak "join failed:\n" . dump_res($r) unless $r->{status} == 201;
    if ($role eq 'admin') {
        $r = api(PATCH => "/api/v1/communities/$cid/members/$u->{user}{id}", { role => 'admin' },
            token => $owner_token);
        croak "role change failed:\n" . dump_res($r) unless $r->{status} == 200;
    }
    _wait_both("user $u->{user}{id}'s membership", sprintf "SELECT COUNT(*) FROM copy_members"
        . " WHERE community_id = %d AND user_id = %d AND role = '%s'", $cid, $u->{user}{id}, $role);
    return $u;
}

sub write_file {
    my ($path, $bytes) = @_;
    open my $fh, '>:raw', $path or croak "$path: $!";
    print {$fh} $bytes;
    close $fh or croak "$path: $!";
    return $path;
}

sub _read_file {
    my ($path) = @_;
    open my $fh, '<:raw', $path or croak "$path: $!";
    local $/;
    my $b = <$fh>;
    close $fh;
    return $b;
}

sub _vips {
    my @cmd = @_;
    my $out = `@{[join ' ', map { quotemeta } @cmd]} 2>&1`;
    croak "@cmd failed: $out" if $? != 0;
    return $out;
}

# make_image($format ('jpeg', 'png', 'webp', 'gif', 'tiff'), $w, $h, %opt) → bytes.
# The picture: noise, with a pure red block over the top-left quarter of each side.
# opt: exif => { tag => value } written with ExifTool (JPEG only), noise => 0 for flat grey,
#      q => quality.
sub make_image {
    my ($format, $w, $h, %opt) = @_;
    my $n = ++$N;
    my $ppm = "$TMP/src$n.ppm";
    my $px = '';
    my $noise = $opt{noise} // 1;
    for my $y (0 .. $h - 1) {
        my $row = '';
        for my $x (0 .. $w - 1) {
            if ($x < $w / 4 && $y < $h / 4) { $row .= "\xff\x00\x00" }
            elsif ($noise) { $row .= pack 'C3', map { 60 + int rand 120 } 1 .. 3 }
            else { $row .= "\x80\x80\x80" }
        }
        $px .= $row;
    }
    write_file($ppm, "P6\n$w $h\n255\n$px");
    my %ext = (jpeg => 'jpg', png => 'png', webp => 'webp', gif => 'gif', tiff => 'tif');
    my $out = "$TMP/img$n.$ext{$format}";
    my $q = $format =~ /jpeg|webp/ ? '[Q=' . ($opt{q} // 90) . ']' : '';
    _vips('vips', 'copy', $ppm, "$out$q");
    if ($opt{exif}) {
        my $et = Image::ExifTool->new;
        for my $tag (sort keys %{ $opt{exif} }) {
            my ($ok, $err) = $et->SetNewValue($tag, $opt{exif}{$tag},
                $tag =~ /#$/ ? () : ());
            croak "exiftool: $tag: $err" if $err;
        }
        $et->WriteInfo($out) or croak 'exiftool: ' . $et->GetValue('Error');
    }
    return _read_file($out);
}

# upload_photo($cid, $token, $bytes, %opt) → response. opt: content_type (image/jpeg),
# caption.
sub upload_photo {
    my ($cid, $tok, $bytes, %opt) = @_;
    my $q = defined $opt{caption} ? '?' . query(caption => $opt{caption}) : '';
    return api(POST => "/api/v1/communities/$cid/photos$q", undef, token => $tok, raw => $bytes,
        content_type => exists $opt{content_type} ? $opt{content_type} : 'image/jpeg');
}

my $HTTP = HTTP::Tiny->new(timeout => 30, keep_alive => 0);

# fetch($url, %headers) → { status, content, headers } for a URL the API gave (path + query).
sub fetch {
    my ($url, %h) = @_;
    my $abs = $url =~ m{^https?://} ? $url : base_url() . $url;
    my $r = $HTTP->get($abs, { headers => \%h });
    return { status => $r->{status}, content => $r->{content} // '', headers => $r->{headers} };
}

# image_info($bytes) → { width, height, loader, bands } as libvips reads them.
sub image_info {
    my ($bytes) = @_;
    my $f = write_file("$TMP/probe" . ++$N, $bytes);
    my %i;
    for my $k (qw(width height bands vips-loader)) {
        my $v = `vipsheader -f $k \Q$f\E 2>/dev/null`;
        return undef if $? != 0;
        chomp $v;
        $i{ $k eq 'vips-loader' ? 'loader' : $k } = $v;
    }
    return \%i;
}

# pixel($bytes, $x, $y) → [r, g, b] at that point.
sub pixel {
    my ($bytes, $x, $y) = @_;
    my $f = write_file("$TMP/px" . ++$N, $bytes);
    my $out = _vips('vips', 'getpoint', $f, $x, $y);
    my @v = split ' ', $out;
    return [@v[0 .. 2]];
}

# exif_of($bytes) → { tag => value } of everything ExifTool finds (file and format tags too).
sub exif_of {
    my ($bytes) = @_;
    my $info = Image::ExifTool::ImageInfo(\$bytes);
    return $info;
}

1;
