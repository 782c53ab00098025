#!/usr/bin/env bash
# Runs every test tier: unit and in-memory dialog tests (tests/Postern.Tests), end-to-end
# tests of the real binary against real clients (tests/Postern.EndToEnd), and a short fuzzing
# run of every parser (fuzz/run, FUZZ_SECONDS per target, 10 by default). Installs the clients
# the end-to-end tier drives (swaks with TLS and SASL, msmtp, curl, python3, openssl), Postfix (a real smart
# host the tier starts privately; the system's instance is never configured nor started) and the
# milters (OpenDKIM, OpenDMARC, pymilter, spamass-milter with spamd) and the DNS servers (unbound, nsd,
# with ldnsutils to sign their zones) and the ACME peers (pebble with pebble-challtestsrv, knot with
# knsupdate), and the scale-out peers (PostgreSQL 15, HAProxy, Dovecot with its LMTP server), started
# privately too, when they are missing.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v swaks >/dev/null || missing+=(swaks)
perl -MNet::SSLeay -e1 2>/dev/null || missing+=(libnet-ssleay-perl)   # swaks --tls
perl -MAuthen::SASL -e1 2>/dev/null || missing+=(libauthen-sasl-perl)  # swaks --auth DIGEST-MD5
perl -MDigest::HMAC_MD5 -e1 2>/dev/null || missing+=(libdigest-hmac-perl)  # swaks --auth CRAM-MD5
command -v msmtp >/dev/null || missing+=(msmtp)   # SCRAM-SHA-256 and EXTERNAL via GNU SASL
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
/usr/bin/python3 -c 'import dkim' 2>/dev/null || missing+=(python3-dkim)   # verifies Postern's DKIM signatures
/usr/bin/python3 -c 'import nacl' 2>/dev/null || missing+=(python3-nacl)   # python3-dkim's ed25519
[ -x /usr/sbin/postfix ] || missing+=(postfix)
command -v m4 >/dev/null || missing+=(m4)   # builds the Sendmail client's .cf from its .mc
command -v afl-fuzz >/dev/null || missing+=(afl++)   # fuzz/run (SharpFuzz's instrumentation, AFL++'s fuzzer)
[ -f /usr/share/publicsuffix/public_suffix_list.dat ] || missing+=(publicsuffix)   # DMARC's organizational domains
command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(clang)   # publish.sh: the Native AOT sendmail
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)   # the same (links zlib)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # Postfix's debconf would ask for a mailer type: "No configuration" writes no main.cf.
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo_cmd debconf-set-selections
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The daemons the end-to-end tier runs privately (the milters in tests/Postern.EndToEnd/Fixtures/Milters,
# unbound for the authentication results, nsd and unbound for DNSSEC in Fixtures/Dnssec, pebble,
# pebble-challtestsrv and knotd for ACME in Fixtures/Acme): each test starts its own on a loopback port. python3-milter and python3-dkim are modules of Debian's
# /usr/bin/python3. Their packages would start and enable the system's daemons: a policy-rc.d that
# says no (Debian's mechanism, the one container images ship) keeps them stopped during the install,
# and the units are disabled after it; OpenDMARC's optional database set-up is declined.
milters=()
[ -x /usr/sbin/opendkim ] || milters+=(opendkim)
[ -x /usr/sbin/opendkim-genkey ] || milters+=(opendkim-tools)
[ -x /usr/sbin/opendmarc ] || milters+=(opendmarc)
/usr/bin/python3 -c 'import Milter' 2>/dev/null || milters+=(python3-milter)
/usr/bin/python3 -c 'import dkim' 2>/dev/null || milters+=(python3-dkim)
[ -x /usr/sbin/spamass-milter ] || milters+=(spamass-milter)
[ -x /usr/sbin/spamd ] || milters+=(spamd spamassassin)
[ -x /usr/sbin/unbound ] || milters+=(unbound)   # a private DNS server for the authentication-results tests, validating for DANE
[ -x /usr/sbin/nsd ] || milters+=(nsd)   # the DNSSEC tests' authoritative server for their signed zones
[ -x /usr/bin/ldns-signzone ] || milters+=(ldnsutils)   # ldns-keygen and ldns-signzone sign those zones at test time
[ -x /usr/bin/pebble ] || milters+=(pebble)   # the ACME tests' private CA, and pebble-challtestsrv as its DNS server
[ -x /usr/sbin/knotd ] || milters+=(knot)   # the dns-01 tests' authoritative server, taking RFC 2136 updates with TSIG
[ -x /usr/bin/knsupdate ] || milters+=(knot-dnsutils)   # knsupdate and kdig, to check what knotd was sent
[ -x /usr/bin/chasquid ] || milters+=(chasquid)   # bench/run's third server (BenchSmokeTests), a private instance
if [ ${#milters[@]} -gt 0 ]; then
  echo "test.sh: installing ${milters[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# test.sh: no service starts while the milters install\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
    $sudo_cmd chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  echo "opendmarc opendmarc/dbconfig-install boolean false" | $sudo_cmd debconf-set-selections
  installed=0
  { [ ${#missing[@]} -gt 0 ] || $sudo_cmd apt-get update -qq; } &&
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${milters[@]}" >/dev/null && installed=1
  [ $made_policy -eq 0 ] || $sudo_cmd rm -f /usr/sbin/policy-rc.d
  [ $installed -eq 1 ] || { echo "test.sh: installing ${milters[*]} failed" >&2; exit 1; }
  for unit in "${milters[@]}"; do   # the daemons' units are named as their packages
    case $unit in opendkim|opendmarc|spamd|spamass-milter|unbound|nsd|knot|chasquid) $sudo_cmd systemctl disable --quiet "$unit" 2>/dev/null || true ;; esac
  done
  # chasquid's sockets would start it on a connection to its ports: disabled too.
  if [[ " ${milters[*]} " == *" chasquid "* ]]; then
    for unit in chasquid-smtp.socket chasquid-submission.socket chasquid-submission_tls.socket; do
      $sudo_cmd systemctl disable --quiet "$unit" 2>/dev/null || true
    done
  fi
fi

# The scale-out tier's peers (tests/Postern.EndToEnd/ScaleOut): PostgreSQL 15 (initdb into a temp
# directory and pg_ctl, by Postern.Testing/Postgres), HAProxy in front of two nodes and Dovecot's LMTP
# server, each started privately on loopback by the tests. Debian's postgresql-15 would create and
# start a "main" cluster: createcluster.conf says not to before the install, the same policy-rc.d as
# above keeps every daemon stopped during it, and the units are disabled after.
peers=()
[ -x /usr/lib/postgresql/15/bin/pg_ctl ] || peers+=(postgresql-15)
[ -x /usr/sbin/haproxy ] || peers+=(haproxy)
[ -x /usr/sbin/dovecot ] || peers+=(dovecot-core)
[ -x /usr/lib/dovecot/lmtp ] || peers+=(dovecot-lmtpd)
if [ ${#peers[@]} -gt 0 ]; then
  echo "test.sh: installing ${peers[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# test.sh: no service starts while the scale-out peers install\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
    $sudo_cmd chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    $sudo_cmd mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | $sudo_cmd tee /etc/postgresql-common/createcluster.conf >/dev/null
  elif ! grep -q '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
    echo "create_main_cluster = false" | $sudo_cmd tee -a /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  installed=0
  $sudo_cmd apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${peers[@]}" >/dev/null && installed=1
  [ $made_policy -eq 0 ] || $sudo_cmd rm -f /usr/sbin/policy-rc.d
  [ $installed -eq 1 ] || { echo "test.sh: installing ${peers[*]} failed" >&2; exit 1; }
  for unit in postgresql haproxy dovecot; do
    $sudo_cmd systemctl disable --quiet "$unit" 2>/dev/null || true
  done
fi

# A real Sendmail client (seed 000's laptop) for the end-to-end tier. Debian's sendmail-bin
# conflicts with postfix (both are the mail-transport-agent), so it is never installed: its .debs
# are unpacked into a private directory and the tests run that binary one-shot with their own .cf.
sendmail_root=/var/cache/postern-test/sendmail
if [ ! -x "$sendmail_root/usr/libexec/sendmail/sendmail" ]; then
  echo "test.sh: unpacking sendmail-bin and sendmail-cf into $sendmail_root"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  debs=(sendmail-bin sendmail-cf)
  # Its one library postfix does not pull in. (grep reads all: with pipefail, -q could SIGPIPE ldconfig.)
  ldconfig -p 2>/dev/null | grep 'libwrap\.so\.0 ' >/dev/null || debs+=(libwrap0)
  download=$(mktemp -d)
  fetch() { (cd "$download" && apt-get download -qq -o APT::Sandbox::User=root "${debs[@]}"); }
  fetch || { $sudo_cmd apt-get update -qq && fetch; }
  $sudo_cmd rm -rf "$sendmail_root.new"
  $sudo_cmd mkdir -p "$sendmail_root.new"
  for deb in "$download"/*.deb; do $sudo_cmd dpkg-deb -x "$deb" "$sendmail_root.new"; done
  rm -rf "$download"
  # The binary is setgid mail: the loader would ignore LD_LIBRARY_PATH (the unpacked libwrap).
  $sudo_cmd chmod g-s "$sendmail_root.new/usr/libexec/sendmail/sendmail"
  $sudo_cmd rm -rf "$sendmail_root"
  $sudo_cmd mv "$sendmail_root.new" "$sendmail_root"
fi

dotnet build Postern.slnx -c Release --nologo -v quiet -clp:NoSummary

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
# The unit tier runs while publish.sh compiles the installed build (Native AOT, into
# artifacts/postern as bench/run's own publish does); the end-to-end tier then runs that binary,
# the one an installation runs, alongside the rest of the unit tier (which is CPU-bound, while the
# end-to-end tier mostly waits on I/O).
dotnet test tests/Postern.Tests/Postern.Tests.csproj -c Release --no-build --nologo \
  --logger "console;verbosity=minimal" --logger "trx;LogFileName=unit.trx" --results-directory "$results" &
unit=$!
if ./publish.sh artifacts/postern >"$results/publish.log" 2>&1; then
  POSTERN_BINARY="$PWD/artifacts/postern/postern" dotnet test tests/Postern.EndToEnd/Postern.EndToEnd.csproj \
    -c Release --no-build --nologo \
    --logger "console;verbosity=minimal" --logger "trx;LogFileName=e2e.trx" --results-directory "$results" || status=1
else
  echo "test.sh: publish.sh failed; the end-to-end tier did not run" >&2
  cat "$results/publish.log" >&2
  status=1
fi
wait $unit || status=1

# A short AFL++ run of every fuzzing target (fuzz/run: SECONDS each, one at a time); any crash
# fails the run. The unit tier has already replayed the committed corpus through every target.
fuzz/run "${FUZZ_SECONDS:-10}" || status=1

# One closing line for both tiers, counted from the result files.
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
