/* A progress bar: "[#####.....]  5/12  caption". */
#include "nw.h"

#include <stdlib.h>

struct progress {
	struct nw_widget base;
	size_t done, total;
	char *caption;
};

static struct progress *
to_progress(struct nw_widget *w)
{
	return (struct progress *)w;
}

void
nw_progress_set(struct nw_widget *w, size_t done, size_t total,
    const char *caption)
{
	struct progress *p = to_progress(w);

	p->done = done > total ? total : done;
	p->total = total;
	free(p->caption);
	p->caption = xstrdup(caption ? caption : "");
}

static int
progress_height(struct nw_widget *w, int width, int avail)
{
	(void)w, (void)width, (void)avail;
	return 2;
}

static void
progress_draw(struct nw_widget *w, WINDOW *win, int y, int x, int width)
{
	struct progress *p = to_progress(w);
	char count[48];
	int cw, bar, full;

	snprintf(count, sizeof count, " %zu/%zu", p->done, p->total);
	cw = nw_u8_width(count);
	bar = width - cw - 2;
	if (bar < 4)
		bar = 4;
	full = p->total ? (int)((long long)bar * (long long)p->done /
	    (long long)p->total) : 0;
	nw_put(win, y, x, 1, "[", nw_attr(NW_R_NORMAL));
	for (int i = 0; i < bar; i++)
		nw_put(win, y, x + 1 + i, 1, nw_glyph(i < full ?
		    NW_G_BAR_FULL : NW_G_BAR_EMPTY),
		    nw_attr(i < full ? NW_R_OK : NW_R_DIM));
	nw_put(win, y, x + 1 + bar, 1, "]", nw_attr(NW_R_NORMAL));
	nw_put(win, y, x + 2 + bar, cw, count, nw_attr(NW_R_STRONG));
	nw_put_clip(win, y + 1, x, width, p->caption, nw_attr(NW_R_NORMAL));
}

static void
progress_free(struct nw_widget *w)
{
	free(to_progress(w)->caption);
	free(w);
}

static const struct nw_class progress_class = {
	.name = "progress",
	.height = progress_height,
	.draw = progress_draw,
	.free = progress_free,
};

struct nw_widget *
nw_progress_new(void)
{
	struct progress *p = xcalloc(1, sizeof *p);

	p->base.cls = &progress_class;
	p->caption = xstrdup("");
	return &p->base;
}
