#!/usr/bin/env bash
# Builds Postern and runs `postern serve` on its embedded default (or on the arguments given,
# e.g. ./serve.sh --config /etc/postern/postern.toml). Data goes to ./postern-data unless
# --data-dir or $POSTERN_HOME says otherwise.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build src/Postern/Postern.csproj -c Release --nologo -v quiet -clp:NoSummary
exec src/Postern/bin/Release/net10.0/postern serve "$@"
