/*
 * query.c -- fuzz target: the query string (sm_req_query, sm_url_decode) and
 * the list parameters read from it (sm_page_or_reply's limit and cursor), and
 * form bodies read the same way (sm_urlenc_get, sm_urlenc_count: the auth
 * server's /oauth/token and login form).
 * Properties: a decoded value is never longer than what it was decoded from;
 * a name found is counted at least once, and never more often than there are '&';
 * a query sm_has_control passes decodes to values without control bytes.
 */
#include "fuzz.h"
#include "sm_http.h"
#include "sm_pool.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_name[] = "query";
const char *fuzz_seeds[] = {
	"limit=20&cursor=cC40Mg", "q=%EB%93%B1%EC%82%B0+%26+%ED%81%B4%EB%9D%BC%EC%9D%B4%EB%B0%8D&region=11",
	"limit&cursor=&=x&&q=%", "q=%zz%4%%41", "interest=1&interest=2&size=100",
	"grant_type=authorization_code&code=a&code=b&code_verifier=x%2By&redirect_uri=",
	"q=probe%00zzzz", "q=a%1fb&limit=%7F", "q=%%0041",
	NULL,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "limit", "cursor", "q", "region", "code", "" };
	struct sm_req req;
	char *query = fuzz_cstr(data, size);
	const char *v, *c;
	int clean = !sm_has_control(query);
	size_t i;

	memset(&req, 0, sizeof(req));
	req.pool = sm_pool_new(0);
	req.query = query;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *amp;
		int n = sm_urlenc_count(query, names[i]), ands = 0;

		for (amp = query; (amp = strchr(amp, '&')) != NULL; amp++)
			ands++;
		FUZZ_CHECK(n >= 0 && n <= ands + 1);
		if ((v = sm_req_query(&req, names[i])) != NULL) {
			FUZZ_CHECK(strlen(v) <= size);
			FUZZ_CHECK(n >= 1);
			for (c = v; clean && *c != '\0'; c++)
				FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
		}
		v = sm_urlenc_get(req.pool, query, names[i]);
		FUZZ_CHECK(v == NULL || strlen(v) <= size);
	}
	v = sm_url_decode(req.pool, query, size);
	FUZZ_CHECK(v == NULL || strlen(v) <= size);
	sm_pool_free(req.pool);
	free(query);
	return 0;
}
