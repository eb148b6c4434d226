#!/usr/bin/env bash
# The load harness: a release server on a throwaway database with demo data (a year of
# 100,000 handled complaints, PORTAL_DEMO_HISTORY, and the 63 knowledge-base articles), measured with
# wrk (-t2 -c64 -d10s; filing with 16 connections), each line next to /healthz (the
# framework's ceiling on this machine) as a ratio. Run from the repository root after
# `.ci/build --release`:
#
#   server/bench/load.sh            # prints a Markdown table
#
# Needs wrk (Debian: apt-get install wrk). Figures, never assertions.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -x target/release/server ] || { echo "build first: .ci/build --release" >&2; exit 1; }
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
PORTAL_DEMO=1 PORTAL_DEMO_HISTORY="${PORTAL_DEMO_HISTORY:-100000}" PORTAL_ADDR="127.0.0.1:$port" PORTAL_DATABASE_URL="sqlite://$work/portal.db" \
  PORTAL_RATE_LIMITS="general=0/0,tracking=0/0,filing=0/0,accounts=0/0,surveys=0/0,api=0/0" \
  PORTAL_QUOTAS="phone_filings_per_day=0" RUST_LOG=warn \
  target/release/server >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
# Seeding 100,000 complaints takes a minute or two.
for _ in $(seq 1 1200); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
complaints="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM complaints').fetchone()[0])" "$work/portal.db")"
echo "data set: $complaints complaints" >&2
slug="$(curl -fs "$base/faq" | grep -o 'href="/faq/[^"?#]*"' | grep -v '/faq/search' | head -1 | sed 's/href="\/faq\///; s/"$//')"
css="$(curl -fs "$base/faq" | grep -o '/pkg/portal\.[0-9a-f]*\.css' | head -1)"

# wrk's figures: requests/s, p50 and p99 in ms.
measure() { # connections url [lua]
  local out
  if [ -n "${3:-}" ]; then
    out="$(wrk -t2 -c"$1" -d10s --latency -s "$3" "$2")"
  else
    out="$(wrk -t2 -c"$1" -d10s --latency -H 'Accept-Encoding: br, gzip' "$2")"
  fi
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(v):
    n, u = re.match(r"([\d.]+)(\w+)", v).groups(); n = float(n)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
timeouts = re.search(r"timeout (\d+)", out)
print(f"{rps:.0f} {p50:.1f} {p99:.1f} {errors.group(1) if errors else 0} {timeouts.group(1) if timeouts else 0}")
PY
}

ceiling="$(measure 64 "$base/healthz")"
ceiling_rps="${ceiling%% *}"
row() { # label result
  read -r rps p50 p99 bad slow <<<"$2"
  python3 -c "print(f'| $1 | {int($rps):,} | {$p50} ms | {$p99} ms | {$rps/$ceiling_rps:.3f} | $bad | $slow |')"
}
echo "| what | req/s | p50 | p99 | req/s ÷ /healthz | non-2xx/3xx | time-outs |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
row '`/healthz`' "$ceiling"
row '`/`' "$(measure 64 "$base/")"
row '`/api/v1/faq/search?q=漏水`' "$(measure 64 "$base/api/v1/faq/search?q=%E6%BC%8F%E6%B0%B4")"
row '`/track` (look-up form)' "$(measure 64 "$base/track")"
row '`/complaints/new`' "$(measure 64 "$base/complaints/new")"
row '`/pkg/portal.css` (revalidated name)' "$(measure 64 "$base/pkg/portal.css")"
row "\`$css\` (hashed, immutable)" "$(measure 64 "$base$css")"
row '`/faq`' "$(measure 64 "$base/faq")"
row '`/faq/<article>`' "$(measure 64 "$base/faq/$slug")"
row 'filing (no-JS form post, 16 connections, varied texts)' "$(measure 16 "$base" server/bench/file.lua)"
row 'filing, the same leak reported again and again (64 connections)' "$(SAME_ISSUE=1 measure 64 "$base" server/bench/file.lua)"
