// SPDX-License-Identifier: BSD-2-Clause
/*
 * The classic-to-eBPF translator without a kernel: what it refuses (and
 * says why), the shape of what it emits (every jump lands inside the
 * program, the program ends in exit or a jump, LIVE mode's map reference is
 * a pseudo map fd load), dead classic code left out, and its size limit.
 * tests/bpf/ runs the translations themselves in the kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cbpf_to_ebpf.h"
#include "pb_types.h"

#define S BPF_STMT
#define J BPF_JUMP

struct bad_case {
	const char *name;
	struct sock_filter prog[4];
	size_t n;
	const char *why; /* in the error message */
};

static const struct bad_case bad[] = {
	{ "empty", { S(BPF_RET | BPF_K, 0) }, 0, "empty" },
	{ "len load of a halfword", { S(BPF_LD | BPF_H | BPF_LEN, 0), S(BPF_RET | BPF_A, 0) }, 2,
	  "instruction 0 (code 0x0088): not a classic" },
	{ "ret x", { S(BPF_RET | BPF_X, 0) }, 1, "not a classic" },
	{ "code above 0xff", { S(0x100 | BPF_RET | BPF_K, 0) }, 1, "not a classic" },
	{ "neg with x", { S(BPF_ALU | BPF_NEG | BPF_X, 0), S(BPF_RET | BPF_A, 0) }, 2,
	  "not a classic" },
	{ "jmp with an unknown operation", { S(BPF_JMP | 0x70, 0), S(BPF_RET | BPF_A, 0) }, 2,
	  "not a classic" },
	{ "ld mem 16", { S(BPF_LD | BPF_MEM, 16), S(BPF_RET | BPF_A, 0) }, 2,
	  "scratch memory index 16" },
	{ "st 99", { S(BPF_ST, 99), S(BPF_RET | BPF_A, 0) }, 2, "scratch memory index 99" },
	{ "div by constant 0", { S(BPF_ALU | BPF_DIV | BPF_K, 0), S(BPF_RET | BPF_A, 0) }, 2,
	  "division by the constant 0" },
	{ "mod by constant 0", { S(BPF_ALU | BPF_MOD | BPF_K, 0), S(BPF_RET | BPF_A, 0) }, 2,
	  "division by the constant 0" },
	{ "lsh by 32", { S(BPF_ALU | BPF_LSH | BPF_K, 32), S(BPF_RET | BPF_A, 0) }, 2,
	  "shift by the constant 32" },
	{ "rsh by 40", { S(BPF_ALU | BPF_RSH | BPF_K, 40), S(BPF_RET | BPF_A, 0) }, 2,
	  "shift by the constant 40" },
	{ "ja past the end", { S(BPF_JMP | BPF_JA, 1), S(BPF_RET | BPF_A, 0) }, 2, "past the end" },
	{ "ja far past the end", { S(BPF_JMP | BPF_JA, 0xffffffff), S(BPF_RET | BPF_A, 0) }, 2,
	  "past the end" },
	{ "jt past the end", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), S(BPF_RET | BPF_A, 0) }, 2,
	  "past the end" },
	{ "jf past the end", { J(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), S(BPF_RET | BPF_A, 0) }, 2,
	  "past the end" },
	{ "runs off the end", { S(BPF_LD | BPF_IMM, 1) }, 1, "runs off its end" },
};

static void test_refuses(void **state)
{
	const struct pb_xlate_opts o = { .hook = PB_XLATE_XDP };
	struct pb_xlate x;
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(bad); i++) {
		int err = pb_cbpf_to_ebpf(bad[i].prog, bad[i].n, &o, &x);

		if (err != -EINVAL || !strstr(x.err, bad[i].why))
			fail_msg("%s: got %d '%s', want -EINVAL '...%s...'", bad[i].name, err,
				 x.err, bad[i].why);
		assert_null(x.insns);
	}
}

