// SPDX-License-Identifier: BSD-2-Clause
/*
 * Classic BPF to eBPF.
 *
 * The classic machine (libpcap's bpf_filter.c is the reference pktbpf is
 * tested against) has a 32-bit accumulator A, an index register X, sixteen
 * words of scratch memory M[], read-only access to the packet, and jumps that
 * only go forward. The rules kept here:
 *  - A = X = 0 when the program starts;
 *  - a packet load that reaches past the captured bytes ends the program with
 *    0 (no match), and so does a division or modulo by X == 0;
 *  - multi-byte packet loads are big-endian (network byte order);
 *  - arithmetic is unsigned 32-bit, and a shift by X >= 32 gives 0;
 *  - the program's value is what RET returns: nonzero means "match".
 *
 * Register map of the eBPF program:
 *   r6 ctx, r7 A, r8 X, r9 packet start, r5 packet end, r2 r3 scratch, r0 result.
 * The body calls no helper, so r1-r5 keep their values; only the LIVE epilogue
 * calls one, after the last packet load. M[i] lives at fp - 4 * (16 - i).
 *
 * Every packet load is checked against the packet end right before it: the
 * verifier only allows a packet read that such a comparison has proven in
 * bounds, and the out-of-bounds branch is cBPF's "return 0". Checks are not
 * merged across loads, because a classic program may legitimately return a
 * match before it reaches a later, out-of-bounds load.
 */
#include "cbpf_to_ebpf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R_CTX BPF_REG_6
#define R_A BPF_REG_7
#define R_X BPF_REG_8
#define R_DATA BPF_REG_9
#define R_END BPF_REG_5
#define R_T1 BPF_REG_2
#define R_T2 BPF_REG_3

/* XDP_PASS; for tc, TCX_NEXT (TC_ACT_UNSPEC) lets the next program run. */
#define PASS_XDP 2
#define PASS_TC (-1)

/* Where the shared tails are: "no match" (also every out-of-bounds load, and
 * division by zero) and, in LIVE mode, "match". */
enum label { L_NOMATCH, L_MATCH, L_MAX };

/* A jump to patch once every target's place is known: a classic instruction
 * index (>= 0) or a label (-1 - label). */
struct fixup {
	size_t at;
	long target;
};

struct xl {
	const struct sock_filter *prog;
	size_t n;
	const struct pb_xlate_opts *o;
	struct bpf_insn *out;
	size_t len, cap;
	struct fixup *fix;
	size_t nfix, fixcap;
	size_t *start;     /* first eBPF instruction of each classic one */
	size_t *next;      /* the next reachable classic instruction after i, or n */
	bool *reach;
	size_t label[L_MAX];
	bool used[L_MAX];
	bool nomem;
	char *err;
};

#define ERR_LEN sizeof(((struct pb_xlate *)0)->err)

/* Say why classic instruction i makes the program one pktbpf will not run. */
static void refuse(struct xl *x, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void refuse(struct xl *x, size_t i, const char *fmt, ...)
{
	int at;
	va_list ap;

	at = snprintf(x->err, ERR_LEN, "classic instruction %zu (code 0x%04x): ", i,
		      x->prog[i].code);
	va_start(ap, fmt);
	vsnprintf(x->err + at, ERR_LEN - at, fmt, ap);
	va_end(ap);
}

static bool grow(void **buf, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *p;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*buf, ncap * size);
	if (!p)
		return false;
	*buf = p;
	*cap = ncap;
	return true;
}

static void emit(struct xl *x, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn *in;

	if (x->nomem || !grow((void **)&x->out, &x->cap, x->len + 1, sizeof(*x->out))) {
		x->nomem = true;
		return;
	}
	in = &x->out[x->len++];
	memset(in, 0, sizeof(*in));
	in->code = code;
	in->dst_reg = dst;
	in->src_reg = src;
	in->off = off;
	in->imm = imm;
}

