/*
 * text.h -- the chat's checks of client input, pure and shared by the
 * program and fuzz/chat-text.c: a message's text, and a message id.
 *
 * The one design decision: white space is trimmed before the length and the
 * control characters are judged, so "  hi  " is "hi" and a trailing tab is
 * no error, but a tab inside is (only the newline is allowed).
 */
#ifndef CHAT_TEXT_H
#define CHAT_TEXT_H

#include <stddef.h>

#define CHAT_TEXT_MAX 2000      /* characters after trimming */

/*
 * The trimmed part of s[len] (ASCII white space, U+00A0, U+3000 at either
 * end): its length is returned, its start offset goes to *start.
 */
size_t chat_trim(const char *s, size_t len, size_t *start);

/*
 * Why s[len] (NUL-terminated, already trimmed) is not an acceptable text:
 * a message for the client, or NULL when it is fine (valid UTF-8 without
 * NUL, 1..CHAT_TEXT_MAX characters, no C0/C1 control or DEL but '\n').
 */
const char *chat_text_problem(const char *s, size_t len);

/* A message id "<ms:13>-<seq:10>" into its seq (> 0): 0, or -1 when s is not one. */
int chat_parse_id(const char *s, long long *seq);

#endif
