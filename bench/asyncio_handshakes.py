#!/usr/bin/env python3
"""TLS handshakes as a Python asyncio program makes them (bench/run row 4, "asyncio client"):
connect, read the banner, EHLO, STARTTLS (or TLS at connect with --mode implicit), the handshake,
optionally EHLO again (--ehlo-after-tls), QUIT, close. The same work as bench/LoadClient's
`handshakes`, but with the behaviour of asyncio's streams and the ssl module, which a server meets
from many real clients: the TLS connection is closed by asyncio's transport, not in the order
OpenSSL's own client keeps.

Without --resume the upgrade is asyncio's own StreamWriter.start_tls. asyncio cannot offer a
previous session (start_tls has no session argument), so --resume drives the same ssl module
through an SSLObject on memory BIOs over the asyncio streams, offering the session the worker's
last handshake made, as an MTA's client cache does.

Every read and handshake has a deadline (--timeout); the run is bounded by --count.
Prints one line: rate= reused= errors= server_cpu_ms= client_cpu_ms= (CPU ms per handshake:
the server's process trees given by --pids, and this process).
"""
import argparse
import asyncio
import os
import resource
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu import tree_seconds  # noqa: E402  (bench/cpu.py: a process tree's CPU seconds from /proc)
from load import take_reply, tls_context  # noqa: E402  (bench/load.py: reply parsing, the client TLS context)


async def reply(reader, timeout):
    """Reads one SMTP reply (its last line has a space after the code); returns the code."""
    while True:
        line = await asyncio.wait_for(reader.readline(), timeout)
        if not line:
            raise ConnectionError("connection closed by server")
        if len(line) >= 4 and line[3:4] == b" ":
            return int(line[:3])


async def close_quietly(writer, timeout):
    """Closes the connection as asyncio does (close_notify first over TLS), within the deadline."""
    writer.close()
    try:
        await asyncio.wait_for(writer.wait_closed(), timeout)
    except (OSError, asyncio.TimeoutError, ssl.SSLError):
        pass


async def command(reader, writer, line, expect, timeout):
    writer.write(line + b"\r\n")
    await writer.drain()
    code = await reply(reader, timeout)
    if code // 100 != expect:
        raise RuntimeError(f"{line!r}: got {code}")


async def plain_dialogue(port, mode, ehlo_after_tls, ctx, timeout):
    """asyncio's own TLS: open_connection(ssl=...) or StreamWriter.start_tls; returns False (not resumed)."""
    if mode == "implicit":
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=ctx, ssl_handshake_timeout=timeout), timeout)
    else:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        if await reply(reader, timeout) != 220:
            raise RuntimeError("no 220 banner")
        if mode == "starttls":
            await command(reader, writer, b"EHLO client.bench.test", 2, timeout)
            await command(reader, writer, b"STARTTLS", 2, timeout)
            await asyncio.wait_for(writer.start_tls(ctx, ssl_handshake_timeout=timeout), timeout)
        if ehlo_after_tls or mode == "implicit":
            await command(reader, writer, b"EHLO client.bench.test", 2, timeout)
        await command(reader, writer, b"QUIT", 2, timeout)
        return bool(writer.get_extra_info("ssl_object").session_reused)
    finally:
        await close_quietly(writer, timeout)


class BioTls:
    """The ssl module's SSLObject over asyncio streams: lets a handshake offer a saved session."""

    def __init__(self, reader, writer, ctx, session, timeout):
        self.reader, self.writer, self.timeout = reader, writer, timeout
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.incoming, self.outgoing, server_side=False, session=session)
        self.plain = b""

    async def flush(self):
        data = self.outgoing.read()
        if data:
            self.writer.write(data)
            await self.writer.drain()

    async def fill(self):
        data = await asyncio.wait_for(self.reader.read(65536), self.timeout)
        if not data:
            raise ConnectionError("connection closed by server")
        self.incoming.write(data)

    async def handshake(self):
        while True:
            try:
                self.tls.do_handshake()
                await self.flush()
                return
            except ssl.SSLWantReadError:
                await self.flush()
                await self.fill()

    async def send(self, line):
        self.tls.write(line + b"\r\n")
        await self.flush()

    async def reply(self):
        while True:
            if (taken := take_reply(self.plain)) is not None:
                code, self.plain = taken
                return code
            try:
                self.plain += self.tls.read(65536)
            except ssl.SSLWantReadError:
                await self.flush()  # TLS 1.3 tickets and key updates need no answer, but be exact
                await self.fill()

    async def command(self, line, expect):
        await self.send(line)
        code = await self.reply()
        if code // 100 != expect:
            raise RuntimeError(f"{line!r}: got {code}")

    async def close(self):
        try:
            self.tls.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLError):
            pass
        await self.flush()


async def resuming_dialogue(port, mode, ehlo_after_tls, ctx, timeout, state):
    """One handshake offering state['session']; keeps the new session when this one did not resume."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        if mode == "starttls":
            if await reply(reader, timeout) != 220:
                raise RuntimeError("no 220 banner")
            await command(reader, writer, b"EHLO client.bench.test", 2, timeout)
            await command(reader, writer, b"STARTTLS", 2, timeout)
        tls = BioTls(reader, writer, ctx, state.get("session"), timeout)
        await tls.handshake()
        if mode == "implicit" and await tls.reply() != 220:
            raise RuntimeError("no 220 banner")
        if ehlo_after_tls or mode == "implicit":
            await tls.command(b"EHLO client.bench.test", 2)
        await tls.command(b"QUIT", 2)
        reused = tls.tls.session_reused
        # TLS 1.3 sends the ticket after the handshake: the session to keep is the one read by now.
        if not reused or state.get("session") is None:
            state["session"] = tls.tls.session
        await tls.close()
        return reused
    finally:
        await close_quietly(writer, timeout)


async def run(args):
    ctx = tls_context()
    counts = {"done": 0, "reused": 0, "errors": 0}
    remaining = [args.count]

    async def worker():
        state = {}
        while remaining[0] > 0:
            remaining[0] -= 1
            try:
                if args.resume:
                    reused = await resuming_dialogue(args.port, args.mode, args.ehlo_after_tls, ctx, args.timeout, state)
                else:
                    reused = await plain_dialogue(args.port, args.mode, args.ehlo_after_tls, ctx, args.timeout)
                counts["done"] += 1
                counts["reused"] += 1 if reused else 0
            except (OSError, RuntimeError, ssl.SSLError, asyncio.TimeoutError, ConnectionError) as e:
                counts["errors"] += 1
                if counts["errors"] <= 3:
                    print(f"asyncio_handshakes: {type(e).__name__}: {e}", file=sys.stderr)

    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["starttls", "implicit"], default="starttls")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--ehlo-after-tls", action="store_true")
    parser.add_argument("--pids", default="", help="the server's process trees, comma-separated")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    pids = [int(p) for p in args.pids.split(",") if p]

    server_before = tree_seconds(pids) if pids else 0.0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    client_before = usage.ru_utime + usage.ru_stime
    start = time.monotonic()
    counts = asyncio.run(run(args))
    elapsed = time.monotonic() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    client_ms = (usage.ru_utime + usage.ru_stime - client_before) * 1000
    server_ms = (tree_seconds(pids) - server_before) * 1000 if pids else 0.0
    done = max(counts["done"], 1)
    print(f"rate={counts['done'] / elapsed:.1f} reused={counts['reused'] / done:.2f} errors={counts['errors']} "
          f"server_cpu_ms={server_ms / done:.3f} client_cpu_ms={client_ms / done:.3f}")
    return 1 if counts["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
