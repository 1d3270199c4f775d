/*
 * The CA runbook: what the CA's administrator does for the chosen
 * scenarios, as text. The template step writes it.
 *
 * What it says and why: README.md, "The CA runbook".
 */
#ifndef NDESWIZ_RUNBOOK_H
#define NDESWIZ_RUNBOOK_H

#include "answers.h"
#include "host.h"

/* Does any chosen scenario need work on the CA or its templates? */
int runbook_wanted(const struct answers *);

/* Who must hold the rights: "CONTOSO\NDES01$" for SYSTEM or the built-in
 * app pool identity, else the account the answers name. Caller frees. */
char *runbook_scep_principal(const struct answers *,
    const struct host_facts *);
char *runbook_connector_principal(const struct answers *,
    const struct host_facts *);

char *runbook_text(const struct answers *, const struct host_facts *);

#endif
