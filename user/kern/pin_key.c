// SPDX-License-Identifier: BSD-2-Clause
/* An attachment's directory name: the network namespace and interface, escaped. */
#include "pin.h"

#include <errno.h>
#include <string.h>

static int put(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at + n >= len)
		return -ENAMETOOLONG;
	memcpy(buf + *at, s, n + 1);
	*at += n;
	return 0;
}

static int encode_part(char *buf, size_t len, size_t *at, const char *s)
{
	char one[2] = { 0 };
	int err = 0;

	for (; *s && !err; s++) {
		if (*s == '.')
			err = put(buf, len, at, "%2e");
		else if (*s == '%')
			err = put(buf, len, at, "%25");
		else if (*s == ':')
			err = put(buf, len, at, "%3a");
		else {
			one[0] = *s;
			err = put(buf, len, at, one);
		}
	}
	return err;
}

int pb_key_encode(char *buf, size_t len, const char *netns, const char *ifname)
{
	size_t at = 0;
	int err;

	if (!len)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	if (netns && *netns) {
		err = encode_part(buf, len, &at, netns);
		if (!err)
			err = put(buf, len, &at, ":");
		if (err)
			return err;
	}
	return encode_part(buf, len, &at, ifname);
}

static int decode_part(const char *s, size_t n, char *out, size_t out_len)
{
	size_t o = 0, i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		/* Keys of ours escape every ':' but the separator: a second raw
		 * one is a directory someone else made (and would not round-trip). */
		if (c == ':')
			return -EINVAL;
		if (c == '%') {
			if (i + 2 >= n)
				return -EINVAL;
			if (!strncmp(s + i, "%2e", 3))
				c = '.';
			else if (!strncmp(s + i, "%25", 3))
				c = '%';
			else if (!strncmp(s + i, "%3a", 3))
				c = ':';
			else
				return -EINVAL;
			i += 2;
		}
		if (o + 1 >= out_len)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return o ? 0 : -EINVAL;
}

int pb_key_decode(const char *key, char *netns, size_t netns_len, char *ifname,
		  size_t ifname_len)
{
	const char *colon = strrchr(key, ':');
	int err;

	if (!colon) {
		netns[0] = '\0';
		return decode_part(key, strlen(key), ifname, ifname_len);
	}
	err = decode_part(key, colon - key, netns, netns_len);
	return err ? err : decode_part(colon + 1, strlen(colon + 1), ifname, ifname_len);
}
