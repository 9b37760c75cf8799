// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer: the icmpv6 decoder on arbitrary bytes. */
#include "fuzz.h"

PB_FUZZ_DECODER(PB_DEC_ICMPV6)
