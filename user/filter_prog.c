// SPDX-License-Identifier: BSD-2-Clause
#include "filter_prog.h"
#include "filter_compile.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <pcap/dlt.h>

/* The verifier writes its log as it goes; the reason it stops is at the end. */
#define VERIFIER_LOG_BYTES (1u << 20)

int pb_filter_load_insns(const struct pb_xlate *x, enum pb_xlate_hook hook, char *log,
			 size_t log_len)
{
	LIBBPF_OPTS(bpf_prog_load_opts, po);
	enum bpf_prog_type type = hook == PB_XLATE_TC ? BPF_PROG_TYPE_SCHED_CLS
						      : BPF_PROG_TYPE_XDP;
	int fd, err;

	/* Programs in one prog array must agree on type and attach type:
	 * these are the ones libbpf gives pktbpf's "xdp" and "tc" programs. */
	po.expected_attach_type = hook == PB_XLATE_TC ? 0 : BPF_XDP;
	fd = bpf_prog_load(type, "pktbpf_filter", "Dual BSD/GPL", x->insns, x->len, &po);
	if (fd >= 0 || !log_len)
		return fd < 0 ? -errno : fd;
	err = -errno;
	/* Once more, only to learn why: the first try goes without a log. */
	log[0] = '\0';
	po.log_buf = log;
	po.log_size = log_len;
	po.log_level = 1;
	fd = bpf_prog_load(type, "pktbpf_filter", "Dual BSD/GPL", x->insns, x->len, &po);
	if (fd >= 0)
		return fd; /* a transient failure the second try got past */
	log[log_len - 1] = '\0';
	return err;
}

/* The last non-empty line of the log, which says why the verifier stopped. */
static const char *last_line(char *log)
{
	char *end = log + strlen(log), *p;

	while (end > log && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	p = strrchr(log, '\n');
	return p ? p + 1 : log;
}

static int load_or_explain(const char *expr, const struct pb_xlate *x, enum pb_xlate_hook hook,
			   size_t cbpf_len)
{
	char what[PB_FILTER_EXPR_MAX + 16];
	char *log = malloc(VERIFIER_LOG_BYTES);
	int fd;

	snprintf(what, sizeof(what), "filter '%s'", expr);
	fd = pb_filter_load_insns(x, hook, log, log ? VERIFIER_LOG_BYTES : 0);
	if (fd >= 0 || !log) {
		if (fd < 0)
			pb_err(what, "the kernel refused the program: %s", strerror(-fd));
		free(log);
		return fd;
	}
	if (pb_verbosity >= 1 && log[0])
		fprintf(stderr, "pktbpf: the verifier's log for the %s program:\n%s\n",
			hook == PB_XLATE_TC ? "tc" : "XDP", log);
	if (fd == -EPERM) {
		pb_err(what, "the kernel refused to load the program: %s", strerror(-fd));
		if (pb_errno_hint(fd))
			pb_hint("%s", pb_errno_hint(fd));
	} else {
		pb_err(what,
		       "the kernel's verifier refused its translation (%zu classic, %zu eBPF "
		       "instructions): %s",
		       cbpf_len, x->len, log[0] ? last_line(log) : strerror(-fd));
		pb_hint("a shorter or simpler expression may pass%s",
			pb_verbosity ? "" : "; -v shows the verifier's log");
		fd = -EINVAL; /* the expression's fault, not the system's */
	}
	free(log);
	return fd;
}

int pb_filter_prog_build(const char *expr, const struct pb_xlate_opts *o,
			 struct pb_filter_prog *out)
{
	char what[PB_FILTER_EXPR_MAX + 16], why[512];
	struct pb_xlate x = { 0 };
	struct pb_cbpf c;
	int err;

	out->fd = -1;
	snprintf(what, sizeof(what), "filter '%s'", expr);
	if (!*expr) {
		pb_err("filter", "the expression is empty");
		pb_hint("to match everything, leave the filter out");
		return PB_EXIT_USAGE;
	}
	if (strlen(expr) >= PB_FILTER_EXPR_MAX) {
		pb_err("filter", "the expression is longer than %d characters",
		       PB_FILTER_EXPR_MAX - 1);
		return PB_EXIT_USAGE;
	}
	err = pb_filter_compile(expr, DLT_EN10MB, &c, why, sizeof(why));
	if (err) {
		pb_err(what, "%s", why);
		if (err == -EINVAL)
			pb_hint("the syntax is tcpdump's: see 'man 7 pcap-filter'");
		return err == -EINVAL ? PB_EXIT_USAGE : PB_EXIT_FAIL;
	}
	err = pb_cbpf_to_ebpf(c.insns, c.len, o, &x);
	if (err) {
		pb_err(what, "cannot translate libpcap's program: %s", x.err);
		pb_cbpf_free(&c);
		return err == -ENOMEM ? PB_EXIT_FAIL : PB_EXIT_USAGE;
	}
	pb_debug("filter '%s': %zu classic BPF instructions, %zu eBPF", expr, c.len, x.len);
	out->fd = load_or_explain(expr, &x, o->hook, c.len);
	out->cbpf_len = c.len;
	out->ebpf_len = x.len;
	pb_xlate_free(&x);
	pb_cbpf_free(&c);
	if (out->fd >= 0)
		return PB_EXIT_OK;
	return out->fd == -EINVAL ? PB_EXIT_USAGE : PB_EXIT_FAIL;
}
