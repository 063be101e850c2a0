# Somoim::Kafka — what the event-backbone tests share: the somoim-kafka tool, the member
# schema through the MariaDB admin socket, and the daemons' pids and logs.
#
# The one design decision: tests look at a daemon's effect the way an operator would —
# through the admin socket as root (never the daemon's own account) and through
# somoim-kafka — so they check the real stored rows and the real topics.

package Somoim::Kafka;

use strict;
use warnings;

use Carp qw(croak);
require Exporter;
our @ISA = ('Exporter');
use Time::HiRes ();
use Somoim::Test qw(db_sql);

our @EXPORT = qw(kafka_tool member_sql daemon_pid daemon_log log_time unique_base);

sub _run { $ENV{SOMOIM_RUN} or croak 'SOMOIM_RUN is not set: start the stack with dev/test' }

# kafka_tool(@args) → (exit status, stdout); stderr goes to the test's stderr.
sub kafka_tool {
    my @args = @_;
    my $build = $ENV{SOMOIM_BUILD} // $ENV{SOMOIM_TOP} // croak 'SOMOIM_BUILD is not set';
    my $tool = "$build/kafka-consumers/somoim-kafka/somoim-kafka";
    croak "$tool is not built" unless -x $tool;
    local $ENV{SOMOIM_CONF} = $ENV{SOMOIM_CONF} // _run() . '/somoim.conf';
    open my $fh, '-|', $tool, @args or croak "cannot run $tool: $!";
    local $/;
    my $out = <$fh> // '';
    close $fh;
    return ($? >> 8, $out);
}

# member_sql($sql) → list of rows (array refs of column strings; NULL is undef-less "NULL").
sub member_sql { return db_sql('member', @_) }

sub daemon_pid {
    my ($name) = @_;
    open my $fh, '<', _run() . "/pid/$name.pid" or return;
    my $pid = <$fh>;
    close $fh;
    return $pid && $pid =~ /(\d+)/ ? $1 : undef;
}

# daemon_log($name) → the lines of RUN/log/<name>.log.
sub daemon_log {
    my ($name) = @_;
    open my $fh, '<', _run() . "/log/$name.log" or return;
    my @l = <$fh>;
    close $fh;
    chomp @l;
    return @l;
}

# log_time($line) → epoch seconds (with ms) of a sm_log line, or undef.
sub log_time {
    my ($line) = @_;
    return unless $line =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z /;
    require Time::Local;
    return Time::Local::timegm($6, $5, $4, $3, $2 - 1, $1) + $7 / 1000;
}

# unique_base() → a user-id base no other test run uses (ids far above the user service's).
sub unique_base {
    return int(Time::HiRes::time() * 1000) * 1000 + ($$ % 1000);
}

1;
