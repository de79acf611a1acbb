/* test_cli_conv.c - imcsim's options follow the Unix conventions
 * (getopt_long: --opt=value, unique prefixes, --, short options), typos get
 * a "did you mean", every command has --version, help fits 80 columns, and
 * the man page lists exactly the commands and options the program has.
 * Each case is a reproduction from issue 13. */
#include <cjson/cJSON.h>
#include <ctype.h>

#include "cli_harness.h"

static const char *const cmds[] = { "demo",	 "train", "eval",
				    "calibrate", "trace", "sweep",
				    "yield",	 "plot",  "params" };
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

START_TEST(test_opt_equals_value_and_short)
{
	ck_assert_int_eq(sh("$IMCSIM params --set=train.epochs=5"), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "train.epochs = 5 "));
	ck_assert_int_eq(sh("$IMCSIM params -s train.epochs=6 -q"), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "train.epochs = 6 "));
	ck_assert_int_eq(sh("$IMCSIM params -s train.epochs=7 -j p.json"), 0);
	ck_assert(exists(at("p.json")));
	/* a unique prefix */
	ck_assert_int_eq(sh("$IMCSIM params --qui"), 0);
	/* -- ends the options: what follows is an argument, refused */
	ck_assert_int_eq(sh("$IMCSIM params -- --quiet"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "unexpected argument '--quiet'"));
}
END_TEST

START_TEST(test_did_you_mean)
{
	ck_assert_int_eq(sh("$IMCSIM params --jsno x"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "did you mean --json?"));
	ck_assert_int_eq(sh("$IMCSIM params --set train.epoch=3"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "did you mean 'train.epochs'?"));
	ck_assert_int_eq(sh("$IMCSIM calibrat"), 2);
	ck_assert_ptr_nonnull(strstr(errbuf, "did you mean calibrate?"));
	/* nothing close: no suggestion */
	ck_assert_int_eq(sh("$IMCSIM params --zzzzzzzz"), 2);
	ck_assert_ptr_null(strstr(errbuf, "did you mean"));
}
END_TEST

START_TEST(test_version_everywhere)
{
	ck_assert_int_eq(sh("$IMCSIM --version"), 0);
	ck_assert_ptr_nonnull(strstr(outbuf, "(commit "));
	for (size_t i = 0; i < NCMDS; i++) {
		ck_assert_int_eq(sh("$IMCSIM %s --version", cmds[i]), 0);
		ck_assert_msg(!strncmp(outbuf, "imcsim ", 7) &&
				      strstr(outbuf, "(commit "),
			      "%s --version: %s", cmds[i], outbuf);
	}
	/* and every JSON result records it with the command line */
	ck_assert_int_eq(sh("$IMCSIM params -q --json p.json"), 0);
	static char text[1 << 17];
	slurp_into(at("p.json"), text, sizeof(text));
	cJSON *root = cJSON_Parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(root, "commit"));
	cJSON *line = cJSON_GetObjectItem(root, "command_line");
	ck_assert_int_eq(cJSON_GetArraySize(line), 5);
	ck_assert_str_eq(cJSON_GetArrayItem(line, 2)->valuestring, "-q");
	cJSON_Delete(root);
}
END_TEST

static void check_width(const char *what)
{
	const char *p = outbuf;
	while (*p) {
		size_t n = strcspn(p, "\n");
		ck_assert_msg(n <= 80, "%s: a line of %zu columns: %.*s", what,
			      n, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

START_TEST(test_help_80_columns)
{
	ck_assert_int_eq(sh("$IMCSIM --help"), 0);
	check_width("imcsim --help");
	for (size_t i = 0; i < NCMDS; i++) {
		ck_assert_int_eq(sh("$IMCSIM %s --help", cmds[i]), 0);
		check_width(cmds[i]);
	}
}
END_TEST

/* ---- the man page against --help ---------------------------------------- */

typedef struct names {
	char v[128][40];
	size_t n;
} names_t;

static void add(names_t *s, const char *w, size_t len)
{
	if (len >= sizeof(s->v[0]))
		return;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && !strncmp(s->v[i], w, len))
			return;
	ck_assert_uint_lt(s->n, 128);
	memcpy(s->v[s->n], w, len);
	s->v[s->n++][len] = 0;
}

static bool has(const names_t *s, const char *w)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], w))
			return true;
	return false;
}

