#!/usr/bin/env bash
# Build the gorilla peer offline from Debian's packages (golang-go and
# golang-github-gorilla-websocket-dev: GOPATH mode over /usr/share/gocode, no
# module download) and print the binary's path. Rebuilds only when main.go is
# newer than the binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${WSCHECK_PEERS_BIN:-${TMPDIR:-/tmp}/wscheck-peers}/gorilla-peer"
if [ ! -x "$out" ] || [ "$here/main.go" -nt "$out" ]; then
  mkdir -p "$(dirname "$out")"
  (cd "$here" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off \
    go build -o "$out" main.go) >&2
fi
echo "$out"
