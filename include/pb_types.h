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

#define PB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* PB_TYPES_H */
