// SPDX-License-Identifier: BSD-2-Clause
/* libFuzzer: the http decoder on arbitrary bytes. */
#include "fuzz.h"

PB_FUZZ_DECODER(PB_DEC_HTTP)
