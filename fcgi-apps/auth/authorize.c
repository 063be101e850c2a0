/*
 * authorize.c -- GET/POST /oauth/authorize: the authorization endpoint.
 *
 * Order of checks (RFC 6749 §4.1.2.1): first the client and its redirect URI;
 * while either is unknown we must not redirect anywhere, so the answer is an
 * error page.  Once both are known good, every other problem goes back to the
 * client as redirect_uri?error=...&state=....  With a session the browser is
 * sent straight on with a code; without one it gets the login page, whose
 * form posts here with the same parameters, a CSRF token and the password.
 */
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CSRF_BYTES 24
#define STATE_MAX 256
#define CODE_BYTES 32

char *
url_encode(struct sm_pool *pool, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = sm_pool_alloc(pool, strlen(s) * 3 + 1), *o = out;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

static const char *const PARAM_NAMES[] = {
	"response_type", "client_id", "redirect_uri", "state", "code_challenge",
	"code_challenge_method",
};

/* Reads the parameters from text (query or form body): 0, or -1 when one repeats. */
static int
read_params(struct sm_req *req, const char *text, struct authz_params *p)
{
	const char **slots[] = { &p->response_type, &p->client_id, &p->redirect_uri,
	    &p->state, &p->code_challenge, &p->code_challenge_method };
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (sm_urlenc_count(text, PARAM_NAMES[i]) > 1)
			return -1;
		*slots[i] = sm_urlenc_get(req->pool, text, PARAM_NAMES[i]);
	}
	return 0;
}

static void
redirect(struct sm_req *req, const char *location)
{
	sm_reply_header(req, "Location", location);
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_empty(req, 302);
}

/* redirect_uri?error=...&error_description=...[&state=...] */
static void
redirect_error(struct sm_req *req, const struct authz_params *p, const char *error,
    const char *description)
{
	redirect(req, sm_pool_printf(req->pool, "%s%cerror=%s&error_description=%s%s%s",
	    p->redirect_uri, strchr(p->redirect_uri, '?') ? '&' : '?', error,
	    url_encode(req->pool, description), p->state ? "&state=" : "",
	    p->state ? url_encode(req->pool, p->state) : ""));
}

