// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer: the icmp decoder on arbitrary bytes. */
#include "fuzz.h"

PB_FUZZ_DECODER(PB_DEC_ICMP)
