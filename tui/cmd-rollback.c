/*
 * ndeswiz rollback: undo the last apply from its journal. A reviewed
 * change like apply: it shows what it will undo as a diff, asks on a
 * terminal and, without one, wants --yes.
 */
#include "cmd.h"
#include "cli-out.h"
#include "journal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void
print_preview(struct cmd_ctx *c, const struct rollback_plan *rp)
{
	printf("Rollback of run %s:\n", rp->run);
	if (rp->undo.n > 0)
		plan_print(stdout, &rp->undo, c->color);
	else
		printf("Nothing left to undo.\n");
	if (rp->kept.n > 0)
		printf("\nChanged since the apply, left as %s now (%zu):\n",
		    rp->kept.n == 1 ? "it is" : "they are", rp->kept.n);
	for (size_t i = 0; i < rp->kept.n; i++) {
		char *title = change_title(&rp->kept.v[i]);

		printf("  %s\n    %s\n", title, rp->kept.v[i].reason);
		free(title);
	}
	fflush(stdout);
}

/* Ask on the terminal; 1 yes, 0 no, -1 no terminal. */
static int
confirm(void)
{
	char answer[16] = "";
	FILE *tty;
	int fd;

	if (!isatty(STDIN_FILENO) ||
	    (fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	if ((tty = fdopen(fd, "r+")) == NULL) {
		close(fd);
		return -1;
	}
	fprintf(tty, "Roll back these changes? [y/N] ");
	fflush(tty);
	if (fgets(answer, sizeof answer, tty) == NULL)
		answer[0] = '\0';
	fclose(tty);
	return answer[0] == 'y' || answer[0] == 'Y';
}

static int
cmd_rollback_exec(struct cmd_ctx *c)
{
	struct apply_observer obs = { .event = progress };
	struct rollback_plan rp;
	char info[1024];
	size_t undone;
	int ok;

	switch (journal_rollback_plan(c->s.host, c->force, &rp, info,
	    sizeof info)) {
	case ROLLBACK_NOTHING:
		printf("Nothing to roll back: %s.\n", info);
		return EXIT_OK;
	case ROLLBACK_DAMAGED:
		cli_error("%s: %s\nNothing was rolled back; repair or move "
		    "the journal aside.", host_state_shown(c->s.host), info);
		return EXIT_USAGE;
	default:
		break;
	}
	print_preview(c, &rp);
	ok = c->yes ? 1 : confirm();
	if (ok != 1) {
		if (ok < 0)
			cli_error("rollback changes the target; add --yes to "
			    "confirm");
		else
			cli_note("Nothing was rolled back.\n");
		rollback_plan_free(&rp);
		return EXIT_USAGE;
	}
	switch (journal_rollback_run(c->s.host, &rp, &obs, &undone, info,
	    sizeof info)) {
	case ROLLBACK_OK:
		printf("Rolled back run %s: %zu change%s undone", info, undone,
		    undone == 1 ? "" : "s");
		if (rp.kept.n > 0)
			printf(", %zu changed since the apply left as %s",
			    rp.kept.n, rp.kept.n == 1 ? "it is" : "they are");
		printf(".\n");
		rollback_plan_free(&rp);
		return EXIT_OK;
	default:
		break;
	}
	rollback_plan_free(&rp);
	cli_error("rollback failed: %s", info);
	return EXIT_FINDINGS;
}

const struct cmd_entry cmd_rollback_entry = {
	.name = "rollback",
	.options = CLI_OPT(CLI_TARGET) | CLI_OPT(CLI_YES) | CLI_OPT(CLI_FORCE),
	.summary = "undo the last apply, from its journal (shown first)",
	.flags = CMD_NEEDS_HOST,
	.exec = cmd_rollback_exec,
};
