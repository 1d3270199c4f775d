/* The Registry screen: template per key usage and request limits. */
#include "wizard.h"

const struct page_def page_registry = {
	.id = "registry",
	.name = "Registry",
	.title = "Registry purpose mapping",
	.section = "registry",
	.intro = "Which template NDES uses for each key usage (empty: derived "
	    "from the template's purpose), and the request limits that let "
	    "long SCEP URLs through (at least 65534; needs a reboot).",
	.ops = &page_section_ops,
};
