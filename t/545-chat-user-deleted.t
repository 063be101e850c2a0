# t/545-chat-user-deleted.t — a member who leaves the platform (DELETE /api/v1/users/me):
# their chat messages stay, under the neutral sender ("탈퇴한 회원", no image), on every
# read after somoim-chat-events has applied v1.event.user-deleted.
use strict;
use warnings;
use utf8;
use Test::More;
use Somoim::Test;
use Somoim::Chat;

my $cc = chat_community();
my $cid = $cc->{community}{id};
my $owner = $cc->{owner};
my $leaver = chat_join($cid, name => '곧떠날사람', profile_image => 'https://example.com/leaver.png');

my $r = chat_post($cid, $leaver->{access_token}, '안녕히 계세요');
res_is($r, 201, 'the leaver posts a message');
my $id = $r->{json}{id};
ok(wait_until(30, sub { (chat_page($cid, $owner->{access_token})->{json}{items}[0]{sender}{name} // '') eq '곧떠날사람' }),
    "the message shows the sender's name while the account exists");

res_is(api(DELETE => '/api/v1/users/me', { password => $leaver->{password} },
    token => $leaver->{access_token}), 204, 'the leaver deletes the account');

my $sender;
ok(wait_until(60, sub {
    my ($m) = grep { $_->{id} eq $id } @{ chat_page($cid, $owner->{access_token})->{json}{items} || [] };
    $sender = $m && $m->{sender};
    $sender && $sender->{name} eq '탈퇴한 회원';
}), 'the message stays, its sender becomes the neutral one');
ok($sender && !defined $sender->{profile_image}, '… with no image');
is($sender && $sender->{id}, $leaver->{user}{id}, '… and the same sender id');

done_testing();
