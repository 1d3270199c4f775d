/* The NDES screen: the role, its CA and its registration authority. */
#include "wizard.h"

const struct page_def page_ndes = {
	.id = "ndes",
	.name = "NDES",
	.title = "NDES role",
	.section = "ndes",
	.intro = "The NDES role: the CA it forwards requests to, who its "
	    "application pool runs as, and the registration authority (RA) "
	    "whose certificates it requests.",
	.ops = &page_section_ops,
};
