/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bounds-checked reads of untrusted bytes: every payload decoder reads the
 * packet only through these. A cursor never moves past its end; a read that
 * does not fit fails, leaves the output zeroed and marks the cursor
 * truncated, so a decoder can report "truncated" instead of reading past.
 * Multi-byte values are network byte order.
 */
#ifndef PB_BYTES_H
#define PB_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pb_bytes {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool truncated; /* some read ran past len */
};

static inline struct pb_bytes pb_bytes(const void *p, size_t len)
{
	struct pb_bytes b = { p, p ? len : 0, 0, false };

	return b;
}

static inline size_t pb_b_left(const struct pb_bytes *b)
{
	return b->off < b->len ? b->len - b->off : 0;
}

/* Can n more bytes be read? If not, the cursor is marked truncated. */
static inline bool pb_b_need(struct pb_bytes *b, size_t n)
{
	if (n > pb_b_left(b)) {
		b->truncated = true;
		return false;
	}
	return true;
}

/* A pointer to the next n bytes, consumed; NULL if they are not all there. */
static inline const uint8_t *pb_b_take(struct pb_bytes *b, size_t n)
{
	const uint8_t *q;

	if (!pb_b_need(b, n))
		return NULL;
	q = b->p + b->off;
	b->off += n;
	return q;
}

static inline bool pb_b_skip(struct pb_bytes *b, size_t n)
{
	return pb_b_take(b, n) != NULL;
}

static inline bool pb_b_u8(struct pb_bytes *b, uint8_t *v)
{
	const uint8_t *q = pb_b_take(b, 1);

	*v = q ? q[0] : 0;
	return q != NULL;
}

static inline bool pb_b_u16(struct pb_bytes *b, uint16_t *v)
{
	const uint8_t *q = pb_b_take(b, 2);

	*v = q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
	return q != NULL;
}

static inline bool pb_b_u24(struct pb_bytes *b, uint32_t *v)
{
	const uint8_t *q = pb_b_take(b, 3);

	*v = q ? (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2] : 0;
	return q != NULL;
}

static inline bool pb_b_u32(struct pb_bytes *b, uint32_t *v)
{
	const uint8_t *q = pb_b_take(b, 4);

	*v = q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3] : 0;
	return q != NULL;
}

static inline bool pb_b_copy(struct pb_bytes *b, void *dst, size_t n)
{
	const uint8_t *q = pb_b_take(b, n);

	if (q)
		memcpy(dst, q, n);
	else
		memset(dst, 0, n);
	return q != NULL;
}

/*
 * A cursor over the next n bytes (consumed from b), for a length-prefixed
 * field. If fewer are left, the sub-cursor gets what there is and both are
 * marked truncated.
 */
static inline struct pb_bytes pb_b_sub(struct pb_bytes *b, size_t n)
{
	struct pb_bytes s = pb_bytes(b->p + (b->off < b->len ? b->off : b->len), n);

	if (n > pb_b_left(b)) {
		s.len = pb_b_left(b);
		s.truncated = b->truncated = true;
	}
	b->off += s.len;
	return s;
}

/* A cursor at absolute offset off of the same bytes (for DNS pointers). */
static inline struct pb_bytes pb_b_at(const struct pb_bytes *b, size_t off)
{
	struct pb_bytes s = *b;

	s.off = off;
	s.truncated = off > b->len;
	return s;
}

#endif /* PB_BYTES_H */
