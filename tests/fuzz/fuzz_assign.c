/*
 * fuzz_assign.c - libFuzzer target for command-line values (src/params.h:
 * param_set_assignment, the `--set section.key=value` option), then
 * config_finish. The input is split at '\n' into several assignments, as a
 * command line with several --set options; a NUL ends the input early, as
 * it would on a real command line.
 *
 * Beyond memory safety: a rejected assignment leaves the configuration
 * untouched and names the problem.
 */
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static imcsim_config_t cfg, before;
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	config_defaults(&cfg);
	for (char *s = text, *nl; s; s = nl ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		memcpy(&before, &cfg, sizeof(cfg));
		imc_clear_error();
		if (param_set_assignment(config_table(), &cfg, s)) {
			if (imc_last_error()[0] == '\0' ||
			    memcmp(&before, &cfg, sizeof(cfg)) != 0)
				abort();
			break;
		}
	}
	imc_clear_error();
	if (config_finish(&cfg) && imc_last_error()[0] == '\0')
		abort();
	free(text);
	return 0;
}
