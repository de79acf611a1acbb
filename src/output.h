/*
 * output.h - the one way the imcsim program writes files.
 *
 * A run registers every output with out_open() before any work, which
 * validates it at once: a non-empty path, not a directory, writable, not
 * the same file as another output of the run, and a temporary name that
 * fits NAME_MAX and PATH_MAX beside it. Then:
 *   - a regular file (or a new name) is written to a temporary in the
 *     directory of its target (a symlink is followed, so the link stays and
 *     its target is replaced), with an existing file's mode kept;
 *   - `-` (standard output), a FIFO or a character device is written
 *     directly, never renamed over. While `-` is an output, everything the
 *     program prints to stdout goes to stderr instead, so the pipe carries
 *     only the result.
 * Nothing becomes visible before out_finish(): with status 0 it publishes
 * every output (all renames, or none: a failing rename puts back what was
 * there before); with any other status, or on SIGINT/SIGTERM/SIGHUP
 * (exit 130/143/129), it removes every temporary and the directory
 * out_own_dir() registered. What existed before a failed run is untouched.
 *
 * This is program state (one run per process), not library state: the
 * signal handler needs it.
 */
#ifndef IMCSIM_OUTPUT_H
#define IMCSIM_OUTPUT_H

#include <stddef.h>

#include "imc_err.h"

/* Handle of one output; 0 means none. */
typedef int out_id_t;

/* Install the signal handlers; cmd names the command in messages. */
void out_begin(const char *cmd);
/* Register and validate path (what names the option in messages, e.g.
 * "--json"). 0 and *id, or -1 with the message in imc_last_error(). */
int out_open(const char *path, const char *what, out_id_t *id);
/* The name a writer that takes a path must fill (the temporary, the FIFO
 * or device itself, or /dev/fd/N for `-`). */
const char *out_fill_name(out_id_t id);
/* The name the user gave. */
const char *out_user_name(out_id_t id);
/* The whole content of the output, from memory: written now to the
 * temporary (every write, the sync and the close checked), or kept for
 * out_finish() if the output is direct. 0, or -1 (message in imc_last_error()). */
int out_write(out_id_t id, const char *data, size_t len);
/* A writer has filled out_fill_name(): check the temporary was closed
 * cleanly. 0, or -1 (message in imc_last_error()). */
int out_filled(out_id_t id);
/* In imc_last_error() (a writer's message), the temporary's name
 * becomes the user's. */
void out_rename_in_message(out_id_t id);
/* A journal: a file that grows record by record while the run goes on
 * and survives it whatever happens (a failure, a signal), so that a later
 * run can pick up where this one stopped. Validated like any output, then
 * opened for appending, created if new and cut to keep_bytes first (a
 * record half-written by an interrupted run goes). 0 and *id, or -1. */
int out_open_journal(const char *path, const char *what, long keep_bytes,
		     out_id_t *id);
/* Append one record (every write and a data sync checked). 0, or -1. */
int out_append(out_id_t id, const char *data, size_t len);
/* A directory this run created; removed if the run fails. */
void out_own_dir(const char *dir);
/* Publish everything (status 0) or remove everything (else). Returns the
 * exit status: status, or 1 after printing why publishing failed. */
int out_finish(int status);

#endif /* IMCSIM_OUTPUT_H */
