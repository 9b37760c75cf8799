/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fixed-width types, byte order and inlining for code compiled both with
 * clang's BPF target and for userspace. The BPF side gets its types from
 * vmlinux.h (included by the .bpf.c file before this header); userspace gets
 * them from the kernel's uapi headers.
 */
#ifndef PB_TYPES_H
#define PB_TYPES_H

#ifdef __bpf__
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#else
#include <linux/types.h>
#include <stddef.h>
#include <bpf/bpf_endian.h>
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#endif

/*
 * Unroll a constant-bounded loop: clang's pragma for the BPF target (older
 * verifiers need it); gcc, building the userspace copy, does not know it
 * and -Werror would reject it there.
 */
#ifdef __clang__
#define PB_UNROLL _Pragma("unroll")
#else
#define PB_UNROLL
#endif

#define PB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* PB_TYPES_H */
