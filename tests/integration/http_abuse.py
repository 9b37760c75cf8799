#!/usr/bin/env python3
"""Hostile and clumsy HTTP clients against a server on loopback, for a bounded
time: garbage, half requests, oversized headers, pipelining without reading,
resets mid-request, and slow clients that hold connections open trickling a
byte at a time. It talks to 127.0.0.1 only, and stops by itself.

    http_abuse.py PORT SECONDS HOLDERS

Prints one JSON object: how many of each were sent and the status codes the
server answered with (it may also just close: that is fine).
"""
import json
import random
import socket
import struct
import sys
import time

HOST = "127.0.0.1"


def connect(timeout=0.5):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.settimeout(timeout)
    return s


def status_of(s):
    """The status code of the first answer, or None if the server closed."""
    try:
        data = s.recv(4096)
    except OSError:
        return None
    if data.startswith(b"HTTP/1.") and len(data) >= 12:
        return int(data[9:12])
    return None


def one_shot(payload, read=True):
    try:
        s = connect()
    except OSError:
        stats["connect_failed"] += 1
        return
    try:
        s.sendall(payload)
        if read:
            code = status_of(s)
            stats["codes"][str(code)] = stats["codes"].get(str(code), 0) + 1
    except OSError:
        pass
    finally:
        s.close()


def garbage():
    one_shot(bytes(random.getrandbits(8) for _ in range(random.randint(1, 2000))) + b"\r\n\r\n")


def half_request():
    one_shot(b"GET /metrics HTTP/1.1\r\nHost: x\r\nUser-Ag", read=False)


def oversized_header():
    one_shot(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")


def odd_requests():
    for r in (b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n",
              b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
              b"GET http://x/metrics HTTP/1.1\r\nHost: x\r\n\r\n",
              b"GET /\r\n\r\n",
              b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
              b"GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n",
              b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
              b"GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
              b"\x00\x00\x00\x00\r\n\r\n"):
        one_shot(r)


def pipelined_unread():
    """Many requests at once, then close without reading an answer."""
    one_shot(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 50, read=False)


def reset_mid_request():
    try:
        s = connect()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        s.close()  # RST, likely while the answer is on its way
    except OSError:
        stats["connect_failed"] += 1


def open_holders(n):
    held = []
    for _ in range(n):
        try:
            s = connect()
            s.sendall(b"GET /metrics HTTP/1.1\r\n")
            held.append(s)
        except OSError:
            stats["connect_failed"] += 1
    return held


def trickle(held):
    """One more header byte on each held connection (slowloris)."""
    alive = []
    for s in held:
        try:
            s.sendall(b"X")
            alive.append(s)
        except OSError:
            s.close()
            stats["holders_closed_by_server"] += 1
    return alive


if __name__ == "__main__":
    PORT, seconds, holders = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    random.seed(7)
    stats = {"rounds": 0, "connect_failed": 0, "holders_closed_by_server": 0, "codes": {}}
    deadline = time.monotonic() + seconds
    held = open_holders(holders)
    last_trickle = time.monotonic()
    while time.monotonic() < deadline:
        for f in (garbage, half_request, oversized_header, odd_requests, pipelined_unread,
                  reset_mid_request):
            f()
        if time.monotonic() - last_trickle >= 1.0:
            held = trickle(held)
            last_trickle = time.monotonic()
        stats["rounds"] += 1
        time.sleep(0.02)
    stats["holders_still_open"] = len(held)
    for s in held:
        s.close()
    print(json.dumps(stats, sort_keys=True))
