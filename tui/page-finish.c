/*
 * The Finish screen: export the answers for the next server with
 * answerfile_save (mode 0600, atomic), show where they went and that no
 * secret was written, only references.
 */
#include "wizard.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_EXPORT "ndeswiz-answers.ini"

struct finish {
	struct nw_widget *path, *save, *result;
};

static struct finish *
to_finish(struct page *p)
{
	return p->priv;
}

static void
list_secrets(struct wz *wz, struct finish *x)
{
	for (int i = 0; i < F__COUNT; i++) {
		const struct field *f = &fields_table[i];
		const char *v = answers_get(wz->a, (enum field_id)i);

		if (f->type != FT_SECRET || *v == '\0')
			continue;
		nw_text_addf(x->result, NW_R_NORMAL, 2, "%s: %s", f->label,
		    v);
	}
}

static void
export(struct wz *wz, struct page *p)
{
	static const char *const buttons[] = { "Replace", "Cancel", NULL };
	struct finish *x = to_finish(p);
	char *path = nw_value(x->path), *q, full[PATH_MAX];
	const char *base;

	str_trim(path);
	nw_text_clear(x->result);
	if (*path == '\0') {
		nw_form_status(&p->form, NW_R_ERROR, "Give a file to write.");
		goto out;
	}
	if (file_exists(path)) {
		q = xasprintf("%s exists. Replace it?", path);
		if (nw_msgbox("Export", q, buttons, 1) != 0) {
			free(q);
			nw_form_status(&p->form, NW_R_NORMAL, "Not written.");
			goto out;
		}
		free(q);
	}
	if (answerfile_save(wz->a, path) != 0) {
		nw_form_status(&p->form, NW_R_ERROR, "Cannot write %s: %s "
		    "(nothing was written).", path, strerror(errno));
		p->state = NW_STEP_ERROR;
		goto out;
	}
	if (realpath(path, full) == NULL)
		snprintf(full, sizeof full, "%s", path);
	base = strrchr(full, '/') ? strrchr(full, '/') + 1 : full;
	nw_form_status(&p->form, NW_R_OK, "Exported to %s (0600, no "
	    "secrets). Next step: above.", full);
	nw_text_addf(x->result, NW_R_STRONG, 0, "Next: copy it with the "
	    "ndeswiz binary to the next server and run 'ndeswiz -a %s apply "
	    "--yes' there ('ndeswiz -a %s plan' first shows what it "
	    "changes).", base, base);
	nw_text_add(x->result, NW_R_NORMAL, 0, "No secret was written: the "
	    "file holds only where to find each (env:, file: or prompt):");
	list_secrets(wz, x);
	wz_mark_saved(wz);
	p->state = NW_STEP_OK;
	nw_form_focus(&p->form, p->next);
out:
	free(path);
}

static void
finish_enter(struct wz *wz, struct page *p)
{
	struct finish *x;
	struct nw_widget *intro;

	(void)wz;
	if (p->built)
		return;
	p->priv = x = xcalloc(1, sizeof *x);
	intro = nw_text_new(0);
	nw_text_add(intro, NW_R_NORMAL, 0, "Export the answers for the next "
	    "server. The file is written with mode 0600 and holds no secret, "
	    "only references to them.");
	nw_text_add(intro, NW_R_NORMAL, 0, "");
	x->path = nw_field_new("Answer file", nw_entry_new(DEFAULT_EXPORT, 0),
	    WZ_LABEL_WIDTH);
	x->save = nw_button_new("Export");
	x->result = nw_text_new(0);
	nw_form_add(&p->form, intro);
	nw_form_add(&p->form, x->path);
	nw_form_add(&p->form, x->save);
	nw_form_add(&p->form, x->result);
	wz_footer(p, "Quit");
	nw_form_focus(&p->form, x->path);
	p->built = 1;
}

static void
finish_pressed(struct wz *wz, struct page *p, struct nw_widget *w)
{
	if (w == to_finish(p)->save)
		export(wz, p);
}

static int
finish_next(struct wz *wz, struct page *p)
{
	(void)p;
	wz_quit(wz);
	return -1;
}

static void
finish_free(struct wz *wz, struct page *p)
{
	(void)wz;
	free(p->priv);
}

const struct page_def page_finish = {
	.id = "finish",
	.name = "Finish",
	.title = "Finish: export the answers",
	.intro = "Export the answer file for the next server.",
	.ops = &(const struct page_ops){
		.enter = finish_enter,
		.next = finish_next,
		.pressed = finish_pressed,
		.free = finish_free,
	},
};
