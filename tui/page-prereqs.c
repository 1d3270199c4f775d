/* The Prerequisites screen: what the server needs before NDES. */
#include "wizard.h"

const struct page_def page_prereqs = {
	.id = "prereqs",
	.name = "Prerequisites",
	.title = "Prerequisites",
	.section = "prereqs",
	.intro = "What the server needs before NDES: the connector features "
	    "you will use, the Windows features they need, IE Enhanced "
	    "Security off (the connector's sign-in needs it) and TLS 1.2.",
	.ops = &page_section_ops,
	.host_list = 1,
};
