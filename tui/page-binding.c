/* The Certificate binding screen: HTTPS on the Default Web Site. */
#include "wizard.h"

const struct page_def page_binding = {
	.id = "binding",
	.name = "Binding",
	.title = "Certificate binding",
	.section = "binding",
	.intro = "HTTPS for the Default Web Site: the server's name, every "
	    "other name clients use, the certificate (from the store, a "
	    "PFX or PEM file, or a request to send to your CA) and its port.",
	.ops = &page_section_ops,
};
