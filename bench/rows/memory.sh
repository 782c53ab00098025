# Row 6 of bench/run: memory. Sourced by bench/run, which calls memory_at_rest right after the
# servers have started (before any warm-up) and memory_idle after every other row. Uses bench/run's
# $quick, $n_idle, $servers (when set; else Postern and Postfix), pid_of, port_of, record and load.
#
# At rest: each server's resident memory a few seconds after its start, before it has served
# anything (Postern's process; Postfix's master and every process under it; chasquid's process),
# with the anonymous part apart (the rest is mapped files: the runtime's and libraries' code).
# Idle: n_idle connections held after EHLO, the server's RSS meanwhile and the slowest of 5 new
# sessions; Postern's (the target) and chasquid's beside it. Postfix would need one smtpd process
# per connection (10,000 processes): it is left out of the idle measurement.

memory_tree() { # pid field: the sum of a /proc/PID/status field (kB) over the process and its descendants, in MB
  python3 - "$1" "$2" <<'PY'
import os, sys
root, field = int(sys.argv[1]), sys.argv[2] + ":"
children = {}
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError, IndexError):
            pass  # the process ended meanwhile
total, todo = 0, [root]
while todo:
    pid = todo.pop()
    todo.extend(children.get(pid, []))
    try:
        with open(f"/proc/{pid}/status") as f:
            total += next((int(line.split()[1]) for line in f if line.startswith(field)), 0)
    except OSError:
        pass
print(f"{total / 1024:.1f}")
PY
}

memory_servers() { echo "${servers:-postern postfix}"; }

memory_at_rest() {
  # Start-up work (recovery, the first timers, the DNSSEC probe) is over after a few seconds.
  sleep $([ "$quick" -eq 1 ] && echo 2 || echo 5)
  local server
  for server in $(memory_servers); do
    record "6 at rest after start: server RSS MB" "$server" "$(memory_tree "$(pid_of "$server")" VmRSS)"
    record "6 at rest after start: anonymous memory MB" "$server" "$(memory_tree "$(pid_of "$server")" RssAnon)"
  done
}

memory_idle() {
  local server out
  for server in $(memory_servers); do
    [ "$server" != postfix ] || continue
    out=$(load idle --port "$(port_of "$server")" --count "$n_idle" --pids "$(pid_of "$server")" --timeout 240)
    record "6 idle after EHLO: held connections" "$server" "$(field held <<<"$out")"
    record "6 idle: server RSS MB" "$server" "$(field rss_mb <<<"$out")"
    record "6 idle: new session while held, ms" "$server" "$(field probe_ms <<<"$out")"
  done
  for server in $(memory_servers); do
    record "6 server RSS after the run (all processes), MB" "$server" "$(memory_tree "$(pid_of "$server")" VmRSS)"
  done
}
