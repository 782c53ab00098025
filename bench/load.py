#!/usr/bin/env python3
"""Load client for bench/run where Postfix's smtp-source cannot do the job: STARTTLS sessions,
TLS handshakes (with and without session resumption), idle connections, and end-of-DATA latency.

Blocking sockets in threads: Python's ssl module can resume a session only through
SSLContext.wrap_socket(session=...), which asyncio's start_tls does not expose. Every socket
operation has a timeout and every loop is bounded by a message count or a deadline.
Prints one line of key=value results on stdout; errors go to stderr and set a non-zero exit code.
"""
import argparse
import os
import socket
import ssl
import statistics
import sys
import threading
import time

TIMEOUT = 10.0


def take_reply(buf):
    """(code, the bytes after it) once buf holds a complete reply, else None: a complete reply ends
    with a line whose 4th character is a space."""
    lines = buf.split(b"\r\n")
    for i, line in enumerate(lines[:-1]):
        if len(line) >= 4 and line[3:4] == b" ":
            return int(line[:3]), b"\r\n".join(lines[i + 1:])
    return None


class Session:
    """One SMTP dialogue over a socket that may be upgraded to TLS."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def reply(self):
        while True:
            if (taken := take_reply(self.buf)) is not None:
                code, self.buf = taken
                return code
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by server")
            self.buf += chunk

    def cmd(self, line, expect):
        self.sock.sendall(line + b"\r\n")
        code = self.reply()
        if code // 100 != expect:
            raise RuntimeError(f"{line!r}: got {code}")
        return code


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # the bench certificate is self-signed
    return ctx


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def message(size):
    header = b"From: bench@bench.test\r\nTo: sink@sink.test\r\nSubject: bench\r\n\r\n"
    line = b"x" * 76 + b"\r\n"
    body = line * max(1, (size - len(header)) // len(line))
    return header + body + b".\r\n"


def full_session(port, data, tls, ctx, session=None, timings=None):
    """connect, EHLO, [STARTTLS, EHLO], MAIL, RCPT, DATA, QUIT; returns the TLS session."""
    s = Session(connect(port))
    try:
        if s.reply() != 220:
            raise RuntimeError("no 220 greeting")
        s.cmd(b"EHLO load.bench.test", 2)
        if tls:
            s.cmd(b"STARTTLS", 2)
            s.sock = ctx.wrap_socket(s.sock, session=session)
            s.buf = b""
            s.cmd(b"EHLO load.bench.test", 2)
        s.cmd(b"MAIL FROM:<bench@bench.test>", 2)
        s.cmd(b"RCPT TO:<sink@sink.test>", 2)
        s.cmd(b"DATA", 3)
        s.sock.sendall(data[:-3])
        start = time.perf_counter()
        s.sock.sendall(data[-3:])
        if s.reply() != 250:
            raise RuntimeError("DATA not accepted")
        if timings is not None:
            timings.append(time.perf_counter() - start)
        s.cmd(b"QUIT", 2)
        return s.sock.session if tls else None
    finally:
        s.sock.close()


def handshake(port, mode, ctx, session):
    """One TLS handshake (STARTTLS or implicit), then QUIT; returns (session, reused)."""
    s = Session(connect(port))
    try:
        if mode == "implicit":
            s.sock = ctx.wrap_socket(s.sock, session=session)
            if s.reply() != 220:
                raise RuntimeError("no 220 greeting")
        else:
            if s.reply() != 220:
                raise RuntimeError("no 220 greeting")
            s.cmd(b"EHLO load.bench.test", 2)
            s.cmd(b"STARTTLS", 2)
            s.sock = ctx.wrap_socket(s.sock, session=session)
            s.buf = b""
        # One round trip after the handshake, so a TLS 1.3 session ticket has arrived.
        s.cmd(b"NOOP", 2)
        s.cmd(b"QUIT", 2)
        return s.sock.session, s.sock.session_reused
    finally:
        s.sock.close()


def run_threads(threads, work, deadline):
    """Runs work(index) in `threads` threads; returns (elapsed seconds, error count)."""
    errors = []
    lock = threading.Lock()

    def wrapped(i):
        try:
            work(i)
        except Exception as e:  # noqa: BLE001 - counted and reported
            with lock:
                errors.append(repr(e))

    pool = [threading.Thread(target=wrapped, args=(i,), daemon=True) for i in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join(max(0.0, deadline - time.monotonic()))
    elapsed = time.perf_counter() - start
    if any(t.is_alive() for t in pool):
        errors.append("timed out")
    for e in errors[:3]:
        print("load.py: " + e, file=sys.stderr)
    return elapsed, len(errors)


def counter(total):
    """A shared countdown: take() is true while work remains."""
    lock = threading.Lock()
    left = [total]

    def take():
        with lock:
            if left[0] <= 0:
                return False
            left[0] -= 1
            return True
    return take


def cmd_sessions(a):
    ctx, data, take = tls_context(), message(a.size), counter(a.count)

    def work(_):
        while take():
            full_session(a.port, data, True, ctx)
    elapsed, errors = run_threads(a.sessions, work, time.monotonic() + a.timeout)
    print(f"rate={a.count / elapsed:.1f} errors={errors}")
    return errors


def cmd_handshakes(a):
    ctx, take = tls_context(), counter(a.count)
    reused = [0]
    lock = threading.Lock()

    def work(_):
        session = None
        if a.resume:
            session, _ = handshake(a.port, a.mode, ctx, None)  # the session every later one resumes
        while take():
            new_session, was_reused = handshake(a.port, a.mode, ctx, session if a.resume else None)
            if was_reused:
                with lock:
                    reused[0] += 1
            elif a.resume:
                session = new_session
    elapsed, errors = run_threads(a.sessions, work, time.monotonic() + a.timeout)
    print(f"rate={a.count / elapsed:.1f} reused={reused[0] / a.count:.2f} errors={errors}")
    return errors


def cmd_latency(a):
    """Paced plaintext sessions (one message each) at `rate` per second in all; DATA-end-to-250 times."""
    data, take = message(a.size), counter(a.count)
    timings = []
    interval = a.sessions / a.rate

    def work(i):
        next_at = time.monotonic() + interval * i / a.sessions
        while take():
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            next_at += interval
            full_session(a.port, data, False, None, timings=timings)
    _, errors = run_threads(a.sessions, work, time.monotonic() + a.timeout)
    timings.sort()
    if not timings:
        print("p50_ms=nan p99_ms=nan errors=1")
        return 1
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"p50_ms={statistics.median(timings) * 1000:.2f} p99_ms={p99 * 1000:.2f} errors={errors}")
    return errors


def probe(port):
    start = time.perf_counter()
    s = Session(connect(port))
    try:
        if s.reply() != 220:
            raise RuntimeError("no 220 greeting")
        s.cmd(b"EHLO probe.bench.test", 2)
        s.cmd(b"QUIT", 2)
    finally:
        s.sock.close()
    return time.perf_counter() - start


def cmd_idle(a):
    """Holds `count` connections after EHLO, reports the server's RSS and new-session latency meanwhile."""
    held, deadline, errors = [], time.monotonic() + a.timeout, 0
    try:
        for _ in range(a.count):
            if time.monotonic() > deadline:
                errors += 1
                break
            try:
                s = Session(connect(a.port))
                s.reply()
                s.cmd(b"EHLO idle.bench.test", 2)
                held.append(s.sock)
            except Exception as e:  # noqa: BLE001
                print(f"load.py: idle connection {len(held)}: {e!r}", file=sys.stderr)
                errors += 1
                break
        time.sleep(0.5)
        rss = 0
        for pid in a.pids.split(","):
            with open(f"/proc/{pid}/status") as f:
                rss += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        probes = []
        for _ in range(5):
            try:
                probes.append(probe(a.port))
            except Exception as e:  # noqa: BLE001
                print(f"load.py: probe while held: {e!r}", file=sys.stderr)
                errors += 1
        worst = max(probes) * 1000 if probes else float("nan")
        print(f"held={len(held)} rss_mb={rss / 1024:.1f} probe_ms={worst:.2f} errors={errors}")
    finally:
        for sock in held:
            sock.close()
    return errors


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="what", required=True)
    for name in ("sessions", "handshakes", "latency", "idle"):
        q = sub.add_parser(name)
        q.add_argument("--port", type=int, required=True)
        q.add_argument("--count", type=int, default=1000)
        q.add_argument("--sessions", type=int, default=20)
        q.add_argument("--size", type=int, default=4096)
        q.add_argument("--timeout", type=float, default=120)
        q.add_argument("--mode", choices=("starttls", "implicit"), default="starttls")
        q.add_argument("--resume", action="store_true")
        q.add_argument("--rate", type=float, default=100)
        q.add_argument("--pids", default=str(os.getpid()))
    a = p.parse_args()
    rc = {"sessions": cmd_sessions, "handshakes": cmd_handshakes, "latency": cmd_latency, "idle": cmd_idle}[a.what](a)
    sys.exit(1 if rc else 0)


if __name__ == "__main__":
    main()
