#!/usr/bin/env bash
# Publishes Postern for installation into DIR (default artifacts/postern): Release, for this
# machine's architecture, framework-dependent (runs on the installed .NET 10 runtime), and
# ReadyToRun: Postern's and its libraries' code is compiled ahead of time, so commands start
# without JIT work and a freshly started daemon serves its first thousands of messages on
# precompiled code instead of the JIT's first tier (bench/RESULTS.md, change 10). Hot methods are
# still recompiled by the JIT's optimizing tier as they run.
# Beside postern: `sendmail`, a Native AOT executable (src/Postern.Submit) that an installation
# links as /usr/sbin/sendmail, and `mailq` and `newaliases`, symlinks to it. It submits mail in a
# few milliseconds and ~12 MB without the runtime or the JIT, and hands its other modes to postern
# (bench/RESULTS.md, sendmail 2026-12-07). Native AOT needs clang (or gcc) and zlib1g-dev.
# The intermediate build goes to artifacts/publish-build, apart from the tests' bin/ and obj/.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-artifacts/postern}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "publish.sh: no .NET runtime identifier known for $(uname -m)" >&2; exit 2 ;;
esac
dotnet publish src/Postern/Postern.csproj -c Release -r "$rid" --self-contained false \
  -p:PublishReadyToRun=true --artifacts-path artifacts/publish-build -o "$out" --disable-build-servers \
  --nologo -v quiet -clp:NoSummary
dotnet publish src/Postern.Submit/Postern.Submit.csproj -c Release -r "$rid" \
  --artifacts-path artifacts/publish-build -o artifacts/publish-build/sendmail --disable-build-servers \
  --nologo -v quiet -clp:NoSummary
install -m 0755 artifacts/publish-build/sendmail/sendmail "$out/sendmail"
ln -sfn sendmail "$out/mailq"
ln -sfn sendmail "$out/newaliases"
echo "publish.sh: $out/postern, $out/sendmail (mailq, newaliases)"
