/* commands.h - the imcsim sub-commands; each takes argv with argv[0] the
 * command name and returns the exit status (0 ok, 1 failure, 2 usage). */
#ifndef IMCSIM_COMMANDS_H
#define IMCSIM_COMMANDS_H

#include "cli.h"

int cmd_demo(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_yield(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_fetch_data(int argc, char **argv);

#endif /* IMCSIM_COMMANDS_H */
