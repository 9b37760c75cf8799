// SPDX-License-Identifier: BSD-2-Clause
#include "filter_prog.h"
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

/* Why the verifier stopped: its log's last line but for the statistics it
 * always ends with ("processed N insns ...", "verification time", ...). */
static const char *reason(char *log)
{
	static const char *const stats[] = { "processed ", "verification time", "stack depth" };
	char *line;
	size_t i;

	for (;;) {
		char *end = log + strlen(log);

		while (end > log && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		line = strrchr(log, '\n');
		line = line ? line + 1 : log;
		for (i = 0; i < PB_ARRAY_SIZE(stats); i++)
			if (!strncmp(line, stats[i], strlen(stats[i])))
				break;
		if (i == PB_ARRAY_SIZE(stats) || line == log)
			return line;
		*line = '\0';
	}
}

int pb_filter_load_cli(const char *what, const struct pb_xlate *x, enum pb_xlate_hook hook,
		       size_t cbpf_len)
{
	char *log = malloc(VERIFIER_LOG_BYTES);
	int fd;

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
		       cbpf_len, x->len, log[0] ? reason(log) : strerror(-fd));
		pb_hint("a shorter or simpler expression may pass%s",
			pb_verbosity ? "" : "; -v shows the verifier's log");
		fd = -EINVAL; /* the expression's fault, not the system's */
	}
	free(log);
	return fd;
}

static int translate_cli(const char *expr, const struct pb_cbpf *c,
			 const struct pb_xlate_opts *o, struct pb_xlate *x)
{
	char what[PB_FILTER_QUOTE_LEN];
	int err = pb_cbpf_to_ebpf(c->insns, c->len, o, x);

	if (!err) {
		pb_debug("filter '%s': %zu classic BPF instructions, %zu eBPF", expr, c->len,
			 x->len);
		return PB_EXIT_OK;
	}
	pb_filter_quote(what, sizeof(what), expr);
	pb_err(what, "cannot translate libpcap's program: %s", x->err);
	return err == -ENOMEM ? PB_EXIT_FAIL : PB_EXIT_USAGE;
}

int pb_filter_check(const char *expr)
{
	const struct pb_xlate_opts o = { .hook = PB_XLATE_XDP };
	struct pb_xlate x;
	struct pb_cbpf c;
	/* Any netmask will do to find out whether it compiles. */
	int ret = pb_filter_compile_cli(expr, DLT_EN10MB, 0, &c);

	if (ret)
		return ret;
	ret = translate_cli(expr, &c, &o, &x);
	if (!ret)
		pb_xlate_free(&x);
	pb_cbpf_free(&c);
	return ret;
}

int pb_filter_prog_load(const char *expr, const struct pb_cbpf *c,
			const struct pb_xlate_opts *o, struct pb_filter_prog *out)
{
	char what[PB_FILTER_QUOTE_LEN];
	struct pb_xlate x;
	int ret;

	out->fd = -1;
	out->cbpf_len = c->len;
	ret = translate_cli(expr, c, o, &x);
	if (ret)
		return ret;
	pb_filter_quote(what, sizeof(what), expr);
	out->fd = pb_filter_load_cli(what, &x, o->hook, c->len);
	out->ebpf_len = x.len;
	pb_xlate_free(&x);
	if (out->fd >= 0)
		return PB_EXIT_OK;
	return out->fd == -EINVAL ? PB_EXIT_USAGE : PB_EXIT_FAIL;
}
