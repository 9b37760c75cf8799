// SPDX-License-Identifier: BSD-2-Clause
/*
 * The classic-to-eBPF translator on hand-written programs, one or more per
 * instruction class: each runs in the kernel as an XDP and as a tc program
 * (bpf_prog_test_run_opts) and must return the value worked out here from
 * the packet's bytes, which must also be libpcap's own answer
 * (pcap_offline_filter on the same packet).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter_compile.h"
#include "bpf/filter_run.h"

/* The test packet: byte i is P(i); long enough for every case. */
#define PKT_LEN 64
#define P(i) ((__u32)(((i) * 37 + 11) & 0xff))
#define BE16(i) (P(i) << 8 | P((i) + 1))
#define BE32(i) (BE16(i) << 16 | BE16((i) + 2))

struct op_case {
	const char *name;
	struct sock_filter prog[12];
	size_t n;
	__u32 len; /* packet length used; PKT_LEN when 0 */
	__u32 expect;
};

#define PROG(...)                         \
	.prog = { __VA_ARGS__ },          \
	.n = sizeof((struct sock_filter[]){ __VA_ARGS__ }) / sizeof(struct sock_filter)
#define S BPF_STMT
#define J BPF_JUMP
#define RET_A S(BPF_RET | BPF_A, 0)
#define RET_K(k) S(BPF_RET | BPF_K, k)
#define LD_IMM(k) S(BPF_LD | BPF_IMM, k)
#define LDX_IMM(k) S(BPF_LDX | BPF_W | BPF_IMM, k)
/* A = 1000, then one ALU operation with constant k, then return A. */
#define ALU_K(op, k) PROG(LD_IMM(1000), S(BPF_ALU | (op) | BPF_K, k), RET_A)
/* The same with the operand in X. */
#define ALU_X(op, k) PROG(LD_IMM(1000), LDX_IMM(k), S(BPF_ALU | (op) | BPF_X, 0), RET_A)
/* A = a; if (A op k) return 10 else return 20, with the given jt/jf layout. */
#define JMP_K(a, op, k) PROG(LD_IMM(a), J(BPF_JMP | (op) | BPF_K, k, 0, 1), RET_K(10), RET_K(20))
#define JMP_K_FALSE_NEXT(a, op, k) \
	PROG(LD_IMM(a), J(BPF_JMP | (op) | BPF_K, k, 1, 0), RET_K(20), RET_K(10))
#define JMP_K_APART(a, op, k) \
	PROG(LD_IMM(a), J(BPF_JMP | (op) | BPF_K, k, 1, 2), RET_K(30), RET_K(10), RET_K(20))
#define JMP_X(a, op, x) \
	PROG(LD_IMM(a), LDX_IMM(x), J(BPF_JMP | (op) | BPF_X, 0, 0, 1), RET_K(10), RET_K(20))

