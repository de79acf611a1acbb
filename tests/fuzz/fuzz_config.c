/*
 * fuzz_config.c - libFuzzer target for config files (src/params.h:
 * param_load_file, the INI reader), followed by config_finish as the
 * imcsim command does. The input is written to an in-memory file.
 *
 * Beyond memory safety: a rejected file always gets a "path:line: ..."
 * message.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "params.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static imcsim_config_t cfg;
	const char *path = fuzz_memfd_path(data, size);

	config_defaults(&cfg);
	imc_clear_error();
	if (param_load_file(config_table(), &cfg, path, NULL)) {
		if (strncmp(imc_last_error(), path, strlen(path)) != 0)
			abort();
		return 0;
	}
	imc_clear_error();
	if (config_finish(&cfg) && imc_last_error()[0] == '\0')
		abort();
	return 0;
}
