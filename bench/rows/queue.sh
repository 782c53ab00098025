# Row 10 of bench/run: a deep queue. Sourced by bench/run, which calls deep_queue_row after its
# other rows; it uses bench/run's $work, $postern, $here, $root, $quick, $runs, $unit_env and its
# helpers (free_port, wait_port, record, calc).
#
# Each server gets a private instance of its own (apart from the other rows' instances) whose
# smart host is an smtp-sink answering 4xx to RCPT. n_deep messages go in over SMTP and each is
# attempted and deferred (the journal or the deferred queue has them all). Then, $runs times and
# alternating: the server is stopped and started, and we measure the time from the start command
# until the first 220 banner, its RSS once start-up recovery is done (Postern: all its process;
# Postfix: master and every child), and the queue listing (`postern queue list`, `postqueue -p`):
# wall time and the listing process's CPU. Last, one retry pass: a flush (`postern queue flush`,
# `postqueue -f`) and the time until the mail log shows every message deferred once more, with
# the server's CPU for it.

deep_rss_mb() { # pid: RSS of the process and its children, MB
  ps -o rss= -p "$1" --ppid "$1" | awk '{s+=$1} END {printf "%.1f", s/1024}'
}

deep_wait_count() { # what-to-count target seconds: waits until the count reaches target; 1 when not
  local deadline=$(( $(date +%s) + $3 ))
  until [ "$($1)" -ge "$2" ]; do
    [ "$(date +%s)" -lt $deadline ] || return 1
    sleep 0.5
  done
}

deep_first_220() { # port seconds: the seconds from now until a 220 banner (polling), or fails
  python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, limit = int(sys.argv[1]), float(sys.argv[2])
start = time.monotonic()
while time.monotonic() - start < limit:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.settimeout(limit)
            if s.recv(4).startswith(b"220"):
                print(f"{time.monotonic() - start:.3f}")
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.01)
sys.exit(1)
PY
}

deep_timed() { # command...: runs it with stdout discarded; prints "wall cpu" seconds (cpu: the command's own user+sys)
  python3 - "$@" <<'PY'
import os, resource, subprocess, sys, time
start = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True, timeout=600)
wall = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {usage.ru_utime + usage.ru_stime:.3f}")
PY
}

