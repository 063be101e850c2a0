// web/app/i18n.js — Korean first, English available. The language is the user's choice
// (kept in localStorage) or else the browser's; t(key, vars) fills {name} placeholders.
// A missing English string falls back to the Korean one, so no screen shows a raw key.

const ko = {
  appName: '소모임', home: '홈', wishlist: '찜', notifications: '알림', me: '내정보',
  login: '로그인', logout: '로그아웃', signup: '회원가입', email: '이메일', password: '비밀번호',
  passwordHint: '8자 이상', name: '이름', region: '지역', mbti: 'MBTI', interests: '관심사',
  profileImage: '프로필 이미지 URL', save: '저장', saved: '저장했습니다', cancel: '취소',
  oauthLogin: '인증 서버로 로그인', orOauth: '또는', noAccount: '계정이 없으신가요?',
  haveAccount: '이미 계정이 있으신가요?', extraInfo: '추가정보', extraInfoLead: '처음 오셨네요. 가입을 마치려면 정보를 더 입력해 주세요.',
  oauthFailed: '인증 서버 로그인에 실패했습니다', oauthState: '로그인 요청이 맞지 않습니다. 다시 시도해 주세요.',
  recommended: '추천 모임', search: '검색', searchPlaceholder: '모임 이름, 소개', allInterests: '모든 관심사',
  allRegions: '모든 지역', results: '검색 결과', noResults: '모임이 없습니다', loadMore: '더 보기', loading: '불러오는 중…',
  members: '멤버', newCommunity: '모임 만들기', communityName: '모임 이름', description: '소개',
  interest: '관심사', maxMembers: '최대 인원', isPrivate: '비공개 모임', create: '만들기',
  join: '가입하기', leave: '탈퇴하기', joined: '가입한 모임', wish: '찜하기', unwish: '찜 해제',
  board: '게시판', album: '앨범', schedules: '일정', chat: '채팅', info: '정보',
  owner: '모임장', admin: '운영진', member: '멤버', makeAdmin: '운영진으로', makeMember: '멤버로',
  newPost: '글쓰기', title: '제목', body: '내용', post: '올리기', comments: '댓글',
  writeComment: '댓글을 입력하세요', comment: '댓글 달기', like: '좋아요', likes: '좋아요 {n}',
  commentsN: '댓글 {n}', delete: '삭제', confirmDelete: '삭제할까요?', noPosts: '아직 글이 없습니다',
  newSchedule: '일정 만들기', startsAt: '일시', place: '장소', fee: '회비', seats: '정원',
  attend: '참석', cancelAttend: '참석 취소', attending: '참석 중', waitlisted: '대기 {n}번',
  waitlistedNoPos: '대기 중', seatsLeft: '{p}/{m}명 · 대기 {w}명', attendees: '참석자', noSchedules: '예정된 일정이 없습니다',
  editSchedule: '일정 수정', cancelSchedule: '일정 취소', confirmCancelSchedule: '이 일정을 취소할까요? 참석자에게 알림이 갑니다.',
  upload: '사진 올리기', caption: '설명', uploading: '올리는 중 {p}%', noPhotos: '아직 사진이 없습니다',
  photo: '사진', close: '닫기', prev: '이전', next: '다음', chooseFile: '사진 파일',
  send: '보내기', chatPlaceholder: '메시지를 입력하세요', reconnecting: '다시 연결하는 중…', connected: '연결됨',
  olderMessages: '이전 메시지', noMessages: '아직 메시지가 없습니다',
  pushOn: '푸시 알림 켜기', pushOnDone: '푸시 알림이 켜졌습니다', pushOff: '푸시 알림 끄기', pushUnsupported: '이 브라우저는 푸시 알림을 지원하지 않습니다',
  pushDenied: '알림 권한이 거부되었습니다', noNotifications: '알림이 없습니다', unread: '읽지 않음', markRead: '읽음',
  myCommunities: '내 모임', editProfile: '프로필 수정', loginRequired: '로그인이 필요합니다',
  notFound: '페이지를 찾을 수 없습니다', network: '서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
  error: '오류', retry: '다시 시도', language: 'English', unavailable: '이 기능은 지금 쓸 수 없습니다',
  sessionExpired: '로그인이 만료되었습니다. 다시 로그인해 주세요.', welcome: '{name}님, 반갑습니다',
  emailTaken: '이미 가입된 이메일입니다', nMembers: '멤버 {n}/{m}', private: '비공개', skip: '본문으로 건너뛰기', more: '더보기', memberList: '멤버 목록',
};