static const struct op_case cases[] = {
	/* BPF_LD | BPF_ABS */
	{ "ld w abs", PROG(S(BPF_LD | BPF_W | BPF_ABS, 8), RET_A), 0, BE32(8) },
	{ "ld h abs", PROG(S(BPF_LD | BPF_H | BPF_ABS, 20), RET_A), 0, BE16(20) },
	{ "ld b abs, last byte", PROG(S(BPF_LD | BPF_B | BPF_ABS, 63), RET_A), 0, P(63) },
	{ "ld w abs, last word", PROG(S(BPF_LD | BPF_W | BPF_ABS, 60), RET_A), 0, BE32(60) },
	{ "ld w abs, one byte past", PROG(S(BPF_LD | BPF_W | BPF_ABS, 61), RET_K(1)), 0, 0 },
	{ "ld b abs, short packet", PROG(S(BPF_LD | BPF_B | BPF_ABS, 40), RET_K(1)), 40, 0 },
	{ "ld h abs, beyond 32k", PROG(S(BPF_LD | BPF_H | BPF_ABS, 40000), RET_K(1)), 0, 0 },
	{ "ld w abs, beyond 64k", PROG(S(BPF_LD | BPF_W | BPF_ABS, 0xfffffff0), RET_K(1)), 0, 0 },
	/* BPF_LD | BPF_IND */
	{ "ld w ind", PROG(LDX_IMM(10), S(BPF_LD | BPF_W | BPF_IND, 6), RET_A), 0, BE32(16) },
	{ "ld h ind", PROG(LDX_IMM(3), S(BPF_LD | BPF_H | BPF_IND, 1), RET_A), 0, BE16(4) },
	{ "ld b ind, last byte", PROG(LDX_IMM(60), S(BPF_LD | BPF_B | BPF_IND, 3), RET_A), 0,
	  P(63) },
	{ "ld h ind, past the end", PROG(LDX_IMM(60), S(BPF_LD | BPF_H | BPF_IND, 3), RET_K(1)),
	  0, 0 },
	{ "ld b ind, X + k wraps in 32 bits",
	  PROG(LDX_IMM(0xffffffff), S(BPF_LD | BPF_B | BPF_IND, 2), RET_K(1)), 0, 0 },
	{ "ld b ind, huge k", PROG(S(BPF_LD | BPF_B | BPF_IND, 0x7fffffff), RET_K(1)), 0, 0 },
	/* BPF_LDX | BPF_MSH, BPF_LEN, BPF_IMM */
	{ "ldx msh", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 14), S(BPF_MISC | BPF_TXA, 0), RET_A), 0,
	  (P(14) & 0xf) * 4 },
	{ "ldx msh, past the end", PROG(S(BPF_LDX | BPF_B | BPF_MSH, 14), RET_K(1)), 14, 0 },
	{ "ld len", PROG(S(BPF_LD | BPF_W | BPF_LEN, 0), RET_A), 50, 50 },
	{ "ldx len", PROG(S(BPF_LDX | BPF_W | BPF_LEN, 0), S(BPF_MISC | BPF_TXA, 0), RET_A), 33,
	  33 },
	{ "ld imm", PROG(LD_IMM(0xdeadbeef), RET_A), 0, 0xdeadbeef },
	/* BPF_RET */
	{ "ret k", PROG(RET_K(12345)), 0, 12345 },
	{ "ret a, A starts at 0", PROG(RET_A), 0, 0 },
	{ "X starts at 0", PROG(S(BPF_MISC | BPF_TXA, 0), S(BPF_ALU | BPF_ADD | BPF_K, 5), RET_A),
	  0, 5 },
	/* BPF_ST, BPF_STX, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM */
	{ "scratch memory",
	  PROG(LD_IMM(7), S(BPF_ST, 3), LDX_IMM(100), S(BPF_STX, 15), LD_IMM(0), LDX_IMM(0),
	       S(BPF_LD | BPF_MEM, 3), S(BPF_LDX | BPF_W | BPF_MEM, 15),
	       S(BPF_ALU | BPF_ADD | BPF_X, 0), RET_A),
	  0, 107 },
	/* BPF_ALU with a constant */
	{ "add k", ALU_K(BPF_ADD, 7), 0, 1007 },
	{ "sub k, wraps", ALU_K(BPF_SUB, 2000), 0, (__u32)(1000 - 2000) },
	{ "mul k", ALU_K(BPF_MUL, 3), 0, 3000 },
	{ "div k", ALU_K(BPF_DIV, 7), 0, 142 },
	{ "mod k", ALU_K(BPF_MOD, 7), 0, 6 },
	{ "or k", ALU_K(BPF_OR, 0x10000), 0, 0x103e8 },
	{ "and k", ALU_K(BPF_AND, 0xff), 0, 0xe8 },
	{ "xor k", ALU_K(BPF_XOR, 0xffff), 0, 0xfc17 },
	{ "lsh k", ALU_K(BPF_LSH, 20), 0, 1000u << 20 },
	{ "rsh k", ALU_K(BPF_RSH, 3), 0, 125 },
	{ "neg", PROG(LD_IMM(1000), S(BPF_ALU | BPF_NEG, 0), RET_A), 0, (__u32)-1000 },
	{ "mul wraps in 32 bits",
	  PROG(LD_IMM(0x10000), S(BPF_ALU | BPF_MUL | BPF_K, 0x10001), RET_A), 0, 0x10000 },
	{ "div k is unsigned",
	  PROG(LD_IMM(0xfffffffe), S(BPF_ALU | BPF_DIV | BPF_K, 0x80000000), RET_A), 0, 1 },
	/* BPF_ALU with X */
	{ "add x", ALU_X(BPF_ADD, 7), 0, 1007 },
	{ "sub x", ALU_X(BPF_SUB, 2000), 0, (__u32)(1000 - 2000) },
	{ "mul x", ALU_X(BPF_MUL, 3), 0, 3000 },
	{ "div x", ALU_X(BPF_DIV, 7), 0, 142 },
	{ "mod x", ALU_X(BPF_MOD, 7), 0, 6 },
	{ "or x", ALU_X(BPF_OR, 0x10000), 0, 0x103e8 },
	{ "and x", ALU_X(BPF_AND, 0xff), 0, 0xe8 },
	{ "xor x", ALU_X(BPF_XOR, 0xffff), 0, 0xfc17 },
	{ "lsh x", ALU_X(BPF_LSH, 20), 0, 1000u << 20 },
	{ "rsh x", ALU_X(BPF_RSH, 3), 0, 125 },
	{ "lsh x by 31", ALU_X(BPF_LSH, 31), 0, 0 },
	{ "rsh x by 9", ALU_X(BPF_RSH, 9), 0, 1 },
	{ "lsh x by 32 gives 0", ALU_X(BPF_LSH, 32), 0, 0 },
	{ "rsh x by 40 gives 0", ALU_X(BPF_RSH, 40), 0, 0 },
	{ "rsh x by 33 gives 0", ALU_X(BPF_RSH, 33), 0, 0 },
	{ "div by X = 0 ends with 0",
	  PROG(LD_IMM(5), LDX_IMM(0), S(BPF_ALU | BPF_DIV | BPF_X, 0), RET_K(1)), 0, 0 },
	{ "mod by X = 0 ends with 0",
	  PROG(LD_IMM(5), LDX_IMM(0), S(BPF_ALU | BPF_MOD | BPF_X, 0), RET_K(1)), 0, 0 },
	{ "div x is unsigned", PROG(LD_IMM(0xfffffffe), LDX_IMM(0x80000000),
				    S(BPF_ALU | BPF_DIV | BPF_X, 0), RET_A), 0, 1 },
	/* BPF_JMP */
	{ "ja", PROG(S(BPF_JMP | BPF_JA, 1), RET_K(1), RET_K(2)), 0, 2 },
	{ "jeq k true", JMP_K(5, BPF_JEQ, 5), 0, 10 },
	{ "jeq k false", JMP_K(6, BPF_JEQ, 5), 0, 20 },
	{ "jeq k true, false next", JMP_K_FALSE_NEXT(5, BPF_JEQ, 5), 0, 10 },
	{ "jeq k false, false next", JMP_K_FALSE_NEXT(4, BPF_JEQ, 5), 0, 20 },
	{ "jeq k, both apart", JMP_K_APART(5, BPF_JEQ, 5), 0, 10 },
	{ "jeq k 0xffffffff", JMP_K(0xffffffff, BPF_JEQ, 0xffffffff), 0, 10 },
	{ "jgt k true", JMP_K(6, BPF_JGT, 5), 0, 10 },
	{ "jgt k false when equal", JMP_K(5, BPF_JGT, 5), 0, 20 },
	{ "jgt k is unsigned", JMP_K(0x80000000, BPF_JGT, 1), 0, 10 },
	{ "jgt k 0xffffffff", JMP_K(0x80000000, BPF_JGT, 0xffffffff), 0, 20 },
	{ "jgt k false next", JMP_K_FALSE_NEXT(9, BPF_JGT, 5), 0, 10 },
	{ "jge k true when equal", JMP_K(5, BPF_JGE, 5), 0, 10 },
	{ "jge k false", JMP_K(4, BPF_JGE, 5), 0, 20 },
	{ "jge k false next", JMP_K_FALSE_NEXT(4, BPF_JGE, 5), 0, 20 },
	{ "jset k true", JMP_K(0x12, BPF_JSET, 0x2), 0, 10 },
	{ "jset k false", JMP_K(0x12, BPF_JSET, 0x4), 0, 20 },
	{ "jset k true, false next", JMP_K_FALSE_NEXT(0x12, BPF_JSET, 0x10), 0, 10 },
	{ "jset k false, false next", JMP_K_FALSE_NEXT(0x12, BPF_JSET, 0x1), 0, 20 },
	{ "jset k, both apart", JMP_K_APART(0x12, BPF_JSET, 0x1), 0, 20 },
	{ "jeq x", JMP_X(5, BPF_JEQ, 5), 0, 10 },
	{ "jgt x is unsigned", JMP_X(0x80000000, BPF_JGT, 1), 0, 10 },
	{ "jge x", JMP_X(4, BPF_JGE, 5), 0, 20 },
	{ "jset x", JMP_X(0x12, BPF_JSET, 0x6), 0, 10 },
	{ "both branches to one place",
	  PROG(J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 1), RET_K(1), RET_K(2)), 0, 2 },
	{ "compare a packet word",
	  PROG(S(BPF_LD | BPF_W | BPF_ABS, 4), J(BPF_JMP | BPF_JEQ | BPF_K, BE32(4), 0, 1),
	       RET_K(10), RET_K(20)),
	  0, 10 },
	/* BPF_MISC, and code no path reaches */
	{ "tax, txa", PROG(LD_IMM(9), S(BPF_MISC | BPF_TAX, 0), LD_IMM(1), S(BPF_MISC | BPF_TXA, 0),
			  RET_A), 0, 9 },
	{ "unreachable instructions", PROG(S(BPF_JMP | BPF_JA, 1), LD_IMM(1), RET_K(3)), 0, 3 },
};

