/* mpirun.h - the mpirun command line of the MPI suites: configure's
 * mpirun, allowed to run as root and to start more ranks than there are
 * cores (Open MPI), or "" when configure found none. */
#ifndef IMCSIM_TESTS_MPIRUN_H
#define IMCSIM_TESTS_MPIRUN_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char mpirun[512]; /* "" when there is none */

static inline void find_mpirun(void)
{
	mpirun[0] = 0;
	if (!strcmp(IMCSIM_MPIRUN, "no") || access(IMCSIM_MPIRUN, X_OK))
		return;
	/* Open MPI: as root only when allowed, more ranks than cores */
	char cmd[600], line[256] = "";
	snprintf(cmd, sizeof(cmd), "%s --version 2>&1", IMCSIM_MPIRUN);
	FILE *p = popen(cmd, "r");
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = 0;
		pclose(p);
	}
	/* Open MPI leaves its own allocations behind at MPI_Finalize (some
	 * in dlopen'ed components LeakSanitizer cannot name): no leak
	 * check of the MPI runs in a sanitizer build; the serial runs of
	 * the same code keep it */
	snprintf(
		mpirun, sizeof(mpirun),
		"env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
		"OMPI_MCA_rmaps_base_oversubscribe=1 "
		"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "
		"%s%s",
		IMCSIM_MPIRUN,
		strstr(line, "Open MPI") ? " --oversubscribe" : "");
}

#endif
