/* suggest.c - closest-name suggestions; see suggest.h. */
#include "suggest.h"

#include <string.h>

enum { MAXLEN = 64 };

unsigned suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAXLEN || lb >= MAXLEN)
		return 99;
	unsigned d[MAXLEN + 1][MAXLEN + 1];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			unsigned c = a[i - 1] != b[j - 1];
			unsigned v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *suggest_best(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	unsigned bd = 99;
	for (size_t i = 0; i < n; i++) {
		unsigned dd = suggest_distance(word, names[i]);
		if (dd < bd) {
			bd = dd;
			best = names[i];
		}
	}
	size_t len = strlen(word);
	return best && bd <= 2 && 2 * bd < len ? best : NULL;
}