static void jump_to(struct xl *x, __u8 code, __u8 dst, __u8 src, __s32 imm, long target)
{
	if (x->nomem || !grow((void **)&x->fix, &x->fixcap, x->nfix + 1, sizeof(*x->fix))) {
		x->nomem = true;
		return;
	}
	x->fix[x->nfix].at = x->len;
	x->fix[x->nfix].target = target;
	x->nfix++;
	emit(x, code, dst, src, 0, imm);
}

static void jump_label(struct xl *x, __u8 code, __u8 dst, __u8 src, __s32 imm, enum label l)
{
	x->used[l] = true;
	jump_to(x, code, dst, src, imm, -1 - (long)l);
}

/* Unconditional jump to classic instruction t, left out when t comes next. */
static void goto_insn(struct xl *x, size_t i, size_t t)
{
	if (t != x->next[i])
		jump_to(x, BPF_JMP | BPF_JA, 0, 0, 0, (long)t);
}

static void mov32_imm(struct xl *x, __u8 dst, __u32 k)
{
	emit(x, BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, (__s32)k);
}

static __s16 mem_off(__u32 k)
{
	return (__s16)(-4 * (PB_CBPF_MEMWORDS - (int)k));
}

static __u8 size_code(__u16 code)
{
	switch (BPF_SIZE(code)) {
	case BPF_H:
		return BPF_H;
	case BPF_B:
		return BPF_B;
	default:
		return BPF_W;
	}
}

static int size_bytes(__u8 sz)
{
	return sz == BPF_W ? 4 : sz == BPF_H ? 2 : 1;
}

/* dst = the sz-sized big-endian value at data + ptr_off, ptr already proven
 * to be in bounds for that many bytes. */
static void load_and_swap(struct xl *x, __u8 dst, __u8 ptr, __s16 ptr_off, __u8 sz)
{
	emit(x, BPF_LDX | BPF_MEM | sz, dst, ptr, ptr_off, 0);
	/* BPF_TO_BE converts between host and network order either way round;
	 * on a big-endian host it only clears the bits above the width. */
	if (sz != BPF_B)
		emit(x, BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, size_bytes(sz) * 8);
}

/*
 * A packet load whose offset alone (X aside) puts it past the bytes the
 * verifier lets a program read: it always ends the program with "no match",
 * and what follows it is unreachable from it.
 */
static bool always_out_of_bounds(const struct sock_filter *f)
{
	__u8 mode = BPF_MODE(f->code);

	if (BPF_CLASS(f->code) == BPF_LDX)
		return mode == BPF_MSH && (__u64)f->k + 1 > PB_XLATE_PKT_MAX;
	return BPF_CLASS(f->code) == BPF_LD && (mode == BPF_ABS || mode == BPF_IND) &&
	       (__u64)f->k + size_bytes(size_code(f->code)) > PB_XLATE_PKT_MAX;
}

/* dst = packet[k .. k+size), or "no match" when that runs past the end. */
static void load_abs(struct xl *x, __u8 dst, __u32 k, __u8 sz)
{
	__u64 end = (__u64)k + size_bytes(sz);

	if (end > PB_XLATE_PKT_MAX) {
		jump_label(x, BPF_JMP | BPF_JA, 0, 0, 0, L_NOMATCH);
		return;
	}
	/* r2 = data + end, compared with the packet end: the verifier then knows
	 * that r9 (same packet pointer) has `end` readable bytes. */
	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_T1, R_DATA, 0, 0);
	emit(x, BPF_ALU64 | BPF_ADD | BPF_K, R_T1, 0, 0, (__s32)end);
	jump_label(x, BPF_JMP | BPF_JGT | BPF_X, R_T1, R_END, 0, L_NOMATCH);
	if (k <= INT16_MAX) {
		load_and_swap(x, dst, R_DATA, (__s16)k, sz);
		return;
	}
	/* The load's own offset is 16-bit signed: move the pointer instead. */
	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_T1, R_DATA, 0, 0);
	emit(x, BPF_ALU64 | BPF_ADD | BPF_K, R_T1, 0, 0, (__s32)k);
	load_and_swap(x, dst, R_T1, 0, sz);
}