/* every --long-option in text */
static void long_options(const char *text, names_t *s)
{
	for (const char *p = text; (p = strstr(p, "--")); p += 2) {
		const char *w = p + 2;
		size_t n = 0;
		while (islower((unsigned char)w[n]) || w[n] == '-')
			n++;
		while (n && w[n - 1] == '-')
			n--;
		if (n >= 2 && (p == text || !isalnum((unsigned char)p[-1])))
			add(s, w, n);
	}
}

START_TEST(test_man_page_matches_help)
{
	static char man[1 << 17], plain[1 << 17];
	slurp_into(IMCSIM_MAN, man, sizeof(man));
	ck_assert_msg(man[0], "cannot read %s", IMCSIM_MAN);
	/* roff's \- is a -, font escapes go */
	size_t k = 0;
	for (const char *p = man; *p && k < sizeof(plain) - 1; p++) {
		if (p[0] == '\\' && p[1] == '-') {
			plain[k++] = '-';
			p++;
		} else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
			p += 2;
		} else {
			plain[k++] = *p;
		}
	}
	plain[k] = 0;
	/* commands: the COMMANDS section's .TP items */
	names_t man_cmds = { .n = 0 }, help_cmds = { .n = 0 };
	const char *sec = strstr(plain, ".SH COMMANDS");
	const char *end = strstr(plain, ".SH OPTIONS");
	ck_assert(sec && end);
	for (const char *p = sec; (p = strstr(p, ".TP\n")) && p < end; p += 4) {
		const char *w = p + 4;
		if (!strncmp(w, ".BR ", 4) || !strncmp(w, ".B ", 3))
			w = strchr(w, ' ') + 1;
		else if (*w == 'B')
			w++;
		size_t n = 0;
		while (islower((unsigned char)w[n]) || w[n] == '-')
			n++;
		add(&man_cmds, w, n);
	}
	ck_assert_int_eq(sh("$IMCSIM --help"), 0);
	const char *c = strstr(outbuf, "commands:\n");
	ck_assert_ptr_nonnull(c);
	for (c = strchr(c, '\n') + 1; c[0] == ' ' && c[1] == ' ';) {
		const char *w = c + 2;
		add(&help_cmds, w, strcspn(w, " "));
		c = strchr(c, '\n') + 1;
	}
	for (size_t i = 0; i < help_cmds.n; i++)
		ck_assert_msg(has(&man_cmds, help_cmds.v[i]),
			      "command %s is not in the man page",
			      help_cmds.v[i]);
	for (size_t i = 0; i < man_cmds.n; i++)
		ck_assert_msg(has(&help_cmds, man_cmds.v[i]),
			      "the man page's command %s is not in --help",
			      man_cmds.v[i]);
	/* options: every --option of every command's help is in the man
	 * page, and the man page names no option the program lacks */
	names_t man_opts = { .n = 0 }, help_opts = { .n = 0 };
	long_options(plain, &man_opts);
	for (size_t i = 0; i < help_cmds.n; i++) {
		ck_assert_int_eq(sh("$IMCSIM %s --help", help_cmds.v[i]), 0);
		const char *o = strstr(outbuf, "\noptions:\n");
		ck_assert_ptr_nonnull(o);
		long_options(o, &help_opts);
	}
	for (size_t i = 0; i < help_opts.n; i++)
		ck_assert_msg(has(&man_opts, help_opts.v[i]),
			      "option --%s is not in the man page",
			      help_opts.v[i]);
	for (size_t i = 0; i < man_opts.n; i++)
		ck_assert_msg(has(&help_opts, man_opts.v[i]),
			      "the man page's option --%s is in no --help",
			      man_opts.v[i]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_conv");
	TCase *tc = tcase_create("conventions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120); /* only quick runs: --help, params */
	tcase_add_test(tc, test_opt_equals_value_and_short);
	tcase_add_test(tc, test_did_you_mean);
	tcase_add_test(tc, test_version_everywhere);
	tcase_add_test(tc, test_help_80_columns);
	tcase_add_test(tc, test_man_page_matches_help);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
