/*
 * fcgi-whoami.c -- a FastCGI program that answers every request with who it
 * is ($SOMOIM_WHOAMI, the service whose socket it was started on), the
 * method and the URI nginx passed on.  t/002-routes.t starts one per service
 * behind the real gateway config to see where nginx sends each route.
 * Plain libfcgi: it must not need a config, a database or a token.
 */
#include <fcgiapp.h>
#include <stdlib.h>
#include <string.h>

/* Copies s into out (size n) with '"', '\\' and controls made '_' (a JSON string). */
static const char *
plain(const char *s, char *out, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < n; i++)
		out[i] = (s[i] == '"' || s[i] == '\\' || (unsigned char)s[i] < 0x20) ? '_' : s[i];
	out[i] = '\0';
	return out;
}

int
main(void)
{
	const char *who = getenv("SOMOIM_WHOAMI");
	char name[64], method[16], uri[512];
	FCGX_Request r;

	if (who == NULL || FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	plain(who, name, sizeof(name));
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_FPrintF(r.out, "Status: 200 OK\r\nContent-Type: application/json\r\n\r\n"
		    "{\"service\":\"%s\",\"method\":\"%s\",\"uri\":\"%s\"}", name,
		    plain(FCGX_GetParam("REQUEST_METHOD", r.envp), method, sizeof(method)),
		    plain(FCGX_GetParam("REQUEST_URI", r.envp), uri, sizeof(uri)));
		FCGX_Finish_r(&r);
	}
	return 0;
}
