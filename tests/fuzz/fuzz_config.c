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
	char err[512];
	const char *path = fuzz_memfd_path(data, size);

	config_defaults(&cfg);
	err[0] = '\0';
	if (param_load_file(config_table(), &cfg, path, NULL, err,
			    sizeof(err))) {
		if (strncmp(err, path, strlen(path)) != 0)
			abort();
		return 0;
	}
	err[0] = '\0';
	if (config_finish(&cfg, err, sizeof(err)) && err[0] == '\0')
		abort();
	return 0;
}
