#!/usr/bin/env bash
# Publishes Postern for installation into DIR (default artifacts/postern): Release, for this
# machine's architecture, compiled ahead of time to native code (.NET Native AOT). `postern` is one
# executable holding Postern, its libraries and the runtime's parts it uses: it needs no .NET
# runtime where it runs (only glibc and OpenSSL 3), starts without JIT work, and the daemon at rest
# maps ~41 MB instead of ~81 (bench/RESULTS.md, "The daemon compiled ahead of time").
# Beside postern: `sendmail`, a smaller Native AOT executable (src/Postern.Submit) that an
# installation links as /usr/sbin/sendmail, and `mailq` and `newaliases`, symlinks to it. It submits
# mail in a few milliseconds and ~12 MB, and hands its other modes to postern (bench/RESULTS.md,
# sendmail 2026-12-07). Native AOT needs clang (or gcc) and zlib1g-dev on the build machine.
# The intermediate build goes to artifacts/publish-build, apart from the tests' bin/ and obj/.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-artifacts/postern}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "publish.sh: no .NET runtime identifier known for $(uname -m)" >&2; exit 2 ;;
esac
# Both projects set PublishAot; each executable's debug symbols stay in its intermediate directory.
publish_native() { # project directory-under-publish-build
  dotnet publish "src/$1/$1.csproj" -c Release -r "$rid" \
    --artifacts-path artifacts/publish-build -o "artifacts/publish-build/$2" --disable-build-servers \
    --nologo -v quiet -clp:NoSummary
}
publish_native Postern postern
mkdir -p "$out"
install -m 0755 artifacts/publish-build/postern/postern "$out/postern.new"
mv -f "$out/postern.new" "$out/postern"
# A framework-dependent build published here before (postern.dll is its mark) left its assemblies,
# symbols, documentation files and resource directories (cs/, de/, ...): none of them is this
# build's, and nothing else is removed.
if [ -f "$out/postern.dll" ]; then
  rm -f "$out"/*.dll "$out"/*.pdb "$out"/*.xml "$out"/*.deps.json "$out"/*.runtimeconfig.json
  shopt -s nullglob
  for dir in "$out"/*/; do
    [ -n "$(find "$dir" -type f ! -name '*.resources.dll' -print -quit)" ] || rm -rf "$dir"
  done
  shopt -u nullglob
fi
publish_native Postern.Submit sendmail
install -m 0755 artifacts/publish-build/sendmail/sendmail "$out/sendmail"
ln -sfn sendmail "$out/mailq"
ln -sfn sendmail "$out/newaliases"
echo "publish.sh: $out/postern, $out/sendmail (mailq, newaliases)"
