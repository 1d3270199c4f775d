/*
 * Default Web Site, the IIS site NDES lives in (ndes-checklist §6).
 */
#ifndef NDESWIZ_IISSITE_H
#define NDESWIZ_IISSITE_H

#include "finding.h"
#include "plan.h"

#define IISSITE_NAME "Default Web Site"
#define IISSITE_PATH \
	"|system.applicationHost/sites/site[@name='Default Web Site']"

enum iissite_state {
	IISSITE_OK,      /* there, with an id and a root application */
	IISSITE_COMING,  /* IIS is not installed: installing it makes it */
	IISSITE_MISSING, /* IIS is, the site (or its id or root) is not */
};

/* What the target holds now; *what says what is missing (static). */
enum iissite_state iissite_state(struct host *, const char **what);

/*
 * IISSITE_MISSING adds the error that stops the plan (code
 * STEP.no-default-site) and returns -1; otherwise 0. ndeswiz never makes
 * the site itself: a <site> needs an id, a root application and a
 * virtual directory that IIS and NDES's installer own.
 */
int iissite_require(struct host *, struct findings *, const char *step);

#endif
