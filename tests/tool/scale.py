#!/usr/bin/env python3
"""Large inputs for the build tool, and a bounded runner that measures it.

  scale.py system OUT.system N      N memory regions, one PD mapping each one
                                    (a quarter fixed inside RAM, a quarter
                                    fixed outside it), each map setting a
                                    symbol of scale.elf
  scale.py program OUT.s N          assembly for scale.elf: N symbols s<i>
  scale.py attrs OUT.system N       one element with N attributes, the last
                                    repeating the first
  scale.py run SECONDS MEGABYTES STATUS CMD...
                                    runs CMD, killing it after SECONDS; prints
                                    "<seconds> s, <MB> MB" and exits 0 if it
                                    ended with STATUS within SECONDS and its
                                    peak RSS stayed under MEGABYTES (0: only
                                    a 2 GB safety cap); otherwise prints why,
                                    exits 1
"""
import os
import resource
import signal
import subprocess
import sys
import time

RAM_HOLES = 0x44000000    # fixed regions inside RAM, one page in every two
OUTSIDE_RAM = 0x8000000000  # fixed regions above RAM, below 2^40
MAP_BASE = 0x10000000
DEFAULT_RSS_CAP_MB = 2048  # when no limit is asked for


def region(i):
    """The <memory_region> line of region i."""
    if i % 4 == 0:
        return f'<memory_region name="r{i}" size="0x1000" phys_addr="{RAM_HOLES + i // 4 * 0x2000:#x}" />'
    if i % 4 == 1:
        return f'<memory_region name="r{i}" size="0x1000" phys_addr="{OUTSIDE_RAM + i // 4 * 0x1000:#x}" />'
    return f'<memory_region name="r{i}" size="0x1000" />'


def write_system(path, n):
    with open(path, "w") as f:
        f.write("<system>\n")
        for i in range(n):
            f.write(f"    {region(i)}\n")
        f.write('    <protection_domain name="a">\n        <program_image path="scale.elf" />\n')
        # maps in the reverse order of the regions, so no lookup is trivially the next
        for i in reversed(range(n)):
            f.write(f'        <map mr="r{i}" vaddr="{MAP_BASE + i * 0x1000:#x}" setvar_vaddr="s{i}" />\n')
        f.write("    </protection_domain>\n</system>\n")


def write_program(path, n):
    with open(path, "w") as f:
        f.write('.section .text.start, "ax"\n.global _start\n_start:\n    b _start\n')
        f.write('.section .bss.ipc_buffer, "aw", %nobits\n.balign 4096\n'
                '.global pride_ipc_buffer\npride_ipc_buffer:\n    .space 4096\n')
        f.write(".data\n.balign 8\n")
        for i in range(n):
            f.write(f".global s{i}\n.type s{i}, %object\n.size s{i}, 8\ns{i}:\n    .quad 0\n")


def write_attrs(path, n):
    with open(path, "w") as f:
        attrs = " ".join(f'a{i}="{i}"' for i in range(n))
        f.write(f'<system>\n    <memory_region {attrs} a0="again" />\n</system>\n')


def rss_mb(pid):
    """Current resident set of a running process, in MB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


def run(seconds, megabytes, status, cmd):
    start = time.monotonic()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + seconds
    # a runaway child must not take the machine's memory either
    cap = megabytes or DEFAULT_RSS_CAP_MB
    # poll, bounded by the deadline, so the child is killed by its own PID
    why = None
    while child.poll() is None and not why:
        if time.monotonic() >= deadline:
            why = f"still running after {seconds} s: killed"
        elif rss_mb(child.pid) >= cap:
            why = f"resident set reached {cap} MB: killed"
        else:
            time.sleep(0.02)
    if why and child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        print(why)
        return 1
    elapsed = time.monotonic() - start
    err = child.stderr.read().decode(errors="replace").strip().splitlines()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = f"{elapsed:.2f} s, {peak_mb:.0f} MB"
    if child.returncode != status:
        print(f"exit {child.returncode}, want {status}: {err[0] if err else ''} ({report})")
        return 1
    if megabytes and peak_mb >= megabytes:
        print(f"peak RSS {peak_mb:.0f} MB, limit {megabytes} MB ({report})")
        return 1
    print(report)
    return 0


def main(argv):
    if argv[1] == "run":
        return run(float(argv[2]), float(argv[3]), int(argv[4]), argv[5:])
    writers = {"system": write_system, "program": write_program, "attrs": write_attrs}
    writers[argv[1]](argv[2], int(argv[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
