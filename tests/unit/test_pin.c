// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/kern/pin.c: how an attachment's directory name (key) encodes the network
 * namespace and interface, and the pin root's directory handling, on a
 * throwaway root under /tmp (PKTBPF_PIN_ROOT), never the real one.
 */
#define _XOPEN_SOURCE 700 /* nftw */
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

/* A root of our own under /tmp for each test that touches directories. */
static int make_root(void **state)
{
	char *root = strdup("/tmp/pktbpf-test-pin-XXXXXX");

	if (!root || !mkdtemp(root))
		return -1;
	setenv("PKTBPF_PIN_ROOT", root, 1);
	*state = root;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int remove_root(void **state)
{
	int rc = nftw(*state, remove_one, 8, FTW_DEPTH | FTW_PHYS);

	free(*state);
	unsetenv("PKTBPF_PIN_ROOT");
	/* test_pin_lock may leave no root at all */
	return rc && errno != ENOENT ? -1 : 0;
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

static void make_dir(const char *root, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0700), 0);
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
	const char *root = *state;
	struct seen s = { 0 };

	make_dir(root, "eth0");
	make_dir(root, "blue:veth%2e1");
	make_dir(root, ".hidden");
	make_dir(root, "bad%zz");
	make_dir(root, "a:b:c");
	assert_int_equal(pb_target_foreach(collect, &s), 0);
	qsort(s.names, s.n, sizeof(s.names[0]), by_name);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "blue|veth.1");
	assert_string_equal(s.names[1], "|eth0");

	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(pb_target_foreach(collect, &s), 42);
	assert_int_equal(s.n, 1);

	/* No root at all: nothing attached, not an error. */
	setenv("PKTBPF_PIN_ROOT", "/tmp/pktbpf-test-pin-does-not-exist", 1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(pb_target_foreach(collect, &s), 0);
	assert_int_equal(s.n, 0);
	setenv("PKTBPF_PIN_ROOT", root, 1);
}

static void test_target_unpin_all(void **state)
{
	char path[PATH_MAX];
	struct pb_target t;
	FILE *f;

	(void)state;
	assert_int_equal(pb_target_init(&t, "veth.9", "red"), 0);
	assert_false(pb_target_exists(&t));
	assert_int_equal(mkdir(t.dir, 0700), 0);
	assert_true(pb_target_exists(&t));
	assert_int_equal(pb_target_path(&t, "pktbpf_stats", path, sizeof(path)), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(pb_target_path(&t, PB_PIN_LINK_TC, path, sizeof(path)), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);

	assert_int_equal(pb_target_unpin_all(&t), 0);
	assert_false(pb_target_exists(&t));
	/* Again: nothing left to remove is fine (detach twice). */
	assert_int_equal(pb_target_unpin_all(&t), 0);
}

static void test_pin_lock(void **state)
{
	const char *root = *state;
	struct stat st;
	int fd;

	/* The lock creates the root and removes it again when it stays empty. */
	assert_int_equal(rmdir(root), 0);
	fd = pb_pin_lock();
	assert_true(fd >= 0);
	assert_int_equal(stat(root, &st), 0);
	pb_pin_unlock(fd);
	assert_int_equal(stat(root, &st), -1);
	assert_int_equal(errno, ENOENT);

	/* A root holding an attachment stays. */
	fd = pb_pin_lock();
	assert_true(fd >= 0);
	make_dir(root, "eth0");
	pb_pin_unlock(fd);
	assert_int_equal(stat(root, &st), 0);
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
		cmocka_unit_test_setup_teardown(test_target_foreach, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_target_unpin_all, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_pin_lock, make_root, remove_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