deep_queue_row() {
  local n_deep=100000
  [ "$quick" -eq 1 ] && n_deep=300
  local dir="$work/deepq" sink_port pf_port pt_port
  sink_port=$(free_port) pf_port=$(free_port) pt_port=$(free_port)
  while [ "$(printf '%s\n' "$sink_port" "$pf_port" "$pt_port" | sort -u | wc -l)" -ne 3 ]; do pf_port=$(free_port) pt_port=$(free_port); done
  mkdir -p "$dir"/postfix/{conf,queue,data} "$dir/postern"
  chown postfix: "$dir/postfix/data"
  echo "bench/run: row 10: $n_deep deferred messages per server" >&2

  # A smart host that answers 4xx to every RCPT: each attempt defers.
  smtp-sink -u postfix -r RCPT "127.0.0.1:$sink_port" 256 >"$dir/sink.log" 2>&1 &
  pids+=($!)
  wait_port "$sink_port" 20

  local pf_conf="$dir/postfix/conf"
  cat >"$pf_conf/main.cf" <<EOC
compatibility_level = 3.6
queue_directory = $dir/postfix/queue
data_directory = $dir/postfix/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.deepq.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
relayhost = [127.0.0.1]:$sink_port
alias_maps =
alias_database =
local_recipient_maps =
biff = no
maillog_file = $dir/postfix/maillog
maillog_file_prefixes = $dir
smtp_tls_security_level = none
smtpd_client_connection_count_limit = 0
default_destination_concurrency_limit = 20
EOC
  cat >"$pf_conf/master.cf" <<EOC
127.0.0.1:$pf_port inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
smtp unix - - n - - smtp
relay unix - - n - - smtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOC
  timeout 30 /usr/sbin/postfix -c "$pf_conf" check
  cat >"$dir/postern/postern.toml" <<EOC
[server]
hostname = "postern.deepq.test"

[[listener]]
name = "mta"
address = "127.0.0.1:$pt_port"
role = "mta"

[queue]
delivery_concurrency = 20

[policy]
relay_networks = ["127.0.0.1/32"]

[delivery]
smarthost = "[127.0.0.1]:$sink_port"
max_per_destination = 20
EOC

  local deep_pt_pid=""
  deep_took=""
  deep_start() { # server: starts it; sets deep_took to the seconds until its first 220 (and deep_pt_pid)
    local t0
    t0=$(date +%s.%N)
    if [ "$1" = postfix ]; then
      timeout 60 /usr/sbin/postfix -c "$pf_conf" start >/dev/null 2>&1
    else
      # shellcheck disable=SC2086 # one word per setting
      env $unit_env "$postern" serve --config "$dir/postern/postern.toml" --data-dir "$dir/postern/data" >>"$dir/postern/log" 2>&1 &
      deep_pt_pid=$!
      pids+=("$deep_pt_pid")
    fi
    deep_first_220 "$(deep_port "$1")" 60 >/dev/null || echo "bench/run: row 10: no 220 from $1 within 60 s" >&2
    deep_took=$(calc "$(date +%s.%N) - $t0")
  }
  deep_stop() { # server
    if [ "$1" = postfix ]; then
      timeout 60 /usr/sbin/postfix -c "$pf_conf" stop >/dev/null 2>&1
      local deadline=$(( $(date +%s) + 60 ))
      while [ -s "$dir/postfix/queue/pid/master.pid" ] && kill -0 "$(tr -d ' ' <"$dir/postfix/queue/pid/master.pid")" 2>/dev/null; do
        [ "$(date +%s)" -lt $deadline ] || break
        sleep 0.2
      done
    else
      kill -TERM "$deep_pt_pid" 2>/dev/null || true
      timeout 60 tail --pid="$deep_pt_pid" -f /dev/null || kill -KILL "$deep_pt_pid" 2>/dev/null || true
    fi
  }
  deep_pid() { [ "$1" = postfix ] && tr -d ' ' <"$dir/postfix/queue/pid/master.pid" || echo "$deep_pt_pid"; }
  deep_port() { [ "$1" = postfix ] && echo "$pf_port" || echo "$pt_port"; }
  # Deferrals in the mail log (one line per attempt of each message).
  deep_deferrals() {
    if [ "$1" = postfix ]; then grep -c 'status=deferred' "$dir/postfix/maillog" 2>/dev/null || true
    else grep -c 'stat=Deferred' "$dir/postern/log" 2>/dev/null || true; fi
  }
  deep_deferrals_postfix() { deep_deferrals postfix; }
  deep_deferrals_postern() { deep_deferrals postern; }
  # Postern has recovered once its log says so (after the run's start).
  deep_recovered_postern() { grep -c 'recovered [0-9]* queued messages' "$dir/postern/log" 2>/dev/null || true; }
  deep_list() { # server: "wall cpu" of listing its queue (Postfix: postqueue's own CPU, showq's is the server's)
    if [ "$1" = postfix ]; then deep_timed /usr/sbin/postqueue -c "$pf_conf" -p
    else deep_timed "$postern" queue list --config "$dir/postern/postern.toml" --data-dir "$dir/postern/data"; fi
  }

  local server
  for server in postern postfix; do
    deep_start $server
    timeout 1200 smtp-source -s 20 -l 1024 -m $n_deep -f bench@bench.test -t rcpt@deepq.test "127.0.0.1:$(deep_port $server)" >/dev/null
    deep_wait_count "deep_deferrals_$server" $n_deep 1200 || echo "bench/run: row 10: $server deferred $(deep_deferrals $server) of $n_deep" >&2
    deep_stop $server
  done

  local run out
  for run in $(seq 1 "$runs"); do
    local order="postern postfix"
    [ $((run % 2)) -eq 0 ] && order="postfix postern"
    for server in $order; do
      local recovered_before
      recovered_before=$(deep_recovered_postern)
      deep_start $server
      record "10 deep queue: start until the first 220, s" $server "$deep_took"
      if [ $server = postern ]; then
        deep_wait_count deep_recovered_postern $((recovered_before + 1)) 600 || echo "bench/run: row 10: Postern did not log its recovery" >&2
      else
        sleep 5   # qmgr scans deferred/ as it runs: its RSS is read a few seconds in, as Postern's after its recovery
      fi
      record "10 deep queue: RSS after start, MB" $server "$(deep_rss_mb "$(deep_pid $server)")"
      out=$(deep_list $server)
      record "10 deep queue: list (queue list / postqueue -p), s" $server "${out% *}"
      record "10 deep queue: list, CPU s of the listing command" $server "${out#* }"
      if [ "$run" -eq "$runs" ]; then
        # One retry pass: everything attempted (and deferred) once more.
        local before cpu0 t0
        before=$(deep_deferrals $server) cpu0=$(python3 "$here/cpu.py" "$(deep_pid $server)") t0=$(date +%s.%N)
        if [ $server = postfix ]; then timeout 60 /usr/sbin/postqueue -c "$pf_conf" -f
        else timeout 60 "$postern" queue flush --config "$dir/postern/postern.toml" --data-dir "$dir/postern/data" >/dev/null; fi
        deep_wait_count "deep_deferrals_$server" $((before + n_deep)) 1200 || echo "bench/run: row 10: $server's retry pass did not finish" >&2
        record "10 deep queue: one retry pass, s" $server "$(calc "$(date +%s.%N) - $t0")"
        record "10 deep queue: one retry pass, server CPU ms/msg" $server \
          "$(calc "($(python3 "$here/cpu.py" "$(deep_pid $server)") - $cpu0) * 1000 / $n_deep")"
      fi
      deep_stop $server
    done
  done
  record "10 deep queue: messages" postern $n_deep
  record "10 deep queue: messages" postfix $n_deep
}
