/* The Accounts screen: who NDES and the connector run as. */
#include "wizard.h"

const struct page_def page_accounts = {
	.id = "accounts",
	.name = "Accounts",
	.title = "Accounts",
	.section = "accounts",
	.intro = "The NDES service account runs the SCEP application pool; the "
	    "connector runs as SYSTEM or as a domain user. Passwords are "
	    "never stored: give env:NAME, file:PATH or prompt.",
	.ops = &page_section_ops,
};
