#!/usr/bin/env bash
# Load against one tls13-server (issue 5, "Proof: load"): a benchmark to run by hand, not a test.
#
#   1. SEQUENTIAL handshakes, one after the other (default 1000)
#   2. CONCURRENT handshakes at once (default 100)
#   3. MIB mebibytes of random bytes through the echo server, compared byte for byte (default 256)
#
# Each handshake is a real tls13-client run (`--quiet`, stdin from /dev/null: handshake, then
# close_notify both ways). The server's resident memory (VmRSS from /proc/PID/status) is printed
# before and after each part, so growth would show. Linux only (/proc).
#
#   Scripts/load.sh                     # build first with: swift build -c release
#   SEQUENTIAL=100 CONCURRENT=20 MIB=16 Scripts/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.build/release}
SEQUENTIAL=${SEQUENTIAL:-1000}
CONCURRENT=${CONCURRENT:-100}
MIB=${MIB:-256}
SUITE=${SUITE:-chacha20}

for tool in tls13-server tls13-client; do
    [[ -x "$BIN/$tool" ]] || { echo "load.sh: $BIN/$tool is not built (swift build -c release)" >&2; exit 2; }
done

work=$(mktemp -d)
server=
cleanup() {
    if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$BIN/tls13-server" --port 0 --quiet --echo --cipher-suites "$SUITE" </dev/null >/dev/null 2>"$work/server.err" &
server=$!
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/server.err" 2>/dev/null && break
    sleep 0.05
done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/server.err")
[[ -n "$port" ]] || { echo "load.sh: the server did not start:" >&2; cat "$work/server.err" >&2; exit 1; }

rss() { awk '/^VmRSS/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$server/status"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
client() { "$BIN/tls13-client" --host 127.0.0.1 --port "$port" --quiet --cipher-suites "$SUITE" "$@"; }

echo "tls13-server pid $server on 127.0.0.1:$port ($SUITE), RSS at start: $(rss)"

# 1. Sequential handshakes.
failures=0
start=$(now)
for _ in $(seq "$SEQUENTIAL"); do
    client </dev/null >/dev/null 2>>"$work/client.err" || failures=$((failures + 1))
done
end=$(now)
seconds=$(elapsed "$start" "$end")
echo "$SEQUENTIAL sequential handshakes: $seconds s ($(awk -v n="$SEQUENTIAL" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')/s," \
     "client process start included), $failures failed; server RSS $(rss)"

# 2. Concurrent handshakes.
start=$(now)
pids=()
for i in $(seq "$CONCURRENT"); do
    client </dev/null >/dev/null 2>"$work/concurrent-$i.err" &
    pids+=($!)
done
failures=0
for pid in "${pids[@]}"; do wait "$pid" || failures=$((failures + 1)); done
end=$(now)
echo "$CONCURRENT concurrent handshakes: $(elapsed "$start" "$end") s, $failures failed; server RSS $(rss)"
if (( failures > 0 )); then cat "$work"/concurrent-*.err | sort | uniq -c | head -5; fi

# 3. Bulk data through the echo server, compared byte for byte.
bytes=$((MIB * 1024 * 1024))
head -c "$bytes" /dev/urandom >"$work/payload"
start=$(now)
client <"$work/payload" >"$work/echoed" 2>"$work/bulk.err" || { echo "client failed:"; cat "$work/bulk.err"; }
end=$(now)
seconds=$(elapsed "$start" "$end")
received=$(stat -c %s "$work/echoed")
if cmp -s "$work/payload" "$work/echoed"; then verdict="identical"; else verdict="DIFFERENT"; fi
echo "$MIB MiB through the echo server and back: $seconds s" \
     "($(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.1f", b / 1048576 / s }') MiB/s each way)," \
     "$received bytes back, $verdict; server RSS $(rss)"
echo "sha256 sent     $(sha256sum <"$work/payload" | cut -c1-64)"
echo "sha256 received $(sha256sum <"$work/echoed" | cut -c1-64)"
[[ "$verdict" == identical ]]
