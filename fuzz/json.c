/*
 * json.c -- fuzz target: sm_json_parse, the strict parser every request body
 * goes through (UTF-8, depth, numbers, no trailing bytes).  Property: what it
 * accepts serialises and parses again to the same text.
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
	NULL,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *o = sm_json_parse((const char *)data, size), *again;
	const char *text;

	(void)sm_utf8_chars((const char *)data, size);
	if (o == NULL)
		return 0;
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	again = sm_json_parse(text, strlen(text));
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(strcmp(json_object_to_json_string_ext(again, JSON_C_TO_STRING_PLAIN), text) == 0);
	json_object_put(again);
	json_object_put(o);
	return 0;
}