/* dst = packet[X + k .. X + k + size), or "no match" past the end. */
static void load_ind(struct xl *x, __u8 dst, __u32 k, __u8 sz)
{
	__u32 span = size_bytes(sz);

	if ((__u64)k + span > PB_XLATE_PKT_MAX) {
		jump_label(x, BPF_JMP | BPF_JA, 0, 0, 0, L_NOMATCH);
		return;
	}
	/* The offset in 64 bits, so X + k cannot wrap as it would in 32; then
	 * bounded, because the verifier accepts a variable packet offset only
	 * when it knows the offset stays below MAX_PACKET_OFF. */
	emit(x, BPF_ALU | BPF_MOV | BPF_X, R_T1, R_X, 0, 0);
	emit(x, BPF_ALU64 | BPF_ADD | BPF_K, R_T1, 0, 0, (__s32)k);
	jump_label(x, BPF_JMP | BPF_JGT | BPF_K, R_T1, 0, (__s32)(PB_XLATE_PKT_MAX - span),
		   L_NOMATCH);
	emit(x, BPF_ALU64 | BPF_ADD | BPF_X, R_T1, R_DATA, 0, 0);
	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_T2, R_T1, 0, 0);
	emit(x, BPF_ALU64 | BPF_ADD | BPF_K, R_T2, 0, 0, (__s32)span);
	jump_label(x, BPF_JMP | BPF_JGT | BPF_X, R_T2, R_END, 0, L_NOMATCH);
	load_and_swap(x, dst, R_T1, 0, sz);
}

/* dst = the packet's length on the wire. */
static void load_len(struct xl *x, __u8 dst)
{
	if (x->o->hook == PB_XLATE_TC) {
		emit(x, BPF_LDX | BPF_MEM | BPF_W, dst, R_CTX, offsetof(struct __sk_buff, len), 0);
		return;
	}
	/* An XDP frame without fragments (pktbpf's programs do not take them)
	 * is all there is of the packet. Subtracting two packet pointers is
	 * allowed to privileged programs only; loading needs privilege anyway. */
	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_T1, R_END, 0, 0);
	emit(x, BPF_ALU64 | BPF_SUB | BPF_X, R_T1, R_DATA, 0, 0);
	emit(x, BPF_ALU | BPF_MOV | BPF_X, dst, R_T1, 0, 0);
}

static void alu(struct xl *x, __u16 code, __u32 k)
{
	__u8 op = BPF_OP(code);

	if (op == BPF_NEG) {
		emit(x, BPF_ALU | BPF_NEG, R_A, 0, 0, 0);
		return;
	}
	if (BPF_SRC(code) == BPF_K) {
		/* k == 0 divisors and k >= 32 shifts were refused by validate(). */
		emit(x, BPF_ALU | op | BPF_K, R_A, 0, 0, (__s32)k);
		return;
	}
	if (op == BPF_DIV || op == BPF_MOD) {
		/* eBPF would give 0 (or keep A); cBPF ends the program with 0. */
		jump_label(x, BPF_JMP | BPF_JEQ | BPF_K, R_X, 0, 0, L_NOMATCH);
	} else if (op == BPF_LSH || op == BPF_RSH) {
		/* eBPF masks the shift count to 5 bits; cBPF shifts everything out. */
		emit(x, BPF_JMP | BPF_JLT | BPF_K, R_X, 0, 2, 32);
		mov32_imm(x, R_A, 0);
		emit(x, BPF_JMP | BPF_JA, 0, 0, 1, 0);
	}
	emit(x, BPF_ALU | op | BPF_X, R_A, R_X, 0, 0);
}

/* The opposite condition, where eBPF has one (JSET has none). */
static __u8 inverse(__u8 op)
{
	switch (op) {
	case BPF_JEQ:
		return BPF_JNE;
	case BPF_JGT:
		return BPF_JLE;
	case BPF_JGE:
		return BPF_JLT;
	default:
		return 0;
	}
}

