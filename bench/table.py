#!/usr/bin/env python3
"""Prints bench/run's table: per row the median of each server's runs, the ratios of Postern's
figure to Postfix's and to chasquid's (and with --compare, build B's to build A's), and the issue's
target for that row with its verdict (met or NOT met), computed from these same medians.
Input: TSV lines `row<TAB>server<TAB>value`; servers: postern, postern_b, postfix, chasquid, sink."""
import statistics
import sys

# A target: (description, check(medians) -> bool). medians maps a server to its median (or None).
# Server CPU per operation: Postern's over the peer's, lower is better.
def cpu_at_most(postfix=None, chasquid=None):
    parts = []
    if postfix is not None:
        parts.append(f"<={postfix:.2f}x Postfix")
    if chasquid is not None:
        parts.append(f"<={chasquid:.2f}x chasquid")

    def check(m):
        pt = m.get("postern")
        if pt is None:
            return None
        verdicts = []
        for peer, bound in (("postfix", postfix), ("chasquid", chasquid)):
            if bound is None:
                continue
            if not m.get(peer):
                return None
            verdicts.append(pt <= bound * m[peer])
        return all(verdicts)
    return " and ".join(parts), check


RATE_TARGET = (">=1.5x Postfix",
               lambda m: None if m.get("postern") is None or not m.get("postfix") else m["postern"] >= 1.5 * m["postfix"])

# The targets (issue 20), by exact row label; rate rows get RATE_TARGET (is_rate below), and
# every row 4 "(server CPU ms)" row, both clients, the handshake target.
TARGETS = {
    "1 per message, c20, 4 KB (server CPU ms)": cpu_at_most(postfix=0.33, chasquid=0.40),
    "1 per message, c100, 100 KB (server CPU ms)": cpu_at_most(postfix=0.33),
    "2 per message, sessions reused, c20, 4 KB (server CPU ms)": cpu_at_most(postfix=0.33),
    "2 per message, sessions reused, c100, 100 KB (server CPU ms)": cpu_at_most(postfix=0.33),
    "5 per message, accept + relay (server CPU ms)": cpu_at_most(postfix=0.33),
    "3 per session (server CPU ms)": cpu_at_most(postfix=0.40, chasquid=0.40),
    "8 accept c20 4 KB, one milter (OpenDKIM): server CPU ms/msg": cpu_at_most(postfix=0.50),
    "7 end-of-DATA to 250, p99 ms, at half saturation": (
        "<5 ms and below Postfix's",
        lambda m: None if m.get("postern") is None or m.get("postfix") is None
        else m["postern"] < 5 and m["postern"] < m["postfix"]),
    "6 at rest after start: server RSS MB": ("<=40 MB", lambda m: None if m.get("postern") is None else m["postern"] <= 40),
    "6 idle: server RSS MB": ("<=100 MB", lambda m: None if m.get("postern") is None else m["postern"] <= 100),
    "6 idle: new session while held, ms": ("<50 ms", lambda m: None if m.get("postern") is None else m["postern"] < 50),
    "10 deep queue: start until the first 220, s": ("<=5 s", lambda m: None if m.get("postern") is None else m["postern"] <= 5),
    "10 deep queue: RSS after start, MB": ("<=300 MB", lambda m: None if m.get("postern") is None else m["postern"] <= 300),
    "10 deep queue: list (queue list / postqueue -p), s": ("<=3 s", lambda m: None if m.get("postern") is None else m["postern"] <= 3),
    "9 sendmail -t, 4 KB, no daemon: wall ms/call": cpu_at_most(postfix=2.0),
    "9 sendmail -t, 4 KB, no daemon: CPU ms/call": cpu_at_most(postfix=2.0),
    "9 sendmail -t, 4 KB, no daemon: peak RSS MB": ("<=30 MB", lambda m: None if m.get("postern") is None else m["postern"] <= 30),
}
HANDSHAKE_TARGET = cpu_at_most(postfix=0.50)


def is_rate(row):
    """Messages or sessions per second, the rows whose target is >=1.5x Postfix."""
    return row.startswith(("1 accept", "2 accept")) or ("/s" in row and "CPU" not in row)


def target_of(row):
    if row in TARGETS:
        return TARGETS[row]
    if row.startswith("4 ") and row.endswith("(server CPU ms)"):
        return HANDSHAKE_TARGET
    if is_rate(row) and not row.startswith("0 "):
        return RATE_TARGET
    return None


def ratio(a, b):
    return f"{a / b:6.2f}" if a is not None and b else f"{'-':>6}"


def main():
    values, order = {}, []
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
    compare = any("postern_b" in d for d in values.values())
    columns = [("postern", "Postern")] + ([("postern_b", "Postern B")] if compare else []) + \
        [("postfix", "Postfix"), ("chasquid", "chasquid")]
    ratios = [("Pt/Pf", "postern", "postfix"), ("Pt/cq", "postern", "chasquid")] + \
        ([("B/A", "postern_b", "postern")] if compare else [])
    width = max(len(r) for r in order)
    print(f"{'workload':<{width}}  " + "  ".join(f"{title:>10}" for _, title in columns) + "  " +
          "  ".join(f"{title:>6}" for title, _, _ in ratios) + "  target")
    fmt = lambda v: f"{v:>10.2f}" if v is not None else f"{'-':>10}"
    met = missed = 0
    for row in sorted(order, key=lambda r: (int(r.split(" ", 1)[0]) if r.split(" ", 1)[0].isdigit() else 99, order.index(r))):
        m = median[row]
        if m.get("sink") is not None:
            print(f"{row:<{width}}  {m['sink']:>10.1f}  (no MTA)")
            continue
        target = ""
        spec = target_of(row)
        if spec is not None:
            text, check = spec
            verdict = check(m)
            target = f"{text}: {'n/a' if verdict is None else 'met' if verdict else 'NOT met'}"
            met += verdict is True
            missed += verdict is False
        print(f"{row:<{width}}  " + "  ".join(fmt(m.get(s)) for s, _ in columns) + "  " +
              "  ".join(ratio(m.get(a), m.get(b)) for _, a, b in ratios) + f"  {target}".rstrip())
    print(f"targets: {met} met, {missed} NOT met (ratios: Pt = Postern, Pf = Postfix, cq = chasquid"
          + ("; B/A = Postern B over Postern A" if compare else "") + ")")


if __name__ == "__main__":
    main()
