// SPDX-License-Identifier: BSD-2-Clause
#include "show_pkt.h"
#include "decode.h"
#include "pkt_json.h"

void pb_show_pkt(FILE *out, const struct pb_frame *f, const struct pb_pkt *p,
		 enum pb_print_detail detail)
{
	json_t *decoded;

	pb_print_pkt(out, f, p, detail);
	if (detail == PB_PRINT_LINE)
		return;
	decoded = pb_decode(f->data, f->caplen, p);
	pb_decoded_print(out, decoded, "    ");
	json_decref(decoded);
}

json_t *pb_show_pkt_json(const struct pb_frame *f, const struct pb_pkt *p, __u64 number,
			 enum pb_print_detail detail)
{
	json_t *o = pb_pkt_json(f, p, number), *decoded;

	if (detail != PB_PRINT_LINE) {
		decoded = pb_decode(f->data, f->caplen, p);
		if (decoded)
			json_object_set_new(o, "decoded", decoded);
	}
	return o;
}
