/*
 * typo.c -- "did you mean": the closest dictionary word to each word of a
 * query that found nothing, by edit distance over jamo.
 *
 * The one design decision: Hangul syllables are compared as their jamo
 * (initial, medial, final), not as whole syllables.  A typo in Korean is one
 * wrong key, and one key is one jamo: 둥산 is one edit from 등산 (ㅡ for ㅜ) but
 * two from 부산, where syllable distance ties all three at 1.  A syllable U+AC00
 * + (L*21 + V)*28 + T decomposes arithmetically (Unicode chapter 3.12), so no
 * table is needed.  Latin letters compare case-folded.
 *
 * The dictionary is the words of community names, read by the caller
 * (search.c); this file is pure and unit-tested (lib/tests is for lib; the
 * search tests drive it over HTTP).
 */
#include "search.h"
#include "sm_pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UNITS 96    /* jamo units compared per word; longer words are not corrected */

/* Decodes one UTF-8 code point at *s (advancing it); U+FFFD on a bad byte. */
static uint32_t
next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 :
	    (c & 0xF8) == 0xF0 ? 3 : -1;

	if (n < 0) {
		*s = p + 1;
		return 0xFFFD;
	}
	if (n > 0)
		c &= 0x3F >> n;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + i;
			return 0xFFFD;
		}
		c = c << 6 | (p[i] & 0x3F);
	}
	*s = p + n + 1;
	return c;
}

/* The word as comparison units (jamo for Hangul, folded Latin); their count, or -1 if too long. */
static int
units(const char *word, uint32_t *out)
{
	const unsigned char *s = (const unsigned char *)word;
	int n = 0;

	while (*s) {
		uint32_t c = next_cp(&s);

		if (c >= 0xAC00 && c <= 0xD7A3) {
			uint32_t i = c - 0xAC00, t = i % 28;

			if (n + 3 > MAX_UNITS)
				return -1;
			out[n++] = 0x1100 + i / 588;
			out[n++] = 0x1161 + i % 588 / 28;
			if (t != 0)
				out[n++] = 0x11A7 + t;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (n + 1 > MAX_UNITS)
			return -1;
		out[n++] = c;
	}
	return n;
}

/* Levenshtein distance of a and b, or a value > max once it must exceed max. */
static int
distance(const uint32_t *a, int na, const uint32_t *b, int nb, int max)
{
	int prev[MAX_UNITS + 1], cur[MAX_UNITS + 1];

	if (abs(na - nb) > max)
		return max + 1;
	for (int j = 0; j <= nb; j++)
		prev[j] = j;
	for (int i = 1; i <= na; i++) {
		int row_min;

		cur[0] = row_min = i;
		for (int j = 1; j <= nb; j++) {
			int d = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
			if (d < row_min)
				row_min = d;
		}
		if (row_min > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (size_t)(nb + 1));
	}
	return prev[nb];
}

int
typo_distance(const char *a, const char *b)
{
	uint32_t ua[MAX_UNITS], ub[MAX_UNITS];
	int na = units(a, ua), nb = units(b, ub);

	if (na < 0 || nb < 0)
		return -1;
	return distance(ua, na, ub, nb, MAX_UNITS);
}

const char *
typo_closest(const char *word, const char *const *dict, const int *weight, size_t n)
{
	uint32_t uw[MAX_UNITS], ud[MAX_UNITS];
	int nw = units(word, uw), best_d, best_w = -1;
	const char *best = NULL;

	if (nw < 2)
		return NULL;
	/* One edit for short words (a 2-syllable word is 4-6 jamo), two for longer ones. */
	best_d = (nw <= 6 ? 1 : 2) + 1;
	for (size_t i = 0; i < n; i++) {
		int nd = units(dict[i], ud), d;

		if (nd < 0)
			continue;
		if ((d = distance(uw, nw, ud, nd, best_d)) == 0)
			return NULL;    /* the word itself is known: nothing to correct */
		if (d < best_d || (d == best_d && best != NULL && weight[i] > best_w)) {
			best_d = d;
			best_w = weight[i];
			best = dict[i];
		}
	}
	return best;
}
