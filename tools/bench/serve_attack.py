#!/usr/bin/env python3
"""An attack on pktbpf serve, on loopback only, with a normal client beside it.

    serve_attack.py --port PORT --pid PID [--seconds 30] [--slow 500]
                    [--burst 10000] [--burst-at 2] [--burst-mode hold|close]

For --seconds, at once:
  - slowloris: --slow connections spread over the source addresses
    127.0.0.2 ... 127.0.0.250 (all of 127/8 is loopback on Linux), each
    sending one byte of an endless request header a second; one the server
    closes is opened again on the next second, as an attacker would;
  - a burst: --burst connections opened as fast as possible at --burst-at
    seconds, over the same addresses, then held silent to the end (hold) or
    closed at once (close);
  - a normal client, in its own process, from 127.0.0.1: GET /metrics once a
    second on a fresh connection, answered when a whole 200 answer arrived
    within 1 s of its start.
It samples the server's resident memory (PID) and prints one JSON object:
scrapes, answered (within 1 s), share, latency median/p99/max in ms (a
scrape that failed counts as its time to failure), RSS before, at the end
and at its peak (VmHWM) in KiB, and what the attack saw.
"""
import argparse
import errno
import json
import os
import resource
import socket
import statistics
import time

TARGET = "127.0.0.1"
SOURCES = ["127.0.0.%d" % i for i in range(2, 251)]
IP_BIND_ADDRESS_NO_PORT = 24
# An endless header: the request never completes.
TRICKLE = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: "


def status_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def raise_nofile(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))
            return
        except (ValueError, OSError):
            need = hard
    if soft == resource.RLIM_INFINITY or soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


def open_from(src, port):
    """A non-blocking connect from source address src (None when it fails at once)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setblocking(False)
        s.setsockopt(socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1)
        s.bind((src, 0))
        err = s.connect_ex((TARGET, port))
        if err not in (0, errno.EINPROGRESS):
            s.close()
            return None
        return s
    except OSError:
        s.close()
        return None


def scrape(port, limit=1.0):
    """One GET /metrics on a fresh connection: (answered within limit, seconds)."""
    t0 = time.monotonic()
    data = b""
    try:
        s = socket.create_connection((TARGET, port), timeout=limit, source_address=(TARGET, 0))
        try:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while True:
                left = limit - (time.monotonic() - t0)
                if left <= 0:
                    break
                s.settimeout(left)
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
    except OSError:
        pass
    took = time.monotonic() - t0
    head, _, body = data.partition(b"\r\n\r\n")
    ok = head.startswith(b"HTTP/1.1 200") and took <= limit
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            ok = ok and len(body) == int(value)
    return ok, took


def scraper(port, seconds, out_fd):
    """The normal client: one scrape a second on a fixed schedule."""
    start = time.monotonic()
    results = []
    for k in range(int(seconds)):
        delay = start + k - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        results.append(scrape(port))
    os.write(out_fd, json.dumps(results).encode())
    os.close(out_fd)


class Slow:
    """One slowloris connection slot."""

    def __init__(self, src):
        self.src, self.sock, self.sent = src, None, 0


def tick_slow(slots, port, seen):
    for sl in slots:
        if sl.sock is not None:
            try:
                sl.sock.recv(4096)
                done = True  # closed (b"") or answered (an error status): either way
            except (BlockingIOError, InterruptedError):
                done = False
            except OSError as e:
                done = e.errno != errno.ENOTCONN  # ENOTCONN: still connecting
            if done:
                sl.sock.close()
                sl.sock = None
                seen["slow_closed_by_server"] += 1
        if sl.sock is None:
            sl.sock, sl.sent = open_from(sl.src, port), 0
            seen["slow_connects"] += 1
            if sl.sock is None:
                seen["connect_errors"] += 1
            continue
        byte = TRICKLE[sl.sent:sl.sent + 1] or b"a"
        try:
            sl.sock.send(byte)
            sl.sent += 1
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            sl.sock.close()
            sl.sock = None
            seen["slow_closed_by_server"] += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--slow", type=int, default=500)
    ap.add_argument("--burst", type=int, default=10000)
    ap.add_argument("--burst-at", type=float, default=2)
    ap.add_argument("--burst-mode", choices=("hold", "close"), default="hold")
    a = ap.parse_args()

    raise_nofile(a.slow + a.burst + 256)
    rss_before = status_kib(a.pid, "VmRSS")
    rd, wr = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(rd)
        scraper(a.port, a.seconds, wr)
        os._exit(0)
    os.close(wr)

    seen = {"slow_connects": 0, "slow_closed_by_server": 0, "connect_errors": 0,
            "burst_opened": 0}
    slots = [Slow(SOURCES[i % len(SOURCES)]) for i in range(a.slow)]
    burst = []
    start = time.monotonic()
    rss_max = rss_before
    k = 0
    while time.monotonic() - start < a.seconds:
        tick_slow(slots, a.port, seen)
        if not burst and a.burst and time.monotonic() - start >= a.burst_at:
            for i in range(a.burst):
                s = open_from(SOURCES[i % len(SOURCES)], a.port)
                if s is None:
                    seen["connect_errors"] += 1
                else:
                    burst.append(s)
            seen["burst_opened"] = len(burst)
            if a.burst_mode == "close":
                for s in burst:
                    s.close()
        rss_max = max(rss_max, status_kib(a.pid, "VmRSS"))
        k += 1
        delay = start + k - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    for sl in slots:
        if sl.sock is not None:
            sl.sock.close()
    if a.burst_mode == "hold":
        for s in burst:
            s.close()

    raw = b""
    while True:
        chunk = os.read(rd, 65536)
        if not chunk:
            break
        raw += chunk
    os.waitpid(child, 0)
    results = json.loads(raw)
    times = sorted(t for _, t in results)
    answered = sum(1 for ok, _ in results if ok)
    print(json.dumps({
        "scrapes": len(results),
        "answered": answered,
        "share": answered / len(results) if results else 0.0,
        "latency_ms": {
            "median": round(statistics.median(times) * 1000, 1) if times else None,
            "p99": round(times[min(len(times) - 1, len(times) * 99 // 100)] * 1000, 1)
            if times else None,
            "max": round(times[-1] * 1000, 1) if times else None,
        },
        "rss_kib": {"before": rss_before, "max_sampled": rss_max,
                    "end": status_kib(a.pid, "VmRSS"), "peak": status_kib(a.pid, "VmHWM")},
        "attack": dict(seen, slow=a.slow, burst=a.burst, burst_mode=a.burst_mode,
                       sources=len(SOURCES)),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
