/*
 * IIS applicationHost.config: read, query and edit, keeping the file's bytes.
 *
 * libxml2 parses and checks the file; edits are spliced into the original
 * text and the result parsed again, so what is not edited keeps its exact
 * bytes (BOM, CRLF, quotes, " />", comments). Only UTF-8 is accepted.
 *
 * A config path is "LOCATION|ELEMENTS":
 *   LOCATION  empty: under <configuration>; else under
 *             <configuration><location path="LOCATION"> (compared without
 *             regard to case, as IIS does). "LOCATION|" names the location
 *             element itself, "|" the <configuration> element.
 *   ELEMENTS  name[@attr='value'][@attr2="value"]/name/... Predicates
 *             compare the decoded value exactly. Each step must match
 *             exactly one element; more is an error (ambiguous path).
 *
 * Undo: creating elements (ancestors first), setting attributes, then
 * undoing in reverse order (attributes back to their old value or removed,
 * elements removed leaf first) gives the original bytes back. See
 * iiscfg.c for how whitespace is chosen so that this holds.
 */
#ifndef NDESWIZ_IISCFG_H
#define NDESWIZ_IISCFG_H

#include <stddef.h>

struct iiscfg;

/*
 * Parse; on error NULL and err = "NAME:LINE: what is wrong". Refuses
 * DTDs (so entities), non-UTF-8 data, NUL bytes and files over
 * IISCFG_MAX_SIZE.
 */
#define IISCFG_MAX_SIZE (32u * 1024 * 1024)
struct iiscfg *iiscfg_parse(const char *name, const char *data, size_t len,
    char *err, size_t errlen);
/* An XML declaration and <configuration />, CRLF line ends. */
struct iiscfg *iiscfg_new_empty(void);
void iiscfg_free(struct iiscfg *);

/* The file as it would be written now; caller frees. */
char *iiscfg_format(const struct iiscfg *, size_t *len);

/* 1 exists, 0 absent, -1 bad or ambiguous path (err). */
int iiscfg_elem_exists(const struct iiscfg *, const char *path, char *err,
    size_t errlen);
/*
 * Create the last element of path with its predicate attributes (in
 * predicate order). Its parent must exist, and the element must not.
 * "LOCATION|" creates <location path="LOCATION" /> under <configuration>.
 * Returns 0 or -1 (err).
 */
int iiscfg_elem_create(struct iiscfg *, const char *path, char *err,
    size_t errlen);
/*
 * The same, as the index-th child element of its parent (from 0), with
 * the blanks the element now there has in front; at the end when the
 * parent has no more than index children ((size_t)-1: always). Undoes
 * iiscfg_elem_remove byte for byte given what iiscfg_elem_index said
 * before the removal.
 */
int iiscfg_elem_create_at(struct iiscfg *, const char *path, size_t index,
    char *err, size_t errlen);
/* Its position among its parent's child elements (from 0); -1 absent,
 * -2 bad or ambiguous path (err). */
int iiscfg_elem_index(const struct iiscfg *, const char *path, char *err,
    size_t errlen);
/* Remove the element; -1 when absent or when it has child elements. */
int iiscfg_elem_remove(struct iiscfg *, const char *path, char *err,
    size_t errlen);

/* Decoded value, malloc'd; NULL when the attribute or element is absent. */
char *iiscfg_attr_get(const struct iiscfg *, const char *path,
    const char *attr);
/*
 * Create (appended after the others) or replace (in place) an attribute;
 * value NULL removes it. The element must exist. Setting the value it
 * already has changes nothing.
 */
int iiscfg_attr_set(struct iiscfg *, const char *path, const char *attr,
    const char *value, char *err, size_t errlen);
/*
 * The value as written between the quotes, references not decoded, and
 * its counterpart. attr_set writes values with the usual escapes (&amp;
 * &lt; &gt; &quot; &#xA;...), as IIS does; to put back a value that was
 * written some other way (&#39;, a literal '>') byte for byte, save it
 * with attr_get_raw and restore it with attr_set_raw.
 */
char *iiscfg_attr_get_raw(const struct iiscfg *, const char *path,
    const char *attr);
int iiscfg_attr_set_raw(struct iiscfg *, const char *path, const char *attr,
    const char *raw, char *err, size_t errlen);

/*
 * Paths of the child elements of path, in document order: the parent path
 * plus the child's name and, when siblings share the name, its first
 * attributes until they tell it apart. A <location> under <configuration>
 * is given as "LOCATION|". NULL when path is bad or absent; otherwise an
 * array of *n strings (maybe zero), free with str_list_free.
 */
char **iiscfg_children(const struct iiscfg *, const char *path, size_t *n);

#endif
