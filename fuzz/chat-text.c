/*
 * chat-text.c -- fuzz target: the chat's checks of a message's text and of
 * a message id (fcgi-apps/chat/text.c), which read any client's bytes.
 * Properties: trimming stays inside the input and is idempotent; an
 * accepted text is valid UTF-8 of 1..2,000 characters whose only control
 * character is the newline and which neither starts nor ends with white
 * space; an accepted id has the id's shape and a positive seq.
 */
#include "fuzz.h"
#include "text.h"
#include "sm_json.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_name[] = "chat-text";
const char *fuzz_seeds[] = {
	"  안녕하세요 👋\n반가워요  ", "", " \n\t\xE3\x80\x80 ", "tab\there", "bel\x07",
	"c1\xC2\x85", "\xC2\xA0x\xC2\xA0", "ok\xff\xfe", "1796401664457-0000000001",
	"1796401664457-0000000000", "179640166445-00000000001", "a", NULL,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *t;
	size_t len = strlen(s), a, n, a2, n2;
	long long seq;

	n = chat_trim(s, len, &a);
	FUZZ_CHECK(a + n <= len);
	n2 = chat_trim(s + a, n, &a2);
	FUZZ_CHECK(a2 == 0 && n2 == n);
	t = strndup(s + a, n);
	FUZZ_CHECK(t != NULL);
	if (chat_text_problem(t, n) == NULL) {
		size_t i, chars = sm_utf8_chars(t, n);

		FUZZ_CHECK(chars != (size_t)-1 && chars >= 1 && chars <= CHAT_TEXT_MAX);
		for (i = 0; i < n; i++)
			FUZZ_CHECK((unsigned char)t[i] >= 0x20 || t[i] == '\n');
		FUZZ_CHECK(t[0] != ' ' && t[0] != '\n' && t[n - 1] != ' ' && t[n - 1] != '\n');
	}
	if (chat_parse_id(s, &seq) == 0) {
		FUZZ_CHECK(len == 24 && s[13] == '-' && seq > 0);
		FUZZ_CHECK(strspn(s, "0123456789") == 13 && strspn(s + 14, "0123456789") == 10);
	}
	free(t);
	free(s);
	return 0;
}
