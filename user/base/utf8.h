/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Text from outside pktbpf (file, interface and namespace names, filter
 * expressions, rule names) made valid UTF-8 for JSON and Prometheus: every
 * byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF, no truncated or
 * lone continuation bytes) becomes the four characters \xNN (lowercase hex).
 * Valid UTF-8 goes through unchanged. README.md's JSON section says so.
 */
#ifndef PB_UTF8_H
#define PB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* The length (1 to 4) of the well-formed sequence s starts with, or 0. */
size_t pb_utf8_seq(const unsigned char *s, size_t n);

/* Where pb_utf8_repair puts the repaired text, in pieces. */
typedef void pb_utf8_sink(void *ctx, const char *s, size_t n);

/* The n bytes at s, repaired as above, to put. */
void pb_utf8_repair(const char *s, size_t n, pb_utf8_sink *put, void *ctx);

/* Are the n bytes at s well-formed UTF-8? */
bool pb_utf8_valid(const char *s, size_t n);

/* Repair the string in buf (of cap bytes) in place, cut at a character to fit. */
void pb_utf8_fix(char *buf, size_t cap);

/* A JSON string of s, repaired; json_null() for NULL; NULL when out of memory. */
json_t *pb_json_str(const char *s);

#endif /* PB_UTF8_H */
