/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harnesses for the payload decoders: each feeds its input to one
 * decoder and renders the result as JSON and as text, so the output paths
 * see the hostile bytes too. Built with ASan and UBSan (make fuzzers).
 */
#ifndef PB_FUZZ_H
#define PB_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "decode.h"

static inline void pb_fuzz_render(json_t *decoded)
{
	static FILE *null;
	char *s;

	if (!null)
		null = fopen("/dev/null", "w");
	s = json_dumps(decoded, JSON_COMPACT);
	free(s);
	pb_decoded_print(null, decoded, "  ");
	json_decref(decoded);
}

#define PB_FUZZ_DECODER(dec)                                                      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);             \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)              \
	{                                                                         \
		json_t *o = pb_decode_as(dec, data, size);                        \
		pb_fuzz_render(o ? json_pack("{s:o}", pb_decoder_names[dec], o) : NULL); \
		return 0;                                                         \
	}

#endif /* PB_FUZZ_H */
