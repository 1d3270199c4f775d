/*
 * Default Web Site. NDES's role installs its /certsrv/mscep applications
 * under it, IIS's request limits for SCEP are set at its location, and
 * the https binding goes on it. A server whose IIS lost the site (deleted
 * in IIS Manager, or an applicationHost.config edited by hand) is
 * refused: ndeswiz would otherwise create a bare <site name=...> with no
 * id and no root application, which IIS will not start.
 */
#include "iissite.h"
#include "host/host.h"
#include "util.h"

#include <stdlib.h>

#define WEB_SERVER "Web-Server"

static int
has(struct host *h, enum res_kind kind, const char *path, const char *name)
{
	char *v = NULL, err[256];
	int yes = host_get(h, kind, path, name, &v, err, sizeof err) == 0 &&
	    v != NULL;

	free(v);
	return yes;
}

enum iissite_state
iissite_state(struct host *h, const char **what)
{
	*what = NULL;
	if (!has(h, RES_IISELEM, IISSITE_PATH, NULL))
		*what = "has no site named 'Default Web Site'";
	else if (!has(h, RES_IIS, IISSITE_PATH, "id"))
		*what = "has 'Default Web Site' without an id";
	else if (!has(h, RES_IISELEM, IISSITE_PATH
	    "/application[@path='/']", NULL))
		*what = "has 'Default Web Site' without its root application "
		    "(path '/')";
	if (*what == NULL)
		return IISSITE_OK;
	/* IIS's own install writes the site. */
	return has(h, RES_FEATURE, WEB_SERVER, NULL) ? IISSITE_MISSING :
	    IISSITE_COMING;
}

int
iissite_require(struct host *h, struct findings *f, const char *step)
{
	const char *what;

	if (iissite_state(h, &what) != IISSITE_MISSING)
		return 0;
	finding_hint(finding_add(f, SEV_ERROR, step, NULL, "no-default-site",
	    "IIS is installed but its applicationHost.config %s: NDES "
	    "installs its /CertSrv/mscep applications in Default Web Site "
	    "and devices reach it there, and ndeswiz does not make up a "
	    "site (IIS needs its id, root application and virtual "
	    "directory)", what),
	    "Restore the site, then run ndeswiz again: restore "
	    "applicationHost.config from IIS's automatic history "
	    "(%%SystemDrive%%\\inetpub\\history, or 'appcmd list backup' "
	    "and 'appcmd restore backup NAME'), or in IIS Manager add a "
	    "site named 'Default Web Site' with physical path "
	    "%%SystemDrive%%\\inetpub\\wwwroot and an http binding on port "
	    "80 (New-Website -Name 'Default Web Site' -Id 1 -Port 80 "
	    "-PhysicalPath \"$env:SystemDrive\\inetpub\\wwwroot\").");
	return -1;
}