const en = {
  appName: 'somoim', home: 'Home', wishlist: 'Saved', notifications: 'Alerts', me: 'Me',
  login: 'Log in', logout: 'Log out', signup: 'Sign up', email: 'Email', password: 'Password',
  passwordHint: 'at least 8 characters', name: 'Name', region: 'Region', mbti: 'MBTI', interests: 'Interests',
  profileImage: 'Profile image URL', save: 'Save', saved: 'Saved', cancel: 'Cancel',
  oauthLogin: 'Sign in with the auth server', orOauth: 'or', noAccount: 'No account yet?',
  haveAccount: 'Already have an account?', extraInfo: 'More about you', extraInfoLead: 'Welcome! A few more details finish your sign-up.',
  oauthFailed: 'Signing in with the auth server failed', oauthState: 'The sign-in request does not match. Please try again.',
  recommended: 'Recommended', search: 'Search', searchPlaceholder: 'Group name or description', allInterests: 'All interests',
  allRegions: 'All regions', results: 'Results', noResults: 'No groups found', loadMore: 'More', loading: 'Loading…',
  members: 'Members', newCommunity: 'Create a group', communityName: 'Group name', description: 'Description',
  interest: 'Interest', maxMembers: 'Max members', isPrivate: 'Private group', create: 'Create',
  join: 'Join', leave: 'Leave', joined: 'My groups', wish: 'Save', unwish: 'Unsave',
  board: 'Board', album: 'Album', schedules: 'Meetups', chat: 'Chat', info: 'About',
  owner: 'Owner', admin: 'Admin', member: 'Member', makeAdmin: 'Make admin', makeMember: 'Make member',
  newPost: 'Write', title: 'Title', body: 'Text', post: 'Post', comments: 'Comments',
  writeComment: 'Write a comment', comment: 'Comment', like: 'Like', likes: '{n} likes',
  commentsN: '{n} comments', delete: 'Delete', confirmDelete: 'Delete this?', noPosts: 'No posts yet',
  newSchedule: 'New meetup', startsAt: 'When', place: 'Where', fee: 'Fee', seats: 'Seats',
  attend: 'Attend', cancelAttend: 'Cancel', attending: 'Attending', waitlisted: 'Waitlist #{n}',
  waitlistedNoPos: 'Waitlisted', seatsLeft: '{p}/{m} · {w} waiting', attendees: 'Attendees', noSchedules: 'No meetups yet',
  editSchedule: 'Edit meetup', cancelSchedule: 'Cancel meetup', confirmCancelSchedule: 'Cancel this meetup? Its attendees will be told.',
  upload: 'Upload a photo', caption: 'Caption', uploading: 'Uploading {p}%', noPhotos: 'No photos yet',
  photo: 'Photo', close: 'Close', prev: 'Previous', next: 'Next', chooseFile: 'Photo file',
  send: 'Send', chatPlaceholder: 'Type a message', reconnecting: 'Reconnecting…', connected: 'Connected',
  olderMessages: 'Older messages', noMessages: 'No messages yet',
  pushOn: 'Turn on push', pushOnDone: 'Push notifications are on', pushOff: 'Turn off push', pushUnsupported: 'This browser does not support push',
  pushDenied: 'Notification permission was denied', noNotifications: 'No notifications', unread: 'unread', markRead: 'Mark read',
  myCommunities: 'My groups', editProfile: 'Edit profile', loginRequired: 'Please log in',
  notFound: 'Page not found', network: 'Cannot reach the server. Please try again shortly.',
  error: 'Error', retry: 'Retry', language: '한국어', unavailable: 'This feature is not available right now',
  sessionExpired: 'Your session has ended. Please log in again.', welcome: 'Welcome, {name}',
  emailTaken: 'This email is already registered', nMembers: '{n}/{m} members', private: 'Private', skip: 'Skip to content', more: 'More', memberList: 'Member list',
};

const KEY = 'somoim.lang';
export let lang = localStorage.getItem(KEY) || (/^ko\b/i.test(navigator.language || 'ko') ? 'ko' : 'en');
if (lang !== 'ko' && lang !== 'en') lang = 'ko';
document.documentElement.lang = lang;

export function t(key, vars) {
  const s = (lang === 'en' ? en[key] : undefined) ?? ko[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? '')) : s;
}

export function setLang(l) {
  localStorage.setItem(KEY, l);
  lang = l;
  document.documentElement.lang = l;
}

// Times from the API are RFC 3339 UTC; shown in the user's zone and language.
export function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US',
    { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
