// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/kern/pin.c: how an attachment's directory name (key) encodes the network
 * namespace and interface, and the pin root's directory handling, on a
 * throwaway root on the BPF filesystem (PKTBPF_PIN_ROOT), never the real one:
 * what pktbpf removes there is only its own, never through a link, and a
 * root that is not pktbpf's is refused.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#define _DEFAULT_SOURCE   /* symlink, mkdtemp */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>

#include "pb_types.h"
#include "pin.h"

struct key_case {
	const char *netns;
	const char *ifname;
	const char *key;
};

/* bpffs refuses '.'; ':' separates the namespace; '%' escapes. */
static const struct key_case keys[] = {
	{ "", "eth0", "eth0" },
	{ "", "veth.100", "veth%2e100" },
	{ "", "a%b", "a%25b" },
	{ "", "%2e", "%252e" },
	{ "blue", "eth0", "blue:eth0" },
	{ "ns.x:y%", "if.0", "ns%2ex%3ay%25:if%2e0" },
	{ "::", "..", "%3a%3a:%2e%2e" },
	{ "cni-1234abcd-0000-1111-2222-333344445555", "eth0@if12",
	  "cni-1234abcd-0000-1111-2222-333344445555:eth0@if12" },
};

static void test_key_encode_decode_round_trip(void **state)
{
	char key[NAME_MAX + 1], netns[64], ifname[16];
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(keys); i++) {
		assert_int_equal(pb_key_encode(key, sizeof(key), keys[i].netns, keys[i].ifname), 0);
		assert_string_equal(key, keys[i].key);
		assert_null(strchr(key, '.'));
		assert_int_equal(pb_key_decode(key, netns, sizeof(netns), ifname, sizeof(ifname)),
				 0);
		assert_string_equal(netns, keys[i].netns);
		assert_string_equal(ifname, keys[i].ifname);
	}
	/* NULL netns is the current namespace, as "" is. */
	assert_int_equal(pb_key_encode(key, sizeof(key), NULL, "lo"), 0);
	assert_string_equal(key, "lo");
}

static void test_key_encode_too_long(void **state)
{
	char key[32];

	(void)state;
	/* "blue:veth%2e1" is 13 characters: 14 bytes with the NUL. */
	assert_int_equal(pb_key_encode(key, 14, "blue", "veth.1"), 0);
	assert_string_equal(key, "blue:veth%2e1");
	assert_int_equal(pb_key_encode(key, 13, "blue", "veth.1"), -ENAMETOOLONG);
	/* Cut inside an escape, inside the namespace, at the separator. */
	assert_int_equal(pb_key_encode(key, 11, "blue", "veth.1"), -ENAMETOOLONG);
	assert_int_equal(pb_key_encode(key, 3, "blue", "veth.1"), -ENAMETOOLONG);
	assert_int_equal(pb_key_encode(key, 5, "blue", "veth.1"), -ENAMETOOLONG);
	assert_int_equal(pb_key_encode(key, 0, "", "eth0"), -ENAMETOOLONG);
}

static void test_key_decode_rejects_foreign_names(void **state)
{
	static const char *const bad[] = {
		"",          /* nothing */
		"%",         /* escapes cut short */
		"eth%2",
		"eth0%",
		"%2f",       /* not an escape of ours */
		"a%zzb",
		"veth%2E1",  /* ours are lower case */
		":eth0",     /* empty namespace */
		"blue:",     /* empty interface */
		"a:b:eth0",  /* a raw ':' is never in a key of ours */
	};
	char netns[64], ifname[16];
	size_t i;

	(void)state;
	for (i = 0; i < PB_ARRAY_SIZE(bad); i++)
		if (pb_key_decode(bad[i], netns, sizeof(netns), ifname, sizeof(ifname)) != -EINVAL)
			fail_msg("key '%s' decoded, want -EINVAL", bad[i]);
}

static void test_key_decode_too_long(void **state)
{
	char netns[8], ifname[16];

	(void)state;
	assert_int_equal(pb_key_decode("abcdefghijklmnop", netns, sizeof(netns), ifname,
				       sizeof(ifname)),
			 -ENAMETOOLONG);
	assert_int_equal(pb_key_decode("abcdefghijklmno", netns, sizeof(netns), ifname,
				       sizeof(ifname)),
			 0);
	assert_int_equal(pb_key_decode("namespace:eth0", netns, sizeof(netns), ifname,
				       sizeof(ifname)),
			 -ENAMETOOLONG);
}

