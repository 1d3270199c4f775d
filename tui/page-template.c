/* The Certificate template screen: the template NDES issues from. */
#include "wizard.h"

const struct page_def page_template = {
	.id = "template",
	.name = "Template",
	.title = "Certificate template",
	.section = "template",
	.intro = "The certificate template on your CA that NDES issues from. "
	    "Its name (no spaces), not its display name, goes into the "
	    "registry. The template lives on the CA: ndeswiz checks the "
	    "plan and writes the steps down for you.",
	.ops = &page_section_ops,
};
