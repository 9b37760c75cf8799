// SPDX-License-Identifier: BSD-2-Clause
/*
 * user/utf8.c: outside text (file, interface, netns names) made valid UTF-8
 * for JSON and Prometheus, each byte of no well-formed sequence as \xNN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "prom.h"
#include "utf8.h"

struct out {
	char s[256];
	size_t len;
};

static void put(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;

	assert_true(o->len + n < sizeof(o->s));
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* pb_utf8_repair of the NUL-terminated s. */
static const char *repair(const char *s)
{
	static struct out o;

	o.len = 0;
	o.s[0] = '\0';
	pb_utf8_repair(s, strlen(s), put, &o);
	return o.s;
}

static void test_valid_unchanged(void **state)
{
	static const char *const ok[] = {
		"",
		"eth0",
		"caf\xc3\xa9.pcap",		  /* 2 bytes: U+00E9 */
		"\xc2\x80 \xdf\xbf",		  /* the 2-byte range's ends */
		"\xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf", /* 3 bytes, around the surrogates */
		"\xe2\x82\xac",			  /* U+20AC */
		"\xf0\x9f\x98\x80",		  /* 4 bytes: U+1F600 */
		"\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", /* U+10000 and U+10FFFF */
		"a\\xff\"b",			  /* text that looks like an escape stays text */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_string_equal(repair(ok[i]), ok[i]);
		assert_true(pb_utf8_valid(ok[i], strlen(ok[i])));
	}
	assert_int_equal(pb_utf8_seq((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(pb_utf8_seq((const unsigned char *)"\xe2\x82\xac", 3), 3);
	assert_int_equal(pb_utf8_seq((const unsigned char *)"\xc3\xa9", 2), 2);
	assert_int_equal(pb_utf8_seq((const unsigned char *)"a", 1), 1);
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	assert_string_equal(repair("\xff\xfe.pcap"), "\\xff\\xfe.pcap");
	assert_string_equal(repair("pb\xff" "0"), "pb\\xff0");
	/* Overlong forms: of '/', of NUL, of U+07FF in 3 bytes, of U+FFFF in 4. */
	assert_string_equal(repair("\xc0\xaf"), "\\xc0\\xaf");
	assert_string_equal(repair("\xc1\x80"), "\\xc1\\x80");
	assert_string_equal(repair("\xe0\x9f\xbf"), "\\xe0\\x9f\\xbf");
	assert_string_equal(repair("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf");
	/* Surrogates U+D800 and U+DFFF (CESU-8 and WTF-8 spellings). */
	assert_string_equal(repair("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	assert_string_equal(repair("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");
	/* Past U+10FFFF, and leads that never occur. */
	assert_string_equal(repair("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	assert_string_equal(repair("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	assert_string_equal(repair("\xf8\x88\x80\x80\x80"), "\\xf8\\x88\\x80\\x80\\x80");
	/* Truncated sequences: each byte of them escaped, what follows kept. */
	assert_string_equal(repair("a\xe2\x82"), "a\\xe2\\x82");
	assert_string_equal(repair("\xe2\x82" "b"), "\\xe2\\x82b");
	assert_string_equal(repair("\xf0\x9f\x98"), "\\xf0\\x9f\\x98");
	assert_string_equal(repair("\xc3"), "\\xc3");
	assert_string_equal(repair("\xc3\xc3\xa9"), "\\xc3\xc3\xa9"); /* a lead, then a whole one */
	/* Lone continuation bytes. */
	assert_string_equal(repair("\x80"), "\\x80");
	assert_string_equal(repair("x\xbf\xbfy"), "x\\xbf\\xbfy");
	assert_string_equal(repair("\xe2\x82\xac\x80"), "\xe2\x82\xac\\x80");
	assert_false(pb_utf8_valid("\xc3", 1));
	assert_int_equal(pb_utf8_seq((const unsigned char *)"\xe2\x82\xac", 2), 0);
	assert_int_equal(pb_utf8_seq((const unsigned char *)"", 0), 0);
}

static void test_json_str(void **state)
{
	json_t *j;
	char *s;

	(void)state;
	j = pb_json_str("\xff\xfe.pcap");
	assert_non_null(j);
	s = json_dumps(j, JSON_ENCODE_ANY);
	assert_string_equal(s, "\"\\\\xff\\\\xfe.pcap\"");
	free(s);
	json_decref(j);
	j = pb_json_str("caf\xc3\xa9");
	assert_string_equal(json_string_value(j), "caf\xc3\xa9");
	json_decref(j);
	j = pb_json_str(NULL);
	assert_true(json_is_null(j));
}

static void test_fix_in_place(void **state)
{
	char b[8];

	(void)state;
	strcpy(b, "ok\xc3\xa9");
	pb_utf8_fix(b, sizeof(b));
	assert_string_equal(b, "ok\xc3\xa9");
	strcpy(b, "a\xff" "b");
	pb_utf8_fix(b, sizeof(b));
	assert_string_equal(b, "a\\xffb");
	/* Cut to fit, at a character boundary: never half an escape's UTF-8. */
	strcpy(b, "\xff\xe2\x82\xac");
	pb_utf8_fix(b, 7);
	assert_string_equal(b, "\\xff");
	strcpy(b, "abc\xff\xfe");
	pb_utf8_fix(b, sizeof(b));
	assert_string_equal(b, "abc\\xff");
}

/* Prometheus label values: the format's escapes, and bytes not UTF-8 as \xNN
 * (then itself escaped: \\xNN in the exposition, \xNN once parsed). */
static void test_prom_labels(void **state)
{
	struct pb_prom p = { 0 };
	struct pb_labels ls = { .n = 0 };

	(void)state;
	pb_labels_push(&ls, "device", "pb\xff" "0");
	pb_labels_push(&ls, "netns", "q\"\\\n\xc3\xa9\xc3");
	pb_prom_u64(&p, "m", &ls, 7);
	assert_false(p.failed);
	assert_int_equal(p.len, strlen("m{device=\"pb\\\\xff0\",netns=\"q\\\"\\\\\\n\xc3\xa9\\\\xc3\"} 7\n"));
	assert_memory_equal(p.buf, "m{device=\"pb\\\\xff0\",netns=\"q\\\"\\\\\\n\xc3\xa9\\\\xc3\"} 7\n",
			    p.len);
	pb_prom_reset(&p);
	pb_prom_family(&p, "m", PB_PROM_GAUGE, "help \xff\n\"");
	assert_memory_equal(p.buf, "# HELP m help \\\\xff\\n\"\n# TYPE m gauge\n", p.len);
	pb_prom_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_unchanged),
		cmocka_unit_test(test_invalid_bytes),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_fix_in_place),
		cmocka_unit_test(test_prom_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