/* A root of our own on the BPF filesystem, and a scratch directory on
 * another filesystem full of files that links in the root point at. */
struct fixture {
	char root[64];
	char scratch[64];
};

static int make_root(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char path[128];
	FILE *f;
	int i;

	if (!fx)
		return -1;
	strcpy(fx->root, "/sys/fs/bpf/pktbpf-test-pin-XXXXXX");
	strcpy(fx->scratch, "/tmp/pktbpf-test-pin-scratch-XXXXXX");
	if (!mkdtemp(fx->root) || !mkdtemp(fx->scratch))
		return -1;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/file%d", fx->scratch, i);
		f = fopen(path, "w");
		if (!f)
			return -1;
		fputs("precious\n", f);
		fclose(f);
	}
	setenv("PKTBPF_PIN_ROOT", fx->root, 1);
	*state = fx;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* The scratch files are all there, as they were made. */
static void assert_scratch_intact(const struct fixture *fx)
{
	char path[128], line[32];
	FILE *f;
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/file%d", fx->scratch, i);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		assert_string_equal(line, "precious\n");
		fclose(f);
	}
}

static int remove_root(void **state)
{
	struct fixture *fx = *state;
	int rc = 0;

	if (nftw(fx->root, remove_one, 8, FTW_DEPTH | FTW_PHYS) && errno != ENOENT)
		rc = -1; /* test_pin_lock may leave no root at all */
	if (nftw(fx->scratch, remove_one, 8, FTW_DEPTH | FTW_PHYS))
		rc = -1;
	free(fx);
	unsetenv("PKTBPF_PIN_ROOT");
	return rc;
}

static void test_pin_root(void **state)
{
	(void)state;
	unsetenv("PKTBPF_PIN_ROOT");
	assert_string_equal(pb_pin_root(), "/sys/fs/bpf/pktbpf");
	setenv("PKTBPF_PIN_ROOT", "", 1);
	assert_string_equal(pb_pin_root(), "/sys/fs/bpf/pktbpf");
	setenv("PKTBPF_PIN_ROOT", "/tmp/elsewhere", 1);
	assert_string_equal(pb_pin_root(), "/tmp/elsewhere");
	unsetenv("PKTBPF_PIN_ROOT");
}

static void test_target_init(void **state)
{
	char ns63[64], ns64[65], path[PATH_MAX], *long_root;
	struct pb_target t;

	(void)state;
	setenv("PKTBPF_PIN_ROOT", "/tmp/r", 1);
	assert_int_equal(pb_target_init(&t, "veth.1", "blue"), 0);
	assert_string_equal(t.ifname, "veth.1");
	assert_string_equal(t.netns, "blue");
	assert_string_equal(t.key, "blue:veth%2e1");
	assert_string_equal(t.dir, "/tmp/r/blue:veth%2e1");
	assert_int_equal(pb_target_path(&t, PB_PIN_LINK_XDP, path, sizeof(path)), 0);
	assert_string_equal(path, "/tmp/r/blue:veth%2e1/link_xdp");
	assert_int_equal(pb_target_path(&t, PB_PIN_LINK_XDP, path, 20), -ENAMETOOLONG);

	assert_int_equal(pb_target_init(&t, "eth0", NULL), 0);
	assert_string_equal(t.dir, "/tmp/r/eth0");
	assert_string_equal(t.netns, "");

	/* Interface names: 1 to 15 characters, no '/'. */
	assert_int_equal(pb_target_init(&t, "abcdefghijklmno", NULL), 0);
	assert_int_equal(pb_target_init(&t, "abcdefghijklmnop", NULL), -EINVAL);
	assert_int_equal(pb_target_init(&t, "", NULL), -EINVAL);
	assert_int_equal(pb_target_init(&t, NULL, NULL), -EINVAL);
	assert_int_equal(pb_target_init(&t, "../x", NULL), -EINVAL);

	/* Namespace names: up to 63 characters, no '/'. */
	memset(ns63, 'n', 63);
	ns63[63] = '\0';
	memset(ns64, 'n', 64);
	ns64[64] = '\0';
	assert_int_equal(pb_target_init(&t, "eth0", ns63), 0);
	assert_int_equal(pb_target_init(&t, "eth0", ns64), -EINVAL);
	assert_int_equal(pb_target_init(&t, "eth0", "a/b"), -EINVAL);

	/* The longest key (every character escaped) still fits a file name. */
	memset(ns63, '.', 63);
	assert_int_equal(pb_target_init(&t, "...............", ns63), 0);

	long_root = malloc(PATH_MAX);
	assert_non_null(long_root);
	memset(long_root, 'r', PATH_MAX - 1);
	long_root[0] = '/';
	long_root[PATH_MAX - 1] = '\0';
	setenv("PKTBPF_PIN_ROOT", long_root, 1);
	assert_int_equal(pb_target_init(&t, "eth0", NULL), -ENAMETOOLONG);
	free(long_root);
	unsetenv("PKTBPF_PIN_ROOT");
}