static __u8 pkt[PKT_LEN];

static void test_cases(void **state)
{
	size_t i, h, runs = 0;
	int failures = 0;

	(void)state;
	for (i = 0; i < PKT_LEN; i++)
		pkt[i] = P(i);
	for (i = 0; i < PB_ARRAY_SIZE(cases); i++) {
		const struct op_case *c = &cases[i];
		struct pb_cbpf cb = { .insns = (struct sock_filter *)c->prog, .len = c->n };
		__u32 len = c->len ? c->len : PKT_LEN;
		unsigned int libpcap = pb_cbpf_offline_filter(&cb, pkt, len, len);

		if (libpcap != c->expect) {
			fprintf(stderr, "%s: libpcap returns %u, the test expects %u\n", c->name,
				libpcap, c->expect);
			failures++;
		}
		for (h = 0; h < PB_ARRAY_SIZE(test_hooks); h++) {
			struct pb_xlate_opts o = { .hook = test_hooks[h] };
			int fd = test_load(c->prog, c->n, &o);
			long long got;

			if (fd < 0) {
				fprintf(stderr, "%s (%s): not loaded\n", c->name,
					test_hook_names[h]);
				failures++;
				continue;
			}
			got = test_run(fd, pkt, len);
			close(fd);
			runs++;
			if (got != c->expect) {
				fprintf(stderr, "%s (%s): returned %lld, want %u\n", c->name,
					test_hook_names[h], got, c->expect);
				failures++;
			}
		}
	}
	printf("%zu hand-written programs, %zu runs in the kernel\n", PB_ARRAY_SIZE(cases), runs);
	assert_int_equal(failures, 0);
}