static void cond_jump(struct xl *x, size_t i)
{
	const struct sock_filter *f = &x->prog[i];
	size_t t = i + 1 + f->jt, e = i + 1 + f->jf;
	/* JMP32: classic compares 32-bit unsigned values, and the immediate
	 * must not be sign-extended to 64 bits. */
	__u8 src = BPF_SRC(f->code), op = BPF_OP(f->code), cls = BPF_JMP32 | src;
	__u8 sreg = src == BPF_X ? R_X : 0;

	if (t == e) {
		goto_insn(x, i, t);
	} else if (t == x->next[i] && inverse(op)) {
		jump_to(x, cls | inverse(op), R_A, sreg, (__s32)f->k, (long)e);
	} else if (t == x->next[i]) {
		emit(x, cls | op, R_A, sreg, 1, (__s32)f->k);
		jump_to(x, BPF_JMP | BPF_JA, 0, 0, 0, (long)e);
	} else {
		jump_to(x, cls | op, R_A, sreg, (__s32)f->k, (long)t);
		goto_insn(x, i, e);
	}
}

static void ret(struct xl *x, __u16 code, __u32 k)
{
	bool is_a = BPF_RVAL(code) == BPF_A;

	if (x->o->mode == PB_XLATE_VERDICT) {
		if (is_a)
			emit(x, BPF_ALU | BPF_MOV | BPF_X, BPF_REG_0, R_A, 0, 0);
		else
			mov32_imm(x, BPF_REG_0, k);
		emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return;
	}
	if (!is_a) {
		jump_label(x, BPF_JMP | BPF_JA, 0, 0, 0, k ? L_MATCH : L_NOMATCH);
		return;
	}
	jump_label(x, BPF_JMP | BPF_JNE | BPF_K, R_A, 0, 0, L_MATCH);
	jump_label(x, BPF_JMP | BPF_JA, 0, 0, 0, L_NOMATCH);
}

static void translate_one(struct xl *x, size_t i)
{
	const struct sock_filter *f = &x->prog[i];
	__u16 code = f->code;

	switch (BPF_CLASS(code)) {
	case BPF_LD:
		switch (BPF_MODE(code)) {
		case BPF_ABS:
			load_abs(x, R_A, f->k, size_code(code));
			break;
		case BPF_IND:
			load_ind(x, R_A, f->k, size_code(code));
			break;
		case BPF_LEN:
			load_len(x, R_A);
			break;
		case BPF_IMM:
			mov32_imm(x, R_A, f->k);
			break;
		case BPF_MEM:
			emit(x, BPF_LDX | BPF_MEM | BPF_W, R_A, BPF_REG_10, mem_off(f->k), 0);
			break;
		}
		break;
	case BPF_LDX:
		switch (BPF_MODE(code)) {
		case BPF_MSH:
			/* X = 4 * (P[k] & 0xf): an IPv4 header's length (RFC 791 IHL). */
			load_abs(x, R_X, f->k, BPF_B);
			emit(x, BPF_ALU | BPF_AND | BPF_K, R_X, 0, 0, 0xf);
			emit(x, BPF_ALU | BPF_LSH | BPF_K, R_X, 0, 0, 2);
			break;
		case BPF_LEN:
			load_len(x, R_X);
			break;
		case BPF_IMM:
			mov32_imm(x, R_X, f->k);
			break;
		case BPF_MEM:
			emit(x, BPF_LDX | BPF_MEM | BPF_W, R_X, BPF_REG_10, mem_off(f->k), 0);
			break;
		}
		break;
	case BPF_ST:
	case BPF_STX:
		emit(x, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10,
		     BPF_CLASS(code) == BPF_ST ? R_A : R_X, mem_off(f->k), 0);
		break;
	case BPF_ALU:
		alu(x, code, f->k);
		break;
	case BPF_JMP:
		if (BPF_OP(code) == BPF_JA)
			goto_insn(x, i, i + 1 + (size_t)f->k);
		else
			cond_jump(x, i);
		break;
	case BPF_RET:
		ret(x, code, f->k);
		break;
	case BPF_MISC:
		if (BPF_MISCOP(code) == BPF_TAX)
			emit(x, BPF_ALU | BPF_MOV | BPF_X, R_X, R_A, 0, 0);
		else
			emit(x, BPF_ALU | BPF_MOV | BPF_X, R_A, R_X, 0, 0);
		break;
	}
}