static void test_pin_name_ours(void **state)
{
	(void)state;
	assert_true(pb_pin_name_ours("link_xdp"));
	assert_true(pb_pin_name_ours("link_tc"));
	assert_true(pb_pin_name_ours("pktbpf_stats"));
	assert_true(pb_pin_name_ours("pktbpf_det_info"));
	assert_false(pb_pin_name_ours("pktbpf_"));
	assert_false(pb_pin_name_ours("pktbpf_Stats"));
	assert_false(pb_pin_name_ours("pktbpf_a.b"));
	assert_false(pb_pin_name_ours("link_xdp2"));
	assert_false(pb_pin_name_ours("passwd"));
	assert_false(pb_pin_name_ours(".."));
}

static void make_dir(const char *root, const char *name)
{
	char path[PATH_MAX + NAME_MAX + 2];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0700), 0);
}

static void make_link(const char *root, const char *name, const char *to)
{
	char path[PATH_MAX + NAME_MAX + 2];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(symlink(to, path), 0);
}

/* Pin a fresh array map, named map_name in the kernel, as dir/name. */
static void pin_map(const char *dir, const char *name, const char *map_name)
{
	char path[PATH_MAX + NAME_MAX + 2];
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, map_name, 4, 4, 1, NULL);
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (bpf_obj_pin(fd, path))
		fail_msg("pin %s: %s", path, strerror(errno));
	close(fd);
}

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX + NAME_MAX + 2];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s%s", dir, name ? "/" : "", name ? name : "");
	return lstat(path, &st) == 0;
}

struct seen {
	int n;
	char names[8][96];
	int stop_at; /* return nonzero on this call (1-based), 0: never */
};

