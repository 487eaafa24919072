#!/usr/bin/env bash
# Run the wscheck catalogue against one of the peers in this folder, in one or
# both roles, and print the summary and the wall time.
#
#   examples/peers/run-catalogue.sh PEER [server|client|both] [OUT] [-- WSCHECK-ARGS...]
#
# PEER: python3-websockets | go-gorilla | go-gorilla-utf8 | python3-aiohttp
# OUT:  report folder (default reports/peers/PEER); servers/ and clients/ inside.
# wscheck's full output goes to OUT/server.log and OUT/client.log.
# Without WSCHECK-ARGS the whole catalogue runs (every case wscheck has), e.g.
#   examples/peers/run-catalogue.sh python3-websockets both /tmp/pws -- --cases '1.*,2.*'
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peer="${1:?usage: run-catalogue.sh PEER [server|client|both] [OUT] [-- WSCHECK-ARGS...]}"
shift
role="${1:-both}"; [ $# -gt 0 ] && shift
out="$root/reports/peers/$peer"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then out="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
extra=("$@")
PY=/usr/bin/python3   # Debian's python3, where the python3-* packages live

case "$peer" in
  python3-websockets)
    version="$($PY -c 'import websockets; print(websockets.__version__)')"
    agent="python3-websockets@$version"
    server=("$PY" "$here/python3-websockets/echo_server.py" 0)
    client="$PY $here/python3-websockets/autobahn_client.py {url} {agent}"
    ;;
  python3-aiohttp)
    version="$($PY -c 'import aiohttp; print(aiohttp.__version__)')"
    agent="python3-aiohttp@$version"
    server=("$PY" "$here/python3-aiohttp/echo_server.py" 0)
    client="$PY $here/python3-aiohttp/autobahn_client.py {url} {agent}"
    ;;
  go-gorilla | go-gorilla-utf8)
    bin="$("$here/go-gorilla/build.sh")"
    version="$(dpkg-query -W -f '${Version}' golang-github-gorilla-websocket-dev 2>/dev/null || echo unknown)"
    flags=()
    agent="gorilla-websocket@$version"
    if [ "$peer" = go-gorilla-utf8 ]; then flags=(-validate-utf8); agent="gorilla-websocket+utf8@$version"; fi
    server=("$bin" server "${flags[@]}" -port 0)
    client="$bin client ${flags[*]} {url} {agent}"
    ;;
  *) echo "unknown peer $peer" >&2; exit 2 ;;
esac

# WSCHECK_ROOT: run the wscheck of another checkout (default: this one).
cd "${WSCHECK_ROOT:-$root}"
status=0

if [ "$role" = server ] || [ "$role" = both ]; then
  log="$(mktemp)"
  "${server[@]}" >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
  port="$(sed -n 's/^listening on \([0-9]*\).*/\1/p' "$log" | head -n1)"
  [ -n "$port" ] || { echo "server did not start:" >&2; cat "$log" >&2; exit 2; }
  echo "== $agent as server on 127.0.0.1:$port"
  start=$(date +%s.%N)
  mkdir -p "$out"
  node bin/wscheck.js server "ws://127.0.0.1:$port/" --agent "$agent" --out "$out" "${extra[@]}" >"$out/server.log" 2>&1 || status=$?
  sed -n '/^category/,/^$/p' "$out/server.log"; grep -E '^[0-9]+ cases? FAILED|^reports:' "$out/server.log" || true
  echo "wall time: $(echo "$(date +%s.%N) - $start" | bc) s"
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
  if grep -q Traceback "$log"; then echo "server printed exceptions (see $log)"; fi
fi

if [ "$role" = client ] || [ "$role" = both ]; then
  echo "== $agent as client"
  start=$(date +%s.%N)
  mkdir -p "$out"
  node bin/wscheck.js client --exec "$client" --agent "$agent" --out "$out" "${extra[@]}" >"$out/client.log" 2>&1 || status=$?
  sed -n '/^category/,/^$/p' "$out/client.log"; grep -E '^[0-9]+ cases? FAILED|^reports:' "$out/client.log" || true
  echo "wall time: $(echo "$(date +%s.%N) - $start" | bc) s"
fi
exit $status
