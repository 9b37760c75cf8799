// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer: a whole Ethernet frame through the shared parser and the
 * decoder it is routed to, as `watch -v` and `read -v` handle it.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_pkt p;

	pb_parse(data, data + size, size, &p);
	pb_fuzz_render(pb_decode(data, size, &p));
	return 0;
}
