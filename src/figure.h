/*
 * figure.h - a PNG drawn by gnuplot from a script, for the commands that
 * draw one figure beside their JSON (yield, sweep).
 *
 * Contract. figure_render() runs gnuplot (looked up in PATH, so that its
 * absence is one clear error) with the terminal and output set to png
 * (pngcairo when there is one) of w x h pixels, then the script, whose data
 * comes inline as datablocks; it insists on a complete PNG afterwards
 * (pngcheck.h), since gnuplot may exit 0 after a failed write. The path is
 * the one a writer fills (output.h), so the figure appears, or not, with
 * the command's other outputs.
 */
#ifndef IMCSIM_FIGURE_H
#define IMCSIM_FIGURE_H

#include <stddef.h>

/* Is gnuplot in PATH? */
int figure_available(void);
/* Draw script into path. 0, or -1 (message in imc_last_error()). */
int figure_render(const char *script, const char *path, int w, int h);
/* A gnuplot single-quoted string of s into buf. */
void figure_quote(char *buf, size_t n, const char *s);

#endif /* IMCSIM_FIGURE_H */