/* The instructions libpcap's interpreter runs; anything else is refused. */
static bool known_code(__u16 code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_IMM:
	case BPF_LDX | BPF_W | BPF_MEM:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_B | BPF_MSH:
	case BPF_ST:
	case BPF_STX:
	case BPF_ALU | BPF_NEG:
	case BPF_JMP | BPF_JA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
		return true;
	}
	if (code > 0xff)
		return false;
	if (BPF_CLASS(code) == BPF_ALU) {
		switch (BPF_OP(code)) {
		case BPF_ADD:
		case BPF_SUB:
		case BPF_MUL:
		case BPF_DIV:
		case BPF_MOD:
		case BPF_OR:
		case BPF_AND:
		case BPF_XOR:
		case BPF_LSH:
		case BPF_RSH:
			return true;
		}
	}
	if (BPF_CLASS(code) == BPF_JMP) {
		switch (BPF_OP(code)) {
		case BPF_JEQ:
		case BPF_JGT:
		case BPF_JGE:
		case BPF_JSET:
			return true;
		}
	}
	return false;
}

static bool uses_mem(__u16 code)
{
	return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_W | BPF_MEM) ||
	       code == BPF_ST || code == BPF_STX;
}

static bool reads_mem(__u16 code)
{
	return code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_W | BPF_MEM);
}

/* Refuse what the kernel's and libpcap's checkers refuse; mark what is
 * reachable (the verifier refuses unreachable instructions). */
static int validate(struct xl *x)
{
	size_t i;

	if (!x->n) {
		snprintf(x->err, ERR_LEN, "empty classic program");
		return -EINVAL;
	}
	x->reach[0] = true;
	for (i = 0; i < x->n; i++) {
		const struct sock_filter *f = &x->prog[i];
		__u8 op = BPF_OP(f->code);

		if (!known_code(f->code)) {
			refuse(x, i, "not a classic BPF instruction libpcap would run");
			return -EINVAL;
		}
		if (uses_mem(f->code) && f->k >= PB_CBPF_MEMWORDS) {
			refuse(x, i, "scratch memory index %u is not below %d", f->k,
			     PB_CBPF_MEMWORDS);
			return -EINVAL;
		}
		if (BPF_CLASS(f->code) == BPF_ALU && BPF_SRC(f->code) == BPF_K) {
			if ((op == BPF_DIV || op == BPF_MOD) && f->k == 0) {
				refuse(x, i, "division by the constant 0");
				return -EINVAL;
			}
			if ((op == BPF_LSH || op == BPF_RSH) && f->k >= 32) {
				refuse(x, i, "shift by the constant %u (32 or more)", f->k);
				return -EINVAL;
			}
		}
		if (!x->reach[i])
			continue;
		if (BPF_CLASS(f->code) == BPF_RET)
			continue;
		if (BPF_CLASS(f->code) != BPF_JMP) {
			if (i + 1 >= x->n) {
				refuse(x, i, "the program runs off its end");
				return -EINVAL;
			}
			if (!always_out_of_bounds(f))
				x->reach[i + 1] = true;
		} else if (op == BPF_JA) {
			if ((__u64)i + 1 + f->k >= x->n) {
				refuse(x, i, "jump past the end");
				return -EINVAL;
			}
			x->reach[i + 1 + f->k] = true;
		} else {
			if (i + 1 + f->jt >= x->n || i + 1 + f->jf >= x->n) {
				refuse(x, i, "jump past the end");
				return -EINVAL;
			}
			x->reach[i + 1 + f->jt] = true;
			x->reach[i + 1 + f->jf] = true;
		}
	}
	x->next[x->n - 1] = x->n;
	for (i = x->n - 1; i > 0; i--)
		x->next[i - 1] = x->reach[i] ? i : x->next[i];
	return 0;
}

