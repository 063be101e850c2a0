/*
 * fcgi-hello.c -- the smallest FastCGI program: the ceiling the benchmark
 * compares every endpoint with.  Plain libfcgi, no runner, no JSON library.
 */
#include <fcgiapp.h>
#include <string.h>

int
main(void)
{
	static const char reply[] = "Status: 200 OK\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Content-Length: 17\r\n\r\n{\"hello\":\"world\"}";
	FCGX_Request r;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(reply, (int)strlen(reply), r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}
