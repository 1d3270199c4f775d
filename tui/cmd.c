/* What every command needs: the run's session (backend/session.c). */
#include "cmd.h"
#include "cli-out.h"

#include <stdlib.h>
#include <string.h>

int
cmd_prepare_quiet(struct cmd_ctx *c, int flags, char *err, size_t len)
{
	struct session_opts o = {
		.answers_path = c->answers_path,
		.target = c->target,
		.profile = c->profile,
		.host = flags & CMD_NEEDS_HOST ? SESSION_HOST :
		    flags & CMD_EXISTING_HOST ? SESSION_HOST_EXISTING :
		    SESSION_NO_HOST,
	};
	int rc = session_open(&c->s, &o, err, len);

	return rc == 1 ? EXIT_FINDINGS : rc == 2 ? EXIT_USAGE : EXIT_OK;
}

int
cmd_prepare(struct cmd_ctx *c, int flags)
{
	char err[2048];
	int rc = cmd_prepare_quiet(c, flags, err, sizeof err);

	if (rc != EXIT_OK)
		cli_error("%s", err);
	return rc;
}

void
cmd_finish(struct cmd_ctx *c)
{
	session_close(&c->s);
}

void
cmd_print_findings(struct cmd_ctx *c, FILE *fp, const struct findings *f)
{
	struct findings shown = {0};

	/* "ok" lines are for the wizard and --json; a CLI run shows what
	 * needs attention. */
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];

		if (x->sev != SEV_OK)
			findings_add_copy(&shown, x);
	}
	findings_print(fp, &shown, c->color, &c->s.answers);
	findings_free(&shown);
}