static void prologue(struct xl *x)
{
	bool tc = x->o->hook == PB_XLATE_TC;
	bool zero[PB_CBPF_MEMWORDS] = { false };
	size_t i;

	emit(x, BPF_ALU64 | BPF_MOV | BPF_X, R_CTX, BPF_REG_1, 0, 0);
	emit(x, BPF_LDX | BPF_MEM | BPF_W, R_DATA, BPF_REG_1,
	     tc ? offsetof(struct __sk_buff, data) : offsetof(struct xdp_md, data), 0);
	emit(x, BPF_LDX | BPF_MEM | BPF_W, R_END, BPF_REG_1,
	     tc ? offsetof(struct __sk_buff, data_end) : offsetof(struct xdp_md, data_end), 0);
	mov32_imm(x, R_A, 0);
	mov32_imm(x, R_X, 0);
	/* The verifier refuses reads of uninitialized stack; libpcap's compiler
	 * never reads M[i] before storing it, so the zero is never seen. */
	for (i = 0; i < x->n; i++)
		if (x->reach[i] && reads_mem(x->prog[i].code))
			zero[x->prog[i].k] = true;
	for (i = 0; i < PB_CBPF_MEMWORDS; i++)
		if (zero[i])
			emit(x, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, mem_off(i), 0);
}

static void epilogue(struct xl *x)
{
	bool live = x->o->mode == PB_XLATE_LIVE;

	if (x->used[L_MATCH]) {
		x->label[L_MATCH] = x->len;
		emit(x, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, R_CTX, 0, 0);
		emit(x, BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0,
		     x->o->prog_array_fd);
		emit(x, 0, 0, 0, 0, 0);
		mov32_imm(x, BPF_REG_3, x->o->match_slot);
		emit(x, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call);
		/* Only reached when the tail call fails (empty slot): pass on. */
		x->used[L_NOMATCH] = true;
	}
	if (!x->used[L_NOMATCH])
		return;
	x->label[L_NOMATCH] = x->len;
	if (!live)
		mov32_imm(x, BPF_REG_0, 0);
	else if (x->o->hook == PB_XLATE_TC)
		emit(x, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, PASS_TC);
	else
		mov32_imm(x, BPF_REG_0, PASS_XDP);
	emit(x, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static int resolve(struct xl *x)
{
	size_t i;

	for (i = 0; i < x->nfix; i++) {
		long t = x->fix[i].target;
		size_t to = t >= 0 ? x->start[t] : x->label[-1 - t];
		long off = (long)to - (long)x->fix[i].at - 1;

		if (off > INT16_MAX) {
			snprintf(x->err, ERR_LEN,
				 "too large: %zu eBPF instructions, a jump spans %ld of them "
				 "(at most %d)",
				 x->len, off, INT16_MAX);
			return -E2BIG;
		}
		x->out[x->fix[i].at].off = (__s16)off;
	}
	return 0;
}

int pb_cbpf_to_ebpf(const struct sock_filter *prog, size_t n, const struct pb_xlate_opts *o,
		    struct pb_xlate *out)
{
	struct xl x = { .prog = prog, .n = n, .o = o, .err = out->err };
	size_t i;
	int err;

	out->insns = NULL;
	out->len = 0;
	out->err[0] = '\0';
	x.start = calloc(n + 1, sizeof(*x.start));
	x.next = calloc(n + 1, sizeof(*x.next));
	x.reach = calloc(n + 1, sizeof(*x.reach));
	err = !x.start || !x.next || !x.reach ? -ENOMEM : validate(&x);
	if (!err) {
		prologue(&x);
		for (i = 0; i < n; i++) {
			if (!x.reach[i])
				continue;
			x.start[i] = x.len;
			translate_one(&x, i);
		}
		epilogue(&x);
		err = x.nomem ? -ENOMEM : resolve(&x);
	}
	if (err == -ENOMEM)
		snprintf(out->err, sizeof(out->err), "out of memory");
	free(x.start);
	free(x.next);
	free(x.reach);
	free(x.fix);
	if (err) {
		free(x.out);
		return err;
	}
	out->insns = x.out;
	out->len = x.len;
	return 0;
}

void pb_xlate_free(struct pb_xlate *x)
{
	free(x->insns);
	x->insns = NULL;
	x->len = 0;
}