/* A raw program returning a marker: the LIVE tail call reached it. */
static int marker_prog(enum pb_xlate_hook hook)
{
	struct bpf_insn insns[2] = {
		{ .code = BPF_ALU | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 77 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct pb_xlate x = { .insns = insns, .len = 2 };

	return pb_filter_load_insns(&x, hook, NULL, 0);
}

/* LIVE mode: a match tail-calls the slot; anything else passes. */
static void test_live(void **state)
{
	const struct sock_filter prog[] = {
		S(BPF_LD | BPF_H | BPF_ABS, 30),
		J(BPF_JMP | BPF_JEQ | BPF_K, BE16(30), 0, 1),
		RET_K(PB_FILTER_SNAPLEN),
		RET_K(0),
	};
	const __u32 pass[] = { 2 /* XDP_PASS */, (__u32)-1 /* TCX_NEXT */ };
	__u8 other[PKT_LEN];
	size_t h;

	(void)state;
	memcpy(other, pkt, sizeof(other));
	other[31] ^= 1;
	for (h = 0; h < PB_ARRAY_SIZE(test_hooks); h++) {
		int map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, NULL, 4, 4, 2, NULL);
		int marker = marker_prog(test_hooks[h]);
		struct pb_xlate_opts o = { .hook = test_hooks[h], .mode = PB_XLATE_LIVE,
					   .prog_array_fd = map, .match_slot = 1 };
		__u32 slot = 1;
		int fd;

		assert_true(map >= 0);
		assert_true(marker >= 0);
		fd = test_load(prog, PB_ARRAY_SIZE(prog), &o);
		assert_true(fd >= 0);
		/* Empty slot: the tail call falls through, and the packet passes. */
		assert_int_equal(test_run(fd, pkt, PKT_LEN), pass[h]);
		assert_int_equal(bpf_map_update_elem(map, &slot, &marker, BPF_ANY), 0);
		assert_int_equal(test_run(fd, pkt, PKT_LEN), 77);
		assert_int_equal(test_run(fd, other, PKT_LEN), pass[h]);
		/* Out of bounds is no match. */
		assert_int_equal(test_run(fd, pkt, 31), pass[h]);
		close(fd);
		close(marker);
		close(map);
	}
}

/*
 * A valid classic program the verifier refuses: a run of branches on packet
 * values it cannot decide (A == X, both from the packet, any 32-bit values), each joining again
 * after one instruction, leaves more branches pending at once than the
 * verifier keeps (8192). The refusal comes with the verifier's reason, and
 * the user's message quotes that reason, not the log.
 */
static void test_verifier_refusal(void **state)
{
	enum { BRANCHES = 8500 };
	size_t n = 2 * BRANCHES + 4, i;
	struct sock_filter *p = calloc(n, sizeof(*p));
	struct pb_xlate_opts o = { .hook = PB_XLATE_XDP };
	static char log[1 << 20], msg[4096];
	struct pb_xlate x;
	FILE *err;
	int saved, fd;

	(void)state;
	assert_non_null(p);
	p[0] = (struct sock_filter)S(BPF_LD | BPF_W | BPF_ABS, 4);
	p[1] = (struct sock_filter)S(BPF_MISC | BPF_TAX, 0);
	p[2] = (struct sock_filter)S(BPF_LD | BPF_W | BPF_ABS, 0);
	for (i = 0; i < BRANCHES; i++) {
		p[3 + 2 * i] = (struct sock_filter)J(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 0);
		p[4 + 2 * i] = (struct sock_filter)S(BPF_ALU | BPF_ADD | BPF_K, 1);
	}
	p[n - 1] = (struct sock_filter)RET_A;
	assert_int_equal(pb_cbpf_to_ebpf(p, n, &o, &x), 0);
	fd = pb_filter_load_insns(&x, PB_XLATE_XDP, log, sizeof(log));
	assert_true(fd < 0);
	assert_non_null(strstr(log, "too complex"));

	/* What the user sees (stderr, without -v). */
	err = tmpfile();
	assert_non_null(err);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(err), STDERR_FILENO);
	fd = pb_filter_load_cli("filter 'X'", &x, PB_XLATE_XDP, n);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(err);
	msg[fread(msg, 1, sizeof(msg) - 1, err)] = '\0';
	fclose(err);
	fprintf(stderr, "the message:\n%s", msg);
	assert_int_equal(fd, -EINVAL);
	assert_non_null(strstr(msg, "pktbpf: filter 'X': the kernel's verifier refused"));
	assert_non_null(strstr(msg, "too complex"));
	assert_non_null(strstr(msg, "-v shows the verifier's log"));
	assert_null(strstr(msg, "processed")); /* no log dump */
	pb_xlate_free(&x);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_verifier_refusal),
	};

	if (geteuid() != 0) {
		printf("[  SKIPPED ] reason: loading BPF programs needs root\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
