/*
 * Rollback from the wizard: the same reviewed change as 'ndeswiz
 * rollback' (journal_rollback_plan, then journal_rollback_run): first the
 * undo as a plan and what changed since the apply, then a confirmation
 * that defaults to Cancel, then the result.
 */
#include "wizard.h"
#include "journal.h"

#include <stdlib.h>
#include <string.h>

/* The preview, as the command line prints it. */
static char *
preview_text(const struct rollback_plan *rp)
{
	struct buf b = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	buf_addf(&b, "Rollback of run %s:\n\n", rp->run);
	if (rp->undo.n == 0)
		buf_addf(&b, "Nothing left to undo.\n");
	else if ((fp = open_memstream(&text, &len)) != NULL) {
		plan_print(fp, &rp->undo, 0);
		fclose(fp);
		buf_addf(&b, "%s", text);
		free(text);
	}
	if (rp->kept.n > 0)
		buf_addf(&b, "\nChanged since the apply, left as %s now "
		    "(%zu):\n", rp->kept.n == 1 ? "it is" : "they are",
		    rp->kept.n);
	for (size_t i = 0; i < rp->kept.n; i++) {
		char *title = change_title(&rp->kept.v[i]);

		buf_addf(&b, "  %s\n    %s\n", title, rp->kept.v[i].reason);
		free(title);
	}
	return buf_steal(&b);
}

int
wz_rollback_available(struct wz *wz, char *run, size_t len)
{
	struct rollback_plan rp;
	int rc = journal_rollback_plan(wz->c->s.host, 0, &rp, run, len);

	if (rc == ROLLBACK_OK) {
		snprintf(run, len, "%s", rp.run);
		rollback_plan_free(&rp);
	}
	return rc == ROLLBACK_OK;
}

int
wz_rollback(struct wz *wz, char *result, size_t len)
{
	static const char *const buttons[] = { "Cancel", "Roll back", NULL };
	struct rollback_plan rp;
	char info[1024], *text, *q;
	size_t undone = 0;
	int rc;

	switch (journal_rollback_plan(wz->c->s.host, 0, &rp, info,
	    sizeof info)) {
	case ROLLBACK_NOTHING:
		snprintf(result, len, "Nothing to roll back: %s.", info);
		return 0;
	case ROLLBACK_DAMAGED:
		snprintf(result, len, "The journal in %s cannot be read "
		    "(%s): nothing was rolled back; repair it or move it "
		    "aside.", host_state_shown(wz->c->s.host), info);
		return -1;
	default:
		break;
	}
	text = preview_text(&rp);
	nw_popup_text("Rollback: what it undoes", text);
	free(text);
	q = xasprintf("Roll back %zu change%s of run %s on %s?%s",
	    rp.undo.n, rp.undo.n == 1 ? "" : "s", rp.run,
	    wz->c->s.host->where, rp.kept.n > 0 ? " What was changed since "
	    "the apply is left as it is now." : "");
	/* Destructive: Enter alone does not do it. */
	rc = nw_msgbox("Roll back", q, buttons, 0);
	free(q);
	if (rc != 1) {
		snprintf(result, len, "Nothing was rolled back.");
		rollback_plan_free(&rp);
		return 0;
	}
	rc = journal_rollback_run(wz->c->s.host, &rp, NULL, &undone, info,
	    sizeof info);
	if (rc == ROLLBACK_OK)
		snprintf(result, len, "Rolled back run %s: %zu change%s "
		    "undone%s.", info, undone, undone == 1 ? "" : "s",
		    rp.kept.n > 0 ? "; what changed since the apply was left "
		    "as it is" : "");
	else
		snprintf(result, len, "The rollback failed: %s.", info);
	rollback_plan_free(&rp);
	nw_redraw();
	return rc == ROLLBACK_OK ? 1 : -1;
}
