#!/usr/bin/env python3
"""Row 9: `sendmail -t` with a 4 KB message, one call after another, no daemon woken.

Runs each command COUNT times, alternating between them (A B A B ...), with the message on
stdin, and prints per command the medians of wall time, CPU (user+system of the command and
every process it waited for: Postfix's sendmail runs postdrop) and peak RSS (the largest of
the command and its children), from wait4(2):

    name wall_ms=.. cpu_ms=.. rss_mb=.. errors=..

usage: sendmail.py --count N [--size BYTES] NAME=COMMAND [NAME=COMMAND ...]
(COMMAND is split on spaces; stdout and stderr of the commands go to /dev/null.)
"""
import argparse
import os
import statistics
import sys
import tempfile
import time


def message(size):
    head = "To: someone@example.com\nSubject: bench sendmail -t\n\n"
    line = "x" * 76 + "\n"
    return (head + line * max(1, (size - len(head)) // len(line))).encode()


def run_once(argv, stdin_path):
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(stdin_path, os.O_RDONLY)
            os.dup2(fd, 0)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.monotonic() - started) * 1000
    cpu = (usage.ru_utime + usage.ru_stime) * 1000
    code = os.waitstatus_to_exitcode(status)
    return wall, cpu, usage.ru_maxrss / 1024, code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    commands = [c.split("=", 1) for c in args.commands]
    with tempfile.NamedTemporaryFile(prefix="sendmail-row-", suffix=".eml") as msg:
        msg.write(message(args.size))
        msg.flush()
        results = {name: [] for name, _ in commands}
        errors = {name: 0 for name, _ in commands}
        for _ in range(args.count):
            for name, command in commands:
                wall, cpu, rss, code = run_once(command.split(" "), msg.name)
                if code != 0:
                    errors[name] += 1
                results[name].append((wall, cpu, rss))
    for name, _ in commands:
        rows = results[name]
        med = [statistics.median(r[i] for r in rows) for i in range(3)]
        print(f"{name} wall_ms={med[0]:.2f} cpu_ms={med[1]:.2f} rss_mb={med[2]:.1f} errors={errors[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
