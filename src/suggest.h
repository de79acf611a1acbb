/* suggest.h - "did you mean": the closest of a list of names to a word a
 * user mistyped, if it is close enough to be a likely typo (an edit
 * distance of at most 2, and less than half the word). */
#ifndef IMCSIM_SUGGEST_H
#define IMCSIM_SUGGEST_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions, transpositions of
 * neighbours) between a and b, capped at 99. */
unsigned suggest_distance(const char *a, const char *b);
/* The best of the n names for word, or NULL when none is close. */
const char *suggest_best(const char *word, const char *const *names, size_t n);

#endif /* IMCSIM_SUGGEST_H */