/* A program with every instruction class, valid, for the shape checks. */
static const struct sock_filter every_class[] = {
	S(BPF_LD | BPF_H | BPF_ABS, 12),
	J(BPF_JMP | BPF_JEQ | BPF_K, 0x0800, 0, 12),
	S(BPF_LDX | BPF_B | BPF_MSH, 14),
	S(BPF_LD | BPF_H | BPF_IND, 16),
	S(BPF_ST, 2),
	S(BPF_LD | BPF_W | BPF_LEN, 0),
	S(BPF_ALU | BPF_SUB | BPF_X, 0),
	S(BPF_MISC | BPF_TAX, 0),
	S(BPF_LD | BPF_MEM, 2),
	S(BPF_ALU | BPF_DIV | BPF_X, 0),
	J(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 2),
	S(BPF_MISC | BPF_TXA, 0),
	S(BPF_RET | BPF_A, 0),
	S(BPF_JMP | BPF_JA, 0),
	S(BPF_RET | BPF_K, 0),
};

static bool is_jump(const struct bpf_insn *in)
{
	__u8 cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_CALL && op != BPF_EXIT;
}

/* Every jump lands on an instruction (not inside a 16-byte load), and the
 * last instruction does not fall off the end. */
static void check_shape(const struct pb_xlate *x)
{
	bool *second_half = calloc(x->len + 1, sizeof(bool));
	const struct bpf_insn *last = &x->insns[x->len - 1];
	size_t i;

	assert_non_null(second_half);
	for (i = 0; i < x->len; i++)
		if (x->insns[i].code == (BPF_LD | BPF_DW | BPF_IMM))
			second_half[++i] = true;
	for (i = 0; i < x->len; i++) {
		long to = (long)i + 1 + x->insns[i].off;

		if (second_half[i] || !is_jump(&x->insns[i]))
			continue;
		if (to < 0 || to >= (long)x->len || second_half[to])
			fail_msg("instruction %zu jumps to %ld (program of %zu)", i, to, x->len);
	}
	assert_true(last->code == (BPF_JMP | BPF_EXIT) || last->code == (BPF_JMP | BPF_JA));
	free(second_half);
}

static size_t count_code(const struct pb_xlate *x, __u8 code)
{
	size_t i, n = 0;

	for (i = 0; i < x->len; i++)
		n += x->insns[i].code == code;
	return n;
}

static void test_verdict_shape(void **state)
{
	struct pb_xlate_opts o = { .hook = PB_XLATE_TC };
	struct pb_xlate x;

	(void)state;
	assert_int_equal(pb_cbpf_to_ebpf(every_class, PB_ARRAY_SIZE(every_class), &o, &x), 0);
	check_shape(&x);
	/* It returns the verdict itself: no helper, no map. */
	assert_int_equal(count_code(&x, BPF_JMP | BPF_CALL), 0);
	assert_int_equal(count_code(&x, BPF_LD | BPF_DW | BPF_IMM), 0);
	pb_xlate_free(&x);
}

