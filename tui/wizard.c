/* The interactive wizard. The screens arrive with their own issue; until
 * then this says so instead of pretending. */
#include "cmd.h"

int
wizard_main(struct cmd_ctx *c)
{
	(void)c;
	fprintf(stderr, "ndeswiz: the interactive wizard is not part of this "
	    "build yet;\nuse 'ndeswiz plan -a FILE' and 'ndeswiz apply --yes "
	    "-a FILE' (see ndeswiz --help)\n");
	return EXIT_USAGE;
}
