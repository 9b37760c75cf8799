#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Which BPF programs sit on an interface's hooks, as the kernel says.

  hooks.py IFACE     one line per attached program: "xdp ID", "tcx_ingress ID",
                     "tcx_egress ID"; nothing when the interface is clean

XDP comes from the link's netlink attributes (`ip -d -j link show`); tcx
programs from the BPF_PROG_QUERY command, because neither `tc filter show`
nor the bpftool of Debian 12 shows tcx attachments.
"""
import ctypes
import json
import os
import platform
import subprocess
import sys

SYS_BPF = {"x86_64": 321, "aarch64": 280}[platform.machine()]
BPF_PROG_QUERY = 16
# enum bpf_attach_type values (uapi/linux/bpf.h, Linux 6.6+).
TCX_HOOKS = {"tcx_ingress": 46, "tcx_egress": 47}
MAX_PROGS = 64


class QueryAttr(ctypes.Structure):
    """The BPF_PROG_QUERY member of union bpf_attr."""
    _fields_ = [("target_ifindex", ctypes.c_uint32), ("attach_type", ctypes.c_uint32),
                ("query_flags", ctypes.c_uint32), ("attach_flags", ctypes.c_uint32),
                ("prog_ids", ctypes.c_uint64), ("prog_cnt", ctypes.c_uint32),
                ("pad", ctypes.c_uint32), ("prog_attach_flags", ctypes.c_uint64),
                ("link_ids", ctypes.c_uint64), ("link_attach_flags", ctypes.c_uint64),
                ("revision", ctypes.c_uint64)]


def tcx_progs(ifindex, attach_type):
    libc = ctypes.CDLL(None, use_errno=True)
    ids = (ctypes.c_uint32 * MAX_PROGS)()
    attr = QueryAttr(target_ifindex=ifindex, attach_type=attach_type,
                     prog_ids=ctypes.addressof(ids), prog_cnt=MAX_PROGS)
    if libc.syscall(SYS_BPF, BPF_PROG_QUERY, ctypes.byref(attr), ctypes.sizeof(attr)) < 0:
        err = ctypes.get_errno()
        sys.exit(f"hooks: BPF_PROG_QUERY: {os.strerror(err)}")
    return list(ids[:attr.prog_cnt])


def main():
    iface = sys.argv[1]
    link = json.loads(subprocess.run(["ip", "-d", "-j", "link", "show", "dev", iface],
                                     check=True, capture_output=True, text=True).stdout)[0]
    xdp = link.get("xdp", {})
    # "prog" is the single-mode program, "attached" lists it again per mode.
    progs = [xdp.get("prog")] + [a.get("prog") for a in xdp.get("attached", [])]
    for pid in sorted({p["id"] for p in progs if p}):
        print("xdp", pid)
    for name, attach_type in TCX_HOOKS.items():
        for pid in tcx_progs(link["ifindex"], attach_type):
            print(name, pid)


if __name__ == "__main__":
    main()
