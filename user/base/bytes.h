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

/* The n (<= 8) bytes at q as a big-endian number: q already checked. */
static inline uint64_t pb__be(const uint8_t *q, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | q[i];
	return v;
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

/* Read n (<= 8) bytes big-endian at the cursor into *v (0 if they are not there). */
static inline bool pb__b_read(struct pb_bytes *b, size_t n, uint64_t *v)
{
	const uint8_t *q = pb_b_take(b, n);

	*v = q ? pb__be(q, n) : 0;
	return q != NULL;
}

#define PB__B_READ(name, type, n)                                  \
	static inline bool name(struct pb_bytes *b, type *v)       \
	{                                                          \
		uint64_t x;                                        \
		bool ok = pb__b_read(b, n, &x);                    \
                                                                   \
		*v = (type)x;                                      \
		return ok;                                         \
	}
PB__B_READ(pb_b_u8, uint8_t, 1)
PB__B_READ(pb_b_u16, uint16_t, 2)
PB__B_READ(pb_b_u24, uint32_t, 3)
PB__B_READ(pb_b_u32, uint32_t, 4)
PB__B_READ(pb_b_u64, uint64_t, 8)
#undef PB__B_READ

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

/* The n (<= 8) bytes at offset off, big-endian, or 0 when they do not fit
 * (b marked truncated). */
static inline uint64_t pb__b_get(struct pb_bytes *b, size_t off, size_t n)
{
	const uint8_t *q = pb_b_ptr(b, off, n);

	return q ? pb__be(q, n) : 0;
}

static inline uint8_t pb_b_get8(struct pb_bytes *b, size_t off)
{
	return (uint8_t)pb__b_get(b, off, 1);
}

static inline uint16_t pb_b_get16(struct pb_bytes *b, size_t off)
{
	return (uint16_t)pb__b_get(b, off, 2);
}

static inline uint32_t pb_b_get24(struct pb_bytes *b, size_t off)
{
	return (uint32_t)pb__b_get(b, off, 3);
}

static inline uint32_t pb_b_get32(struct pb_bytes *b, size_t off)
{
	return (uint32_t)pb__b_get(b, off, 4);
}

static inline uint64_t pb_b_get64(struct pb_bytes *b, size_t off)
{
	return pb__b_get(b, off, 8);
}

#endif /* PB_BYTES_H */
