/* The Proxy screen: how this server reaches the internet. */
#include "wizard.h"

const struct page_def page_proxy = {
	.id = "proxy",
	.name = "Proxy",
	.title = "Proxy",
	.section = "proxy",
	.intro = "The proxy this server uses to reach Intune and the sign-in "
	    "service, if any. The URL needs its scheme (http://host:port); "
	    "Intune wants unauthenticated access to its own hosts.",
	.ops = &page_section_ops,
};