static int
is_b64url(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

/*
 * Checks the request; 0 when it may go on, -1 after answering (error page or
 * error redirect).
 */
static int
check_or_reply(struct sm_req *req, const char *text, struct authz_params *p)
{
	const struct auth_client *c;
	int repeated = read_params(req, text, p);

	if (p->client_id == NULL || (c = client_find(auth_state(req), p->client_id)) == NULL) {
		page_error(req, 400, "알 수 없는 클라이언트",
		    "등록되지 않은 클라이언트의 요청입니다 (unknown client_id).");
		return -1;
	}
	if (p->redirect_uri == NULL || !client_redirect_ok(c, p->redirect_uri)) {
		page_error(req, 400, "잘못된 redirect_uri",
		    "이 클라이언트에 등록된 redirect_uri가 아닙니다 (redirect_uri not registered).");
		return -1;
	}
	if (repeated) {
		page_error(req, 400, "잘못된 요청", "같은 매개변수가 두 번 왔습니다.");
		return -1;
	}
	if (p->state != NULL && strlen(p->state) > STATE_MAX) {
		p->state = NULL;
		redirect_error(req, p, "invalid_request", "state is longer than 256 characters");
		return -1;
	}
	if (p->response_type == NULL || strcmp(p->response_type, "code") != 0) {
		redirect_error(req, p, p->response_type ? "unsupported_response_type" :
		    "invalid_request", "response_type must be code");
		return -1;
	}
	if (p->state == NULL || *p->state == '\0') {
		redirect_error(req, p, "invalid_request", "state is required");
		return -1;
	}
	if (p->code_challenge_method == NULL || strcmp(p->code_challenge_method, "S256") != 0) {
		redirect_error(req, p, "invalid_request",
		    "code_challenge_method must be S256 (plain is not supported)");
		return -1;
	}
	if (p->code_challenge == NULL || !is_b64url(p->code_challenge, 43, 43)) {
		redirect_error(req, p, "invalid_request",
		    "code_challenge must be the 43-character base64url SHA-256 of the verifier");
		return -1;
	}
	return 0;
}

/* Issues a code for account_id and sends the browser back to the client. */
static void
issue_code(struct sm_req *req, const struct authz_params *p, long long account_id)
{
	char code[48], hash[65];

	sm_random_token(code, sizeof(code), CODE_BYTES);
	sm_sha256_hex(code, strlen(code), hash);
	if (store_code_insert(req->app->db, hash, account_id, p->client_id, p->redirect_uri,
	    p->code_challenge, auth_state(req)->code_ttl) != 0) {
		page_error(req, 503, "잠시 후 다시 시도해 주세요",
		    "인증 서버의 저장소에 연결할 수 없습니다.");
		return;
	}
	redirect(req, sm_pool_printf(req->pool, "%s%ccode=%s&state=%s", p->redirect_uri,
	    strchr(p->redirect_uri, '?') ? '&' : '?', code, url_encode(req->pool, p->state)));
}

static void
login_page(struct sm_req *req, int status, const struct authz_params *p, const char *email,
    const char *message)
{
	const char *csrf = cookie_get(req, CSRF_COOKIE);
	char fresh[40];

	if (csrf == NULL || !is_b64url(csrf, 32, 32)) {
		sm_random_token(fresh, sizeof(fresh), CSRF_BYTES);
		csrf = sm_pool_strdup(req->pool, fresh);
		cookie_set(req, CSRF_COOKIE, csrf, 3600);
	}
	page_login(req, status, p, csrf, email, message);
}

void
authorize_page(struct sm_req *req)
{
	struct authz_params p;
	long long account_id;
	int r;

	if (check_or_reply(req, req->query, &p) != 0)
		return;
	if ((r = session_account(req, &account_id)) < 0) {
		page_error(req, 503, "잠시 후 다시 시도해 주세요",
		    "인증 서버의 저장소에 연결할 수 없습니다.");
		return;
	}
	if (r == 1)
		issue_code(req, &p, account_id);
	else
		login_page(req, 200, &p, NULL, NULL);
}

void
authorize_form(struct sm_req *req)
{
	const char *body = req->body ? req->body : "", *csrf, *cookie, *email, *password;
	struct authz_params p;
	long long account_id;
	int r;

	if (req->content_type == NULL ||
	    strncmp(req->content_type, "application/x-www-form-urlencoded", 33) != 0) {
		page_error(req, 415, "잘못된 요청", "로그인 양식으로만 보낼 수 있습니다.");
		return;
	}
	if (check_or_reply(req, body, &p) != 0)
		return;
	csrf = sm_urlenc_get(req->pool, body, "csrf");
	cookie = cookie_get(req, CSRF_COOKIE);
	if (csrf == NULL || cookie == NULL || strlen(csrf) != 32 || strlen(cookie) != 32 ||
	    sodium_memcmp(csrf, cookie, 32) != 0) {
		page_error(req, 403, "요청을 확인할 수 없습니다",
		    "로그인 양식이 만료되었거나 다른 사이트에서 보낸 요청입니다. "
		    "처음부터 다시 시도해 주세요.");
		return;
	}
	email = sm_urlenc_get(req->pool, body, "email");
	password = sm_urlenc_get(req->pool, body, "password");
	if (email == NULL || password == NULL || *email == '\0' || *password == '\0' ||
	    strlen(email) > 254 || strlen(password) > 128) {
		login_page(req, 400, &p, email, "이메일과 비밀번호를 입력해 주세요.");
		return;
	}
	r = password_login(req, email, password, &account_id);
	if (r == -2) {
		sm_reply_header(req, "Retry-After", "900");
		login_page(req, 429, &p, email,
		    "로그인 실패가 너무 많습니다. 잠시 후 다시 시도해 주세요.");
		return;
	}
	if (r < 0 || (r == 1 && session_start(req, account_id) != 0)) {
		page_error(req, 503, "잠시 후 다시 시도해 주세요",
		    "인증 서버의 저장소에 연결할 수 없습니다.");
		return;
	}
	if (r == 0) {
		login_page(req, 401, &p, email, "이메일 또는 비밀번호가 올바르지 않습니다.");
		return;
	}
	issue_code(req, &p, account_id);
}
