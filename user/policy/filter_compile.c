// SPDX-License-Identifier: BSD-2-Clause
#include "filter_compile.h"
#include "log.h"
#include "pb_abi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

/* The translator reads libpcap's program as the kernel's classic struct. */
_Static_assert(sizeof(struct bpf_insn) == sizeof(struct sock_filter),
	       "libpcap's and the kernel's classic instructions differ");

int pb_filter_compile(const char *expr, int linktype, __u32 netmask, struct pb_cbpf *out,
		      char *err, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *p;
	size_t i;
	int ret = 0;

	out->insns = NULL;
	out->len = 0;
	p = pcap_open_dead(linktype, PB_FILTER_SNAPLEN);
	if (!p) {
		snprintf(err, errlen, "libpcap cannot compile for link type %d", linktype);
		return -EINVAL;
	}
	if (pcap_compile(p, &prog, expr, 1, netmask)) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}
	out->insns = calloc(prog.bf_len ? prog.bf_len : 1, sizeof(*out->insns));
	if (!out->insns) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < prog.bf_len; i++) {
		out->insns[i].code = prog.bf_insns[i].code;
		out->insns[i].jt = prog.bf_insns[i].jt;
		out->insns[i].jf = prog.bf_insns[i].jf;
		out->insns[i].k = prog.bf_insns[i].k;
	}
	out->len = prog.bf_len;
out:
	pcap_freecode(&prog);
	pcap_close(p);
	return ret;
}

void pb_cbpf_free(struct pb_cbpf *c)
{
	free(c->insns);
	c->insns = NULL;
	c->len = 0;
}

unsigned int pb_cbpf_offline_filter(const struct pb_cbpf *c, const void *pkt, __u32 caplen,
				    __u32 wirelen)
{
	struct bpf_program prog = { .bf_len = c->len, .bf_insns = (struct bpf_insn *)c->insns };
	struct pcap_pkthdr h = { .caplen = caplen, .len = wirelen };

	return (unsigned int)pcap_offline_filter(&prog, &h, pkt);
}

__u32 pb_iface_netmask(const char *ifname)
{
	char err[PCAP_ERRBUF_SIZE];
	bpf_u_int32 net, mask;

	return pcap_lookupnet(ifname, &net, &mask, err) ? 0 : mask;
}

void pb_filter_quote(char *buf, size_t len, const char *expr)
{
	if (strlen(expr) <= PB_FILTER_QUOTE_MAX)
		snprintf(buf, len, "filter '%s'", expr);
	else
		snprintf(buf, len, "filter '%.*s...'", PB_FILTER_QUOTE_MAX, expr);
}

int pb_filter_compile_cli(const char *expr, int linktype, __u32 netmask, struct pb_cbpf *c)
{
	char what[PB_FILTER_QUOTE_LEN], why[512];
	int err;

	if (!*expr) {
		pb_err("filter", "the expression is empty");
		pb_hint("to see every packet, give no filter");
		return PB_EXIT_USAGE;
	}
	if (strlen(expr) >= PB_FILTER_EXPR_MAX) {
		pb_err("filter", "the expression is longer than %d characters",
		       PB_FILTER_EXPR_MAX - 1);
		return PB_EXIT_USAGE;
	}
	err = pb_filter_compile(expr, linktype, netmask, c, why, sizeof(why));
	if (!err)
		return PB_EXIT_OK;
	pb_filter_quote(what, sizeof(what), expr);
	pb_err(what, "%s", why);
	if (err != -EINVAL)
		return PB_EXIT_FAIL;
	pb_hint("the syntax is tcpdump's: see 'man 7 pcap-filter'");
	return PB_EXIT_USAGE;
}
