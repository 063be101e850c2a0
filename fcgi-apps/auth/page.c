/*
 * page.c -- the auth server's own pages: the login form and the error page.
 *
 * Server-rendered HTML, Korean first, that signs in without JavaScript: a
 * plain form posting back to /oauth/authorize with the request's parameters
 * as hidden fields.  No script and no inline style anywhere, so the page
 * lives under a CSP of default-src 'none' (sent here, with frame-ancestors
 * 'none' against clickjacking and no-store so no login page is cached).
 * Every value that came from the request is HTML-escaped.
 */
#include "auth.h"

#include <string.h>

char *
html_escape(struct sm_pool *pool, const char *text)
{
	size_t n = 0;
	const char *s;
	char *out, *o;

	if (text == NULL)
		return "";
	for (s = text; *s; s++)
		n += strchr("&<>\"'", *s) ? 6 : 1;
	out = o = sm_pool_alloc(pool, n + 1);
	for (s = text; *s; s++) {
		switch (*s) {
		case '&': memcpy(o, "&amp;", 5); o += 5; break;
		case '<': memcpy(o, "&lt;", 4); o += 4; break;
		case '>': memcpy(o, "&gt;", 4); o += 4; break;
		case '"': memcpy(o, "&quot;", 6); o += 6; break;
		case '\'': memcpy(o, "&#39;", 5); o += 5; break;
		default: *o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static void
reply_html(struct sm_req *req, int status, const char *html)
{
	sm_reply_header(req, "Content-Security-Policy",
	    "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	sm_reply_header(req, "X-Frame-Options", "DENY");
	sm_reply_header(req, "Cache-Control", "no-store");
	sm_reply_header(req, "Referrer-Policy", "no-referrer");
	sm_reply(req, status, "text/html; charset=utf-8", html, strlen(html));
}

#define HEAD "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n" \
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"

static const char *
hidden(struct sm_req *req, const char *name, const char *value)
{
	if (value == NULL)
		return "";
	return sm_pool_printf(req->pool, "<input type=\"hidden\" name=\"%s\" value=\"%s\">\n",
	    name, html_escape(req->pool, value));
}

void
page_login(struct sm_req *req, int status, const struct authz_params *p, const char *csrf,
    const char *email, const char *message)
{
	struct sm_pool *pool = req->pool;
	const char *html;

	html = sm_pool_printf(pool, HEAD
	    "<title>소모임 계정으로 로그인</title>\n</head>\n<body>\n<main>\n"
	    "<h1>소모임 계정으로 로그인</h1>\n"
	    "<p><strong>%s</strong> 서비스가 이 계정의 이메일과 이름을 요청합니다.</p>\n"
	    "%s"
	    "<form method=\"post\" action=\"/oauth/authorize\">\n"
	    "%s%s%s%s%s%s%s"
	    "<p><label for=\"email\">이메일</label><br>\n"
	    "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\""
	    " required maxlength=\"254\" value=\"%s\"></p>\n"
	    "<p><label for=\"password\">비밀번호</label><br>\n"
	    "<input id=\"password\" name=\"password\" type=\"password\""
	    " autocomplete=\"current-password\" required maxlength=\"128\"></p>\n"
	    "<p><button type=\"submit\">로그인</button></p>\n"
	    "</form>\n</main>\n</body>\n</html>\n",
	    html_escape(pool, p->client_id),
	    message ? sm_pool_printf(pool, "<p role=\"alert\">%s</p>\n",
	    html_escape(pool, message)) : "",
	    hidden(req, "csrf", csrf),
	    hidden(req, "response_type", p->response_type),
	    hidden(req, "client_id", p->client_id),
	    hidden(req, "redirect_uri", p->redirect_uri),
	    hidden(req, "state", p->state),
	    hidden(req, "code_challenge", p->code_challenge),
	    hidden(req, "code_challenge_method", p->code_challenge_method),
	    html_escape(pool, email));
	reply_html(req, status, html);
}

void
page_error(struct sm_req *req, int status, const char *title, const char *message)
{
	const char *html = sm_pool_printf(req->pool, HEAD
	    "<title>%s</title>\n</head>\n<body>\n<main>\n<h1>%s</h1>\n<p>%s</p>\n"
	    "</main>\n</body>\n</html>\n", html_escape(req->pool, title),
	    html_escape(req->pool, title), html_escape(req->pool, message));

	reply_html(req, status, html);
}
