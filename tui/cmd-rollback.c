/* ndeswiz rollback: undo the last apply from its journal. */
#include "cmd.h"
#include "journal.h"

#include <stdlib.h>

static void
progress(void *arg, enum apply_event ev, size_t i, size_t n,
    const struct change *c, const char *err)
{
	char *title = change_title(c);

	(void)arg;
	(void)ev;
	(void)err;
	printf("[%zu/%zu] undone %s\n", n - i, n, title);
	free(title);
}

static int
cmd_rollback_exec(struct cmd_ctx *c)
{
	struct apply_observer obs = { .event = progress };
	char info[1024];
	size_t undone;

	switch (journal_rollback(c->s.host, &obs, &undone, info, sizeof info)) {
	case ROLLBACK_OK:
		printf("Rolled back run %s: %zu change%s undone.\n", info,
		    undone, undone == 1 ? "" : "s");
		return EXIT_OK;
	case ROLLBACK_NOTHING:
		printf("Nothing to roll back: %s.\n", info);
		return EXIT_OK;
	case ROLLBACK_FAILED:
		break;
	}
	fprintf(stderr, "ndeswiz: rollback failed: %s\n", info);
	return EXIT_FINDINGS;
}

const struct cmd_entry cmd_rollback_entry = {
	.name = "rollback",
	.usage = "[-t DIR]",
	.summary = "undo the last apply, from its journal",
	.flags = CMD_NEEDS_HOST,
	.exec = cmd_rollback_exec,
};
