/*
 * text.c -- the chat's checks of what clients send (text.h): pure functions,
 * also driven by fuzz/chat-text.c.
 */
#include "text.h"
#include "sm_json.h"

#include <stdlib.h>
#include <string.h>

/*
 * Checks text (NUL-terminated, len bytes): a reason string when it is not
 * acceptable, NULL when it is.  C0 controls but '\n', DEL and the C1
 * controls (U+0080..U+009F) are refused.
 */
const char *
chat_text_problem(const char *s, size_t len)
{
	size_t chars, i;

	if (strlen(s) != len || (chars = sm_utf8_chars(s, len)) == (size_t)-1)
		return "must be valid UTF-8 text";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f ||
		    (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f))
			return "must not contain control characters (a newline is fine)";
	}
	if (chars < 1)
		return "must not be empty or only white space";
	if (chars > CHAT_TEXT_MAX)
		return "must be at most 2000 characters long";
	return NULL;
}

/* Is the byte at s the start of white space to trim (ASCII, U+3000, U+00A0)?  Its length. */
static size_t
space_len(const char *s, size_t left)
{
	if (left >= 1 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
	    *s == '\v'))
		return 1;
	if (left >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	if (left >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)
		return 2;
	return 0;
}

size_t
chat_trim(const char *s, size_t len, size_t *start)
{
	size_t a = 0, b = len, k;

	while (a < b && (k = space_len(s + a, b - a)) > 0)
		a += k;
	for (;;) {
		if (b > a && space_len(s + b - 1, 1) == 1) {
			b--;
		} else if (b - a >= 2 && memcmp(s + b - 2, "\xC2\xA0", 2) == 0) {
			b -= 2;
		} else if (b - a >= 3 && memcmp(s + b - 3, "\xE3\x80\x80", 3) == 0) {
			b -= 3;
		} else {
			break;
		}
	}
	*start = a;
	return b - a;
}

int
chat_parse_id(const char *s, long long *seq)
{
	size_t i;

	if (s == NULL || strlen(s) != 24 || s[13] != '-')
		return -1;
	for (i = 0; i < 24; i++)
		if (i != 13 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*seq = strtoll(s + 14, NULL, 10);
	return *seq > 0 ? 0 : -1;
}

