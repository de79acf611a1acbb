/* cmd_train.c - `imcsim train`: software training of the hardware-exact
 * BNN, saved as a net file; `imcsim params`: the parameter list. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

#include "bnn/netfile.h"
#include "experiment.h"

int cmd_train(int argc, char **argv)
{
	const char *out_path = NULL;
	bool norm = false;
	cli_opt_t opts[] = {
		{ "out", true, "FILE", "save the trained net (imcsim-bnn text)",
		  &out_path, NULL },
		{ "norm", false, NULL,
		  "train on normalized inputs "
		  "(train.norm_target)",
		  NULL, &norm },
	};
	cli_t cli;
	int rc = cli_parse(&cli, argc, argv, "[--out FILE] [--norm] [options]",
			   "Train the hardware-exact BNN in software (binary "
			   "weights, STE, squared hinge, ADAM) and report its "
			   "test accuracy.",
			   opts, 2);
	if (rc)
		return rc > 0 ? 0 : 2;
	cli_out_t net_out = { 0 }, json_out = { 0 };
	if (out_path && cli_out_open_opt(&net_out, out_path, "--out"))
		return cli_fail(&cli, "%s", imc_last_error());
	if (cli.json_path && cli_out_open(&json_out, cli.json_path)) {
		cli_out_abort(&net_out);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	exp_data_t d;
	struct bnn_net net;
	double acc = 0;
	struct bnn_evaluator ideal = bnn_ideal_evaluator();
	if (exp_data_load(&cli.cfg, &d, &cli.inputs) ||
	    exp_train(&cli.cfg, &d, norm, &net, cli_progress, &cli, 0, 1) ||
	    bnn_accuracy(&net, &ideal, norm ? &d.test_norm : &d.test, &acc)) {
		exp_data_free(&d);
		cli_out_abort(&net_out);
		cli_out_abort(&json_out);
		return cli_fail(&cli, "%s", imc_last_error());
	}
	size_t n_train = d.train.n, n_test = d.test.n;
	exp_data_free(&d);
	printf("trained %s BNN (seed %llu, %u epochs, %zu images): test "
	       "accuracy %.2f%% on %zu images\n",
	       norm ? "input-normalized" : "plain",
	       (unsigned long long)cli.cfg.train.seed, cli.cfg.train.epochs,
	       n_train, 100 * acc, n_test);
	if (out_path) {
		if (bnn_net_save(&net, net_out.tmp,
				 "written by imcsim train") ||
		    cli_out_commit_file(&net_out)) {
			cli_out_abort_err(&net_out);
			cli_out_abort(&json_out);
			return cli_fail(&cli, "%s", imc_last_error());
		}
		printf("saved %s\n", out_path);
	}
	if (!cli.json_path)
		return 0;
	cJSON *root = cli_json_new(&cli);
	cJSON_AddStringToObject(
		root, "mode", norm ? "ideal_software_norm" : "ideal_software");
	cJSON_AddNumberToObject(root, "test_accuracy", acc);
	cli_json_add_u64(root, "train_seed", cli.cfg.train.seed);
	cJSON_AddNumberToObject(root, "train_images", (double)n_train);
	cJSON_AddNumberToObject(root, "test_images", (double)n_test);
	rc = cli_json_write(&cli, &json_out, root);
	cJSON_Delete(root);
	return rc;
}

int cmd_params(int argc, char **argv)
{
	cli_t cli;
	bool markdown = false;
	cli_opt_t opts[] = {
		{ "markdown", false, NULL,
		  "print the declaration tables of doc/parameters.md instead",
		  NULL, &markdown },
	};
	int rc = cli_parse(&cli, argc, argv,
			   "[--config FILE] [--set ...] [--markdown]",
			   "List every parameter: section.key = value unit "
			   "[range] and what it is.\nA config file uses the "
			   "same names: [section] then key = value. With "
			   "--json, each parameter's declaration (unit, "
			   "default, range, meaning, source) is written too.",
			   opts, sizeof(opts) / sizeof(opts[0]));
	if (rc)
		return rc > 0 ? 0 : 2;
	if (markdown) {
		config_print_markdown(stdout);
		return 0;
	}
	cli_out_t out = { 0 };
	if (cli.json_path && cli_out_open(&out, cli.json_path))
		return cli_fail(&cli, "%s", imc_last_error());
	param_print(config_table(), &cli.cfg, stdout);
	if (!cli.json_path)
		return 0;
	/* every result's header already holds all values; add what each
	 * parameter is */
	cJSON *root = cli_json_new(&cli);
	cJSON_AddItemToObject(root, "declarations", cli_json_declarations());
	rc = cli_json_write(&cli, &out, root);
	cJSON_Delete(root);
	return rc;
}
