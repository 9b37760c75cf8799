/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The detectors' settings: defaults (each with where it comes from), the INI
 * config file (--config FILE, parsed with inih), and the command-line flags
 * that attach and read share (--threshold, --window, --detectors, --deny).
 */
#ifndef PB_DETECT_CFG_H
#define PB_DETECT_CFG_H

#include <stdbool.h>
#include <stddef.h>

#include <getopt.h>

#include "names.h"
#include "pb_alert.h"

/* The alert type named name, or -1. */
int pb_alert_type_find(const char *name);

void pb_det_defaults(struct pb_det_info *info);

/*
 * Set key of detector type (a config file section) to value: "enabled",
 * "threshold", "window", and "deny" for denied_access. 0, or -1 with the
 * reason in why.
 */
int pb_det_set(struct pb_det_info *info, const char *type, const char *key, const char *value,
	       char *why, size_t why_len);

/* Read a config file over info; 0, or PB_EXIT_USAGE after "pktbpf: FILE:LINE: ...". */
int pb_det_load_file(struct pb_det_info *info, const char *path);

/* The detector flags of a command, in the order given, applied after --config. */
#define PB_DET_MAX_FLAGS 64

struct pb_det_flags {
	const char *config;
	int n;
	struct {
		int opt;
		const char *arg;
	} flag[PB_DET_MAX_FLAGS];
};

enum {
	PB_OPT_DET_CONFIG = 0x300, /* above any command's own options */
	PB_OPT_DET_THRESHOLD,
	PB_OPT_DET_WINDOW,
	PB_OPT_DET_DETECTORS,
	PB_OPT_DET_DENY,
};

#define PB_DETECT_LONGOPTS                                                  \
	{ "config", required_argument, NULL, PB_OPT_DET_CONFIG },           \
	{ "threshold", required_argument, NULL, PB_OPT_DET_THRESHOLD },     \
	{ "window", required_argument, NULL, PB_OPT_DET_WINDOW },           \
	{ "detectors", required_argument, NULL, PB_OPT_DET_DETECTORS },     \
	{ "deny", required_argument, NULL, PB_OPT_DET_DENY }

/* Lines for a command's --help. */
#define PB_DETECT_USAGE                                                                    \
	"  --config FILE  detector settings and deny rules from an INI file\n"             \
	"  --threshold TYPE=N  alert when a detector counts more than N in a window\n"     \
	"  --window TYPE=DURATION  its window (and alert rate limit): 300s, 5m, 500ms\n"   \
	"  --detectors LIST  the detectors to run: all (default), none, or names\n"        \
	"                 separated by commas (port_scan,syn_flood,...)\n"                 \
	"  --deny EXPR    alert on traffic matching EXPR (denied_access), a subset of\n"    \
	"                 pcap-filter syntax: 'tcp port 23 or src net 10.9.0.0/16'\n"

/*
 * Take a detector flag of command cmd (a name): 1 handled, 0 not one,
 * -(PB_EXIT_USAGE + 1) after an error.
 */
int pb_det_flag(const char *cmd, int opt, const char *arg, struct pb_det_flags *f);

/*
 * Defaults, then the config file, then the flags; 0 or PB_EXIT_USAGE after an
 * error. cmd: the command's name, for the error.
 */
int pb_det_build(const char *cmd, const struct pb_det_flags *f, struct pb_det_info *info);

#endif /* PB_DETECT_CFG_H */
