/*
 * The pure half of the sign-in: what the answers of Entra ID and Graph
 * mean, and what the connector list says about this machine. No network
 * here, so every case (malformed input included) is unit tested.
 */
#ifndef NDESWIZ_SIGNIN_JSON_H
#define NDESWIZ_SIGNIN_JSON_H

#include <stddef.h>
#include <time.h>

#include "finding.h"
#include "signin.h"

/* The device authorization response (RFC 8628 section 3.2). */
struct sj_devicecode {
	char *device_code; /* secret: wiped by sj_devicecode_free */
	char *user_code, *verification_uri, *message;
	long expires_in, interval;
};

/* An OAuth error (RFC 6749 section 5.2): "error" is the stable part. */
struct sj_oauth_error {
	char *error, *description;
};

enum sj_token_kind {
	SJ_TOKEN_OK,        /* access_token is set */
	SJ_TOKEN_ERROR,     /* err is set */
	SJ_TOKEN_MALFORMED, /* neither: why says what was wrong */
};

struct sj_token {
	enum sj_token_kind kind;
	char *access_token; /* locked, wiped by sj_token_free */
	size_t access_token_len;
	struct sj_oauth_error err;
};

/* 0, or -1 with why (never quoting the body: it may hold a secret). */
int sj_devicecode(const char *body, size_t len, struct sj_devicecode *,
    char *why, size_t wlen);
void sj_devicecode_free(struct sj_devicecode *);

/* 0 when the body is a JSON object with a string "error". */
int sj_oauth_error(const char *body, size_t len, struct sj_oauth_error *);
void sj_oauth_error_free(struct sj_oauth_error *);

/* Sorts a token endpoint answer; the HTTP status is the caller's. */
void sj_token(const char *body, size_t len, struct sj_token *, char *why,
    size_t wlen);
void sj_token_free(struct sj_token *);

/* Graph's {"error": {"code", "message"}}: 0 when found. */
int sj_graph_error(const char *body, size_t len, char **code,
    char **message);
/* GET /me: the user principal name (else mail, else display name). */
int sj_me(const char *body, size_t len, char **user, char *why,
    size_t wlen);

/* A page of ndesConnectors: appended to *v; *next_link set when Graph
 * says more pages follow. */
struct sj_connectors {
	struct ndes_connector *v;
	size_t n;
};
int sj_connectors(const char *body, size_t len, struct sj_connectors *,
    char **next_link, char *why, size_t wlen);
void sj_connectors_free(struct sj_connectors *);

/* ISO 8601 as Graph writes it (fraction and offset optional). */
int sj_time_parse(const char *, time_t *);
/* Host names equal, or one is the other's first label. */
int sj_same_machine(const char *a, const char *b);
/* Mark this machine's row and say what the list means. */
void sj_connectors_judge(struct sj_connectors *, const char *machine,
    time_t now, struct findings *);

/* Strings from a server go to a terminal: no control characters. */
void sj_sanitize(char *);

/*
 * jansson frees without wiping, and its parser leaves partial copies of
 * every string it reads in the buffers it outgrows. From this call on
 * all memory jansson releases is wiped first (glibc; elsewhere only the
 * token strings themselves are). Same malloc underneath, so it is safe
 * at any time and for objects made before.
 */
void sj_wipe_on_free(void);

/* Memory for secrets: locked when possible, wiped on free. */
char *sj_secret_dup(const char *, size_t);
void sj_secret_free(char *, size_t);

#endif
