#!/usr/bin/env python3
"""Prints bench/run's table: per row the median of each server's runs, Postern/Postfix, and the
issue's target for that row (met or not). Input: TSV lines `row<TAB>server<TAB>value`."""
import statistics
import sys

# row prefix -> (description, check(postern, postfix, baseline) -> bool)
TARGETS = {
    "1 accept, session/msg, c20, 4 KB": (">=3.0x and >=50% of baseline",
        lambda pt, pf, base: pt >= 3.0 * pf and pt >= 0.5 * base),
    "3 STARTTLS full sessions/s, c20": (">=1.5x", lambda pt, pf, _: pt >= 1.5 * pf),
    "4 TLS handshakes/s, starttls": (">=1.0x", lambda pt, pf, _: pt >= pf),
    "4 TLS handshakes/s, implicit": (">=1.0x", lambda pt, pf, _: pt >= pf),
    "4 TLS handshakes/s, starttls, resumed": (">=2.0x", lambda pt, pf, _: pt >= 2.0 * pf),
    "4 TLS handshakes/s, implicit, resumed": (">=2.0x", lambda pt, pf, _: pt >= 2.0 * pf),
    "5 end-to-end to smtp-sink, msgs/s": (">=2.0x", lambda pt, pf, _: pt >= 2.0 * pf),
    "6 idle: server RSS MB": ("<200 MB", lambda pt, pf, _: pt < 200),
    "6 idle: new session while held, ms": ("<50 ms", lambda pt, pf, _: pt < 50),
    "7 end-of-DATA to 250, p99 ms, at half saturation": ("<10 ms", lambda pt, pf, _: pt < 10),
    "9 sendmail -t, 4 KB, no daemon: wall ms/call": ("<=2x", lambda pt, pf, _: pt <= 2.0 * pf),
    "9 sendmail -t, 4 KB, no daemon: CPU ms/call": ("<=2x", lambda pt, pf, _: pt <= 2.0 * pf),
    "9 sendmail -t, 4 KB, no daemon: peak RSS MB": ("<=30 MB", lambda pt, pf, _: pt <= 30),
}


def main():
    values = {}
    order = []
    for line in open(sys.argv[1]):
        row, server, value = line.rstrip("\n").split("\t")
        if row not in values:
            values[row] = {}
            order.append(row)
        try:
            values[row].setdefault(server, []).append(float(value))
        except ValueError:
            values[row].setdefault(server, [])
    median = {r: {s: statistics.median(v) if v else None for s, v in d.items()} for r, d in values.items()}
    baseline = median.get("0 baseline smtp-source -> smtp-sink, session/msg", {}).get("sink") or 0.0
    width = max(len(r) for r in order)
    print(f"{'workload':<{width}}  {'Postern':>10}  {'Postfix':>10}  {'ratio':>6}  target")
    for row in sorted(order, key=lambda r: (r[0], order.index(r))):
        m = median[row]
        pt, pf, sink = m.get("postern"), m.get("postfix"), m.get("sink")
        if sink is not None:
            print(f"{row:<{width}}  {sink:>10.1f}  {'':>10}  {'':>6}  (no MTA)")
            continue
        ratio = f"{pt / pf:6.2f}" if pt is not None and pf else f"{'-':>6}"
        target = ""
        if row in TARGETS:
            text, check = TARGETS[row]
            met = pt is not None and (pf is not None or row.startswith("6") or row.startswith("7")) and check(pt, pf or 0.0, baseline)
            target = f"{text}: {'met' if met else 'NOT met'}"
        fmt = lambda v: f"{v:>10.2f}" if v is not None else f"{'-':>10}"
        print(f"{row:<{width}}  {fmt(pt)}  {fmt(pf)}  {ratio}  {target}")


if __name__ == "__main__":
    main()
