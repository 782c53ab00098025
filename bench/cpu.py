#!/usr/bin/env python3
"""Prints the CPU seconds (user + system) that process trees have used so far: each PID given,
its live descendants, and the children they have reaped (/proc/PID/stat), as bench/LoadClient's
ProcessCpu counts a server's. bench/run takes the difference of two readings."""
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def read(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None  # exited meanwhile
    # "pid (comm) state ppid ...": comm may hold spaces; the fields follow the last ')'.
    fields = text[text.rindex(")") + 2:].split()
    # After comm: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def tree_seconds(roots):
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = read(int(name))
            if stat:
                stats[int(name)] = stat
    children = {}
    for pid, (parent, _, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    ticks, pending, seen = 0, list(roots), set()
    while pending:
        pid = pending.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        # Reaped time covers only children that no longer exist: nothing is counted twice.
        ticks += stats[pid][1] + stats[pid][2]
        pending.extend(children.get(pid, []))
    return ticks / TICKS


if __name__ == "__main__":
    print(f"{tree_seconds([int(p) for p in sys.argv[1:]]):.3f}")
