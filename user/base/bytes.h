/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bounds-checked reads of untrusted bytes: the one way every printer and
 * decoder of user/dissect reads a packet. Two forms over the same struct:
 *
 *   a cursor      pb_b_u8/u16/u24/u32/u64, pb_b_copy, pb_b_take, pb_b_skip,
 *                 pb_b_sub: read at b->off and move past what was read;
 *   at an offset  pb_b_get8/16/24/32/64, pb_b_ptr: read at an absolute
 *                 offset (a header field at its RFC offset), the cursor stays.
 *
 * A read that does not fit reads nothing, yields 0 (or NULL), never looks
 * past len, and marks the reader truncated; the mark is sticky (later reads
 * that fit do not clear it), so a printer reads every field and then says
 * "truncated" once. pb_b_has asks without marking. Multi-byte values are
 * network (big-endian) byte order.
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

/* Big-endian decoding of bytes already checked: for this header only. */
static inline uint16_t pb__be16(const uint8_t *q)
{
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t pb__be24(const uint8_t *q)
{
	return (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
}

static inline uint32_t pb__be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | pb__be24(q + 1);
}

static inline uint64_t pb__be64(const uint8_t *q)
{
	return (uint64_t)pb__be32(q) << 32 | pb__be32(q + 4);
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

	*v = q ? pb__be16(q) : 0;
	return q != NULL;
}

static inline bool pb_b_u24(struct pb_bytes *b, uint32_t *v)
{
	const uint8_t *q = pb_b_take(b, 3);

	*v = q ? pb__be24(q) : 0;
	return q != NULL;
}

static inline bool pb_b_u32(struct pb_bytes *b, uint32_t *v)
{
	const uint8_t *q = pb_b_take(b, 4);

	*v = q ? pb__be32(q) : 0;
	return q != NULL;
}

static inline bool pb_b_u64(struct pb_bytes *b, uint64_t *v)
{
	const uint8_t *q = pb_b_take(b, 8);

	*v = q ? pb__be64(q) : 0;
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

/* Do bytes [off, off + n) lie inside b? Asks only: marks nothing. */
static inline bool pb_b_has(const struct pb_bytes *b, size_t off, size_t n)
{
	return off <= b->len && n <= b->len - off;
}

/* A pointer to bytes [off, off + n) of b, or NULL (b marked truncated). */
static inline const uint8_t *pb_b_ptr(struct pb_bytes *b, size_t off, size_t n)
{
	if (!pb_b_has(b, off, n)) {
		b->truncated = true;
		return NULL;
	}
	return b->p + off;
}

/* The value at offset off, or 0 when it does not fit (b marked truncated). */
static inline uint8_t pb_b_get8(struct pb_bytes *b, size_t off)
{
	const uint8_t *q = pb_b_ptr(b, off, 1);

	return q ? q[0] : 0;
}

static inline uint16_t pb_b_get16(struct pb_bytes *b, size_t off)
{
	const uint8_t *q = pb_b_ptr(b, off, 2);

	return q ? pb__be16(q) : 0;
}

static inline uint32_t pb_b_get24(struct pb_bytes *b, size_t off)
{
	const uint8_t *q = pb_b_ptr(b, off, 3);

	return q ? pb__be24(q) : 0;
}

static inline uint32_t pb_b_get32(struct pb_bytes *b, size_t off)
{
	const uint8_t *q = pb_b_ptr(b, off, 4);

	return q ? pb__be32(q) : 0;
}

static inline uint64_t pb_b_get64(struct pb_bytes *b, size_t off)
{
	const uint8_t *q = pb_b_ptr(b, off, 8);

	return q ? pb__be64(q) : 0;
}

#endif /* PB_BYTES_H */
