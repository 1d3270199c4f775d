/* What every command needs: answers in their layers, and the target. */
#include "cmd.h"
#include "step.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *
cmd_last_answers_path(struct cmd_ctx *c)
{
	return path_join(host_state_dir(c->host), "answers.ini");
}

/* The fields a file set (src->src == SRC_FILE) win over dst, recorded as
 * coming from as. */
static void
overlay(struct answers *dst, const struct answers *src,
    enum answer_source as)
{
	for (int i = 0; i < F__COUNT; i++) {
		if (src->src[i] != SRC_FILE)
			continue;
		answers_put(dst, (enum field_id)i, src->val[i], as);
		dst->line[i] = src->line[i];
		dst->file[i] = src->file[i] ? xstrdup(src->file[i]) : NULL;
	}
}

int
cmd_prepare(struct cmd_ctx *c, int needs_host)
{
	struct answers filed, last;
	char err[1024], *path;

	answers_init(&filed);
	if (c->answers_path != NULL &&
	    answers_load(&filed, c->answers_path, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		answers_free(&filed);
		return EXIT_USAGE;
	}
	answers_init(&c->answers);
	if (needs_host) {
		c->host = host_open(c->target, c->profile, &c->target_created,
		    err, sizeof err);
		if (c->host == NULL) {
			fprintf(stderr, "ndeswiz: %s\n", err);
			answers_free(&filed);
			return EXIT_USAGE;
		}
		steps_prefill(c->host, &c->answers);
		/* Prefill shrugs off a failed read, and what it missed would
		 * pass for the default: stop here instead. */
		if (host_read_error(c->host) != NULL) {
			fprintf(stderr, "ndeswiz: %s; nothing was changed\n",
			    host_read_error(c->host));
			answers_free(&filed);
			return EXIT_FINDINGS;
		}
		path = cmd_last_answers_path(c);
		if (file_exists(path)) {
			answers_init(&last);
			if (answers_load(&last, path, err, sizeof err) != 0) {
				fprintf(stderr, "%s\n(the saved answers are "
				    "damaged; remove the file or export new "
				    "ones)\n", err);
				answers_free(&last);
				answers_free(&filed);
				free(path);
				return EXIT_USAGE;
			}
			overlay(&c->answers, &last, SRC_LAST);
			answers_free(&last);
		}
		free(path);
	}
	overlay(&c->answers, &filed, SRC_FILE);
	answers_free(&filed);
	steps_derive(&c->answers);
	return EXIT_OK;
}

void
cmd_finish(struct cmd_ctx *c)
{
	host_close(c->host);
	c->host = NULL;
	answers_free(&c->answers);
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
			findings_add(&shown, x->sev, x->step, x->field,
			    x->code, x->hint, "%s", x->message);
	}
	findings_print(fp, &shown, c->color);
	findings_free(&shown);
}

enum severity
cmd_validate(struct cmd_ctx *c, struct findings *f)
{
	steps_validate(&c->answers, f);
	return findings_worst(f);
}