static int collect(const struct pb_target *t, void *ctx)
{
	struct seen *s = ctx;

	/* Every target handed out names a directory that is really there. */
	assert_true(pb_target_exists(t));
	assert_true(s->n < 8);
	snprintf(s->names[s->n++], sizeof(s->names[0]), "%s|%s", t->netns, t->ifname);
	return s->n == s->stop_at ? 42 : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_target_foreach(void **state)
{
	const struct fixture *fx = *state;
	char path[PATH_MAX];
	struct seen s = { 0 };

	make_dir(fx->root, "eth0");
	snprintf(path, sizeof(path), "%s/eth0", fx->root);
	pin_map(path, PB_PIN_MARKER, PB_PIN_MARKER);
	make_dir(fx->root, "blue:veth%2e1");
	snprintf(path, sizeof(path), "%s/blue:veth%%2e1", fx->root);
	pin_map(path, PB_PIN_MARKER, PB_PIN_MARKER);
	make_dir(fx->root, "eth4"); /* empty: an attach killed after mkdir */
	make_dir(fx->root, "bad%zz");
	make_dir(fx->root, "a:b:c");
	/* Named like attachments, but not: links, and another tool's directory. */
	make_link(fx->root, "eth1", fx->scratch);
	make_link(fx->root, "red:eth2", fx->scratch);
	make_dir(fx->root, "eth3");
	snprintf(path, sizeof(path), "%s/eth3", fx->root);
	pin_map(path, "their_map", "their_map");
	pin_map(fx->root, "othertool", "othertool");
	assert_int_equal(pb_target_foreach(collect, &s, PB_FOREACH_WARN), 0);
	qsort(s.names, s.n, sizeof(s.names[0]), by_name);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "blue|veth.1");
	assert_string_equal(s.names[1], "|eth0");

	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(pb_target_foreach(collect, &s, 0), 42);
	assert_int_equal(s.n, 1);

	/* Tidying removes the empty directory, and only that. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(pb_target_foreach(collect, &s, PB_FOREACH_TIDY), 0);
	assert_int_equal(s.n, 2);
	assert_false(exists(fx->root, "eth4"));
	assert_true(exists(fx->root, "eth3"));
	assert_true(exists(fx->root, "a:b:c"));

	/* No root at all: nothing attached, not an error. */
	setenv("PKTBPF_PIN_ROOT", "/sys/fs/bpf/pktbpf-test-pin-does-not-exist", 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(pb_target_foreach(collect, &s, 0), 0);
	assert_int_equal(s.n, 0);
	setenv("PKTBPF_PIN_ROOT", fx->root, 1);
	assert_scratch_intact(fx);
}

static void test_target_unpin_all(void **state)
{
	const struct fixture *fx = *state;
	struct pb_target t;

	assert_int_equal(pb_target_init(&t, "veth.9", "red"), 0);
	assert_false(pb_target_exists(&t));
	assert_int_equal(pb_target_mkdir(&t), 0);
	assert_true(pb_target_exists(&t));
	pin_map(t.dir, PB_PIN_MARKER, PB_PIN_MARKER);
	pin_map(t.dir, "pktbpf_stats", "pktbpf_stats");
	assert_int_equal(pb_target_unpin_all(&t), 0);
	assert_false(pb_target_exists(&t));
	/* Again: nothing left to remove is fine (detach twice). */
	assert_int_equal(pb_target_unpin_all(&t), 0);

	/* Beside pktbpf's own pins: links named as pktbpf's pins, another
	 * tool's map under one of pktbpf's names, a directory. Only pktbpf's
	 * go; the directory stays with the rest, and that is no failure. */
	assert_int_equal(pb_target_mkdir(&t), 0);
	pin_map(t.dir, PB_PIN_MARKER, PB_PIN_MARKER);
	make_link(t.dir, "pktbpf_stats", fx->scratch);
	make_link(t.dir, PB_PIN_LINK_XDP, fx->scratch);
	pin_map(t.dir, "pktbpf_flows", "not_pktbpfs");
	pin_map(t.dir, PB_PIN_LINK_TC, "a_map_not_link");
	make_dir(t.dir, "stray");
	assert_int_equal(pb_target_unpin_all(&t), 0);
	assert_false(exists(t.dir, PB_PIN_MARKER));
	assert_true(exists(t.dir, "pktbpf_stats"));
	assert_true(exists(t.dir, PB_PIN_LINK_XDP));
	assert_true(exists(t.dir, "pktbpf_flows"));
	assert_true(exists(t.dir, PB_PIN_LINK_TC));
	assert_true(exists(t.dir, "stray"));
	assert_scratch_intact(fx);
}

/* The bug this guards against: a link in the root, named like an interface,
 * was taken for an attachment, and every file it led to was unlinked. */
static void test_unpin_never_through_a_link(void **state)
{
	const struct fixture *fx = *state;
	struct pb_target t;

	make_link(fx->root, "symlink-etc", fx->scratch);
	assert_int_equal(pb_target_init(&t, "symlink-etc", NULL), 0);
	assert_false(pb_target_exists(&t));
	assert_int_equal(pb_target_dir_open(&t), -ENOTDIR);
	assert_int_equal(pb_target_unpin_all(&t), 0);
	assert_int_equal(pb_target_open_pin(&t, "file0"), -ENOTDIR);
	assert_true(exists(fx->root, "symlink-etc"));
	assert_scratch_intact(fx);
}

static void test_pin_refuses_foreign(void **state)
{
	const struct fixture *fx = *state;
	struct pb_target t;

	assert_int_equal(pb_target_init(&t, "eth0", NULL), 0);
	assert_int_equal(pb_target_mkdir(&t), 0);
	make_link(t.dir, "pktbpf_stats", fx->scratch);
	/* A name taken by something else is not replaced. */
	assert_int_equal(pb_target_pin(&t, "pktbpf_stats",
				       bpf_map_create(BPF_MAP_TYPE_ARRAY, "pktbpf_stats", 4, 4, 1,
						      NULL)),
			 -EEXIST);
	assert_true(exists(t.dir, "pktbpf_stats"));
	assert_scratch_intact(fx);
}

/* Roots that are not pktbpf's: refused, and nothing made or removed. */
static void test_pin_root_refused(void **state)
{
	const struct fixture *fx = *state;
	char path[PATH_MAX];
	struct pb_target t;
	struct seen s = { 0 };
	struct stat st;

	/* On another filesystem (tmpfs or disk under /tmp). */
	setenv("PKTBPF_PIN_ROOT", fx->scratch, 1);
	assert_int_equal(pb_pin_root_open(true), -EPERM);
	assert_int_equal(pb_pin_lock(), -EPERM);
	assert_int_equal(pb_target_foreach(collect, &s, 0), -EPERM);
	snprintf(path, sizeof(path), "%s/new", fx->scratch);
	setenv("PKTBPF_PIN_ROOT", path, 1);
	assert_int_equal(pb_pin_root_open(true), -EPERM);
	assert_false(exists(path, NULL));

	/* A link to a directory that would pass. */
	make_dir(fx->root, "real");
	snprintf(path, sizeof(path), "%s/real", fx->root);
	make_link(fx->root, "link", path);
	snprintf(path, sizeof(path), "%s/link", fx->root);
	setenv("PKTBPF_PIN_ROOT", path, 1);
	assert_int_equal(pb_pin_root_open(false), -EPERM);
	assert_int_equal(pb_target_init(&t, "eth0", NULL), 0);
	assert_int_equal(pb_target_mkdir(&t), -EPERM);

	/* Writable by others, or not root's. */
	snprintf(path, sizeof(path), "%s/real", fx->root);
	setenv("PKTBPF_PIN_ROOT", path, 1);
	assert_true(pb_pin_root_open(false) >= 0);
	assert_int_equal(chmod(path, 0777), 0);
	assert_int_equal(pb_pin_root_open(false), -EPERM);
	assert_int_equal(chmod(path, 0700), 0);
	assert_int_equal(chown(path, 1, 1), 0);
	assert_int_equal(pb_pin_root_open(false), -EPERM);
	assert_int_equal(chown(path, 0, 0), 0);

	setenv("PKTBPF_PIN_ROOT", "relative/root", 1);
	assert_int_equal(pb_pin_root_open(true), -EPERM);
	snprintf(path, sizeof(path), "%s/real", fx->root);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	setenv("PKTBPF_PIN_ROOT", fx->root, 1);
	assert_scratch_intact(fx);
}

static void test_pin_lock(void **state)
{
	const struct fixture *fx = *state;
	struct stat st;
	int fd;

	/* The lock creates the root and removes it again when it stays empty. */
	assert_int_equal(rmdir(fx->root), 0);
	fd = pb_pin_lock();
	assert_true(fd >= 0);
	assert_int_equal(stat(fx->root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	pb_pin_unlock(fd);
	assert_int_equal(stat(fx->root, &st), -1);
	assert_int_equal(errno, ENOENT);

	/* A root holding an attachment stays. */
	fd = pb_pin_lock();
	assert_true(fd >= 0);
	make_dir(fx->root, "eth0");
	pb_pin_unlock(fd);
	assert_int_equal(stat(fx->root, &st), 0);
	pb_pin_unlock(-1); /* no lock: nothing to do */
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_encode_decode_round_trip),
		cmocka_unit_test(test_key_encode_too_long),
		cmocka_unit_test(test_key_decode_rejects_foreign_names),
		cmocka_unit_test(test_key_decode_too_long),
		cmocka_unit_test(test_pin_root),
		cmocka_unit_test(test_target_init),
		cmocka_unit_test(test_pin_name_ours),
		cmocka_unit_test_setup_teardown(test_target_foreach, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_target_unpin_all, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_unpin_never_through_a_link, make_root,
						remove_root),
		cmocka_unit_test_setup_teardown(test_pin_refuses_foreign, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_pin_root_refused, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_pin_lock, make_root, remove_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
