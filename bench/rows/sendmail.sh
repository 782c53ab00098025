# Row 9 of bench/run (sourced): `sendmail -t`, 4 KB, no daemon woken. Postern's installed
# entry point (the `sendmail` publish.sh puts beside postern) against Postfix's
# /usr/sbin/sendmail with the private Postfix's configuration, alternated call by call, with
# wall time, CPU and peak RSS per call (bench/rows/sendmail.py). Postern's submissions go to a
# data directory of their own that no daemon serves, so nothing is woken and nothing relayed.
# A build without that entry point (the tests' plain build, a build before it existed) is
# measured through a symlink named sendmail to postern, its own sendmail personality.
# Uses bench/run's $here, $work, $postern, $pf_conf, $quick and record().
row_sendmail() {
  local count=200 entry out data="$work/sendmail-row"
  [ "$quick" -eq 1 ] && count=5
  entry="$(dirname "$postern")/sendmail"
  if [ ! -x "$entry" ]; then
    echo "bench/run: row 9: no $entry beside postern: measuring postern's sendmail personality" >&2
    mkdir -p "$work/sendmail-link"
    ln -sfn "$postern" "$work/sendmail-link/sendmail"
    entry="$work/sendmail-link/sendmail"
  fi
  mkdir -p "$data"
  out=$(python3 "$here/rows/sendmail.py" --count $count --size 4096 \
    "postern=$entry -C $work/postern/postern.toml --data-dir $data -t" \
    "postfix=/usr/sbin/sendmail -C $pf_conf -t")
  local server label line
  for server in postern postfix; do
    line=$(grep "^$server " <<<"$out")
    [ "$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$line")" = 0 ] || echo "bench/run: row 9: $line" >&2
    for label in "wall ms/call:wall_ms" "CPU ms/call:cpu_ms" "peak RSS MB:rss_mb"; do
      record "9 sendmail -t, 4 KB, no daemon: ${label%%:*}" $server "$(sed -n "s/.*${label##*:}=\([0-9.]*\).*/\1/p" <<<"$line")"
    done
  done
  rm -rf "$data"
}
