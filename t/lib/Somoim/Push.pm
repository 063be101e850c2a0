# Somoim::Push — helpers for the notification tests (t/56x-*.t): the push receiver (a
# stand-in for a browser vendor's push service, t/helpers/push-receiver/receiver.js, which
# checks VAPID and decrypts every message with npm's http_ece), browser-side subscriptions
# made there, and the feed as the API shows it.
#
# The one design decision: the receiver runs on 127.0.0.1 on a port derived from the
# stack's base and the test's number (base + 250 + n), so tests never share one; its npm
# dependency is installed by t/helpers/push-receiver/install into the cache dir, never
# into the (possibly read-only) source tree.

package Somoim::Push;

use strict;
use warnings;
use utf8;

use Carp qw(croak);
use POSIX ();
use Time::HiRes ();
require Exporter;
our @ISA    = ('Exporter');
our @EXPORT = qw(push_sql feed_sql start_receiver receiver_ca receiver_subscribe receiver_behave
    receiver_messages subscribe feed_of unread_of wait_feed);

use JSON::PP ();
use HTTP::Tiny;
use Somoim::Test;

my $JSON = JSON::PP->new->utf8->canonical;
my ($RPID, $RPORT, $CPORT, $CA);

# receiver_ca() → the TLS receiver's certificate file (its own CA).
sub receiver_ca { return $CA }

sub push_sql { return db_sql('push', @_) }
sub feed_sql { return db_sql('notification', @_) }

# start_receiver($n, tls => 1) → its port; the receiver is stopped when the test ends.
# With tls, it serves pushes over HTTPS with HTTP/2 (HTTP/1.1 allowed) on its port, with a
# self-signed certificate for 127.0.0.1 made here with openssl into the run dir
# (receiver_ca() names it: the push daemon's [push] ca_file), and its control calls over
# plain HTTP on port + 100.
sub start_receiver {
    my ($n, %opt) = @_;
    my $top = $ENV{SOMOIM_TOP} or croak 'SOMOIM_TOP is not set';
    my ($base) = base_url() =~ m{:(\d+)};
    $RPORT = $CPORT = $base + 250 + $n;
    my @tls;
    if ($opt{tls}) {
        $CPORT = $RPORT + 100;
        my $dir = ($ENV{SOMOIM_RUN} // croak 'SOMOIM_RUN is not set') . "/push-receiver-$n";
        mkdir $dir;
        open my $saved, '>&', \*STDERR or croak "dup: $!";
        open STDERR, '>', "$dir/openssl.log" or croak "openssl.log: $!";
        my $rc = system('openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
            'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
            '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', "$dir/key.pem",
            '-out', "$dir/cert.pem");
        open STDERR, '>&', $saved or croak "dup: $!";
        croak "openssl could not make a certificate (see $dir/openssl.log)" if $rc != 0;
        $CA = "$dir/cert.pem";
        @tls = ('tls', $CA, "$dir/key.pem", $CPORT);
    }
    my $modules = `$top/t/helpers/push-receiver/install`;
    croak 'installing the push receiver\'s npm packages failed' if $? != 0;
    chomp $modules;
    my $key = api(GET => '/api/v1/push/vapid-public-key')->{json}{key}
        or croak 'no VAPID public key from the API';
    my $log = ($ENV{SOMOIM_RUN} // '/tmp') . "/log/push-receiver-$n.log";
    pipe(my $r, my $w) or croak "pipe: $!";
    $RPID = fork // croak "fork: $!";
    if ($RPID == 0) {
        close $r;
        open STDOUT, '>&', $w or POSIX::_exit(1);
        open STDERR, '>>', $log or POSIX::_exit(1);
        $ENV{NODE_PATH} = $modules;
        exec('node', "$top/t/helpers/push-receiver/receiver.js", $RPORT, $key, @tls)
            or POSIX::_exit(127);
    }
    close $w;
    my $line = <$r>;
    croak "the push receiver did not start (see $log)" unless defined $line && $line =~ /ready/;
    return $RPORT;
}

END {
    if ($RPID) {
        kill 'TERM', $RPID;
        waitpid $RPID, 0;
    }
}

sub _receiver {
    my ($method, $path, $body) = @_;
    my $r = HTTP::Tiny->new(timeout => 10)->request($method, "http://127.0.0.1:$CPORT$path",
        $body ? { content => $JSON->encode($body),
            headers => { 'content-type' => 'application/json' } } : {});
    croak "receiver $method $path: $r->{status} $r->{content}" unless $r->{success};
    return $JSON->decode($r->{content});
}

# receiver_subscribe($name) → {endpoint, keys => {p256dh, auth}}, as a browser's
# PushSubscription.toJSON() would give it.
sub receiver_subscribe { return _receiver(POST => '/subscribe', { name => $_[0] }) }

# receiver_behave($name, $status, $count, $retry_after)
sub receiver_behave {
    my ($name, $status, $count, $retry_after) = @_;
    _receiver(POST => '/behave', { name => $name, status => $status + 0, count => $count + 0,
        (defined $retry_after ? (retry_after => $retry_after + 0) : ()) });
}

# receiver_messages($name) → [{ok, errors, status, payload, ttl, urgency, topic, at_ms,
# http_version, conn}]
sub receiver_messages { return _receiver(GET => "/messages?name=$_[0]")->{messages} }

# subscribe($user, $name) → the receiver's subscription, registered through the API (201).
sub subscribe {
    my ($user, $name) = @_;
    my $sub = receiver_subscribe($name);
    my $r = api(POST => '/api/v1/push/subscriptions', $sub, token => $user->{access_token});
    croak "subscribe failed (want 201):\n" . dump_res($r) unless $r->{status} == 201;
    return $sub;
}

# feed_of($user) → the items of the first feed page (100), or undef unless 200.
sub feed_of {
    my ($user) = @_;
    my $r = api(GET => '/api/v1/notifications?limit=100', undef, token => $user->{access_token});
    return $r->{status} == 200 ? $r->{json}{items} : undef;
}

sub unread_of {
    my ($user) = @_;
    my $r = api(GET => '/api/v1/notifications/unread-count', undef,
        token => $user->{access_token});
    return $r->{status} == 200 ? $r->{json}{count} : undef;
}

# wait_feed($user, $type, $n) → the feed items of $type once there are $n (or undef).
sub wait_feed {
    my ($user, $type, $n) = @_;
    my @items;
    wait_until(30, sub {
        my $f = feed_of($user) or return 0;
        @items = grep { $_->{type} eq $type } @$f;
        return @items >= $n;
    }) or return;
    return \@items;
}

1;