static void test_live_shape(void **state)
{
	struct pb_xlate_opts o = { .hook = PB_XLATE_XDP, .mode = PB_XLATE_LIVE,
				   .prog_array_fd = 42, .match_slot = 3 };
	const struct bpf_insn *in;
	struct pb_xlate x;
	size_t i;

	(void)state;
	assert_int_equal(pb_cbpf_to_ebpf(every_class, PB_ARRAY_SIZE(every_class), &o, &x), 0);
	check_shape(&x);
	assert_int_equal(count_code(&x, BPF_JMP | BPF_CALL), 1);
	assert_int_equal(count_code(&x, BPF_LD | BPF_DW | BPF_IMM), 1);
	for (i = 0; x.insns[i].code != (BPF_LD | BPF_DW | BPF_IMM); i++)
		;
	/* bpf_tail_call(ctx, prog array, slot): the map as a pseudo map fd load. */
	in = &x.insns[i];
	assert_int_equal(in[0].dst_reg, BPF_REG_2);
	assert_int_equal(in[0].src_reg, BPF_PSEUDO_MAP_FD);
	assert_int_equal(in[0].imm, 42);
	assert_int_equal(in[1].code, 0);
	assert_int_equal(in[2].code, BPF_ALU | BPF_MOV | BPF_K);
	assert_int_equal(in[2].dst_reg, BPF_REG_3);
	assert_int_equal(in[2].imm, 3);
	assert_int_equal(in[3].code, BPF_JMP | BPF_CALL);
	assert_int_equal(in[3].imm, BPF_FUNC_tail_call);
	/* Then the pass verdict, also for every non-match. */
	assert_int_equal(in[4].imm, 2 /* XDP_PASS */);
	assert_int_equal(in[5].code, BPF_JMP | BPF_EXIT);
	assert_int_equal(count_code(&x, BPF_JMP | BPF_EXIT), 1);
	pb_xlate_free(&x);
}

/* Code no path reaches is not emitted: the verifier would refuse it. */
static void test_dead_code_left_out(void **state)
{
	const struct sock_filter live[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		S(BPF_RET | BPF_A, 0),
	};
	const struct sock_filter dead[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0),
		S(BPF_JMP | BPF_JA, 3),
		S(BPF_LD | BPF_W | BPF_ABS, 4),
		S(BPF_LD | BPF_H | BPF_IND, 4),
		S(BPF_LD | BPF_MEM, 5),
		S(BPF_RET | BPF_A, 0),
	};
	/* A load that can never be in bounds: what follows it is dead too. */
	const struct sock_filter never[] = {
		S(BPF_LD | BPF_W | BPF_ABS, 0xfffffff0),
		S(BPF_RET | BPF_A, 0),
	};
	struct pb_xlate_opts o = { .hook = PB_XLATE_XDP };
	struct pb_xlate a, b, c;

	(void)state;
	assert_int_equal(pb_cbpf_to_ebpf(live, PB_ARRAY_SIZE(live), &o, &a), 0);
	assert_int_equal(pb_cbpf_to_ebpf(dead, PB_ARRAY_SIZE(dead), &o, &b), 0);
	assert_int_equal(pb_cbpf_to_ebpf(never, PB_ARRAY_SIZE(never), &o, &c), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.insns, b.insns, a.len * sizeof(*a.insns));
	check_shape(&c);
	/* Nothing reads the packet there: no load of a packet byte at all. */
	assert_int_equal(count_code(&c, BPF_LDX | BPF_MEM | BPF_W), 2 /* data, data_end */);
	pb_xlate_free(&a);
	pb_xlate_free(&b);
	pb_xlate_free(&c);
}

/* eBPF jumps reach 32767 instructions: a longer one is refused, not wrapped. */
static void test_too_large(void **state)
{
	enum { LOADS = 9000 };
	struct sock_filter *p = calloc(LOADS + 1, sizeof(*p));
	struct pb_xlate_opts o = { .hook = PB_XLATE_XDP };
	struct pb_xlate x;
	size_t i;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < LOADS; i++)
		p[i] = (struct sock_filter)S(BPF_LD | BPF_W | BPF_ABS, 0);
	p[LOADS] = (struct sock_filter)S(BPF_RET | BPF_A, 0);
	assert_int_equal(pb_cbpf_to_ebpf(p, LOADS + 1, &o, &x), -E2BIG);
	assert_non_null(strstr(x.err, "too large"));
	/* A tenth of it fits. */
	assert_int_equal(pb_cbpf_to_ebpf(p + LOADS - LOADS / 10, LOADS / 10 + 1, &o, &x), 0);
	check_shape(&x);
	pb_xlate_free(&x);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses),
		cmocka_unit_test(test_verdict_shape),
		cmocka_unit_test(test_live_shape),
		cmocka_unit_test(test_dead_code_left_out),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
