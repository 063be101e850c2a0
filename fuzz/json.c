/*
 * json.c -- fuzz target: sm_json_parse, the strict parser every request body
 * goes through (UTF-8, depth, numbers, no trailing bytes).  Properties: what
 * it accepts serialises and parses again to the same text, and outside its
 * strings every '.' of an accepted text has a digit on each side (RFC 8259
 * numbers: no "5.", "1.e5", ".5").
 */
#include "fuzz.h"
#include "sm_json.h"

#include <string.h>

const char fuzz_name[] = "json";
const char *fuzz_seeds[] = {
	"{\"title\":\"등산 모임\",\"max_members\":30,\"is_private\":false,\"tags\":[1,2.5e3,-0.0]}",
	"{\"a\":{\"b\":[null,true,\"\\u00e9\\ud83c\\udfd4\\n\\\"\"]}}",
	"[[[[[[[[[[1]]]]]]]]]]",
	"\"x\"", " 42 ", "{}", "[]",
	"[5.]", "[0.]", "[1.e5]", "[-0.5e-3]", "{\"a\":\"5.\"}",
	NULL,
};

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
check_dots(const char *s, size_t len)
{
	int in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_string && s[i] == '\\')
			i++;
		else if (s[i] == '"')
			in_string = !in_string;
		else if (!in_string && s[i] == '.')
			FUZZ_CHECK(i > 0 && i + 1 < len && digit(s[i - 1]) && digit(s[i + 1]));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *o = sm_json_parse((const char *)data, size), *again;
	const char *text;

	(void)sm_utf8_chars((const char *)data, size);
	if (o == NULL)
		return 0;
	check_dots((const char *)data, size);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	again = sm_json_parse(text, strlen(text));
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(strcmp(json_object_to_json_string_ext(again, JSON_C_TO_STRING_PLAIN), text) == 0);
	json_object_put(again);
	json_object_put(o);
	return 0;
}
