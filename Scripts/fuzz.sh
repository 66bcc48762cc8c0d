#!/usr/bin/env bash
# Fuzzes the TLS stack with libFuzzer for SECONDS (default 600): the record layer, every
# handshake message parser, extension lists, alerts, X.509/PEM and the client and server state
# machines, all behind one entry function (Sources/TLSFuzz, FuzzTarget lists the targets).
#
#   Scripts/fuzz.sh [SECONDS]
#
# Builds tls13-fuzz with -DTLS13_FUZZ and -sanitize=fuzzer,address in its own scratch path
# (.build-fuzz, so the normal .build is untouched), starts from Tests/Fuzz/corpus and keeps what
# it finds in a temporary directory (or in $FUZZ_FINDS if set, to merge into the corpus with
# `tls13-fuzz -merge=1 Tests/Fuzz/corpus $FUZZ_FINDS`). A crash, a sanitizer report, a broken
# invariant or a timeout writes the input to fuzz-artifacts/ and makes this script fail;
# replay it with `swift run -c release tls13-fuzz fuzz-artifacts/crash-...`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
build=(swift build -c release --scratch-path .build-fuzz --product tls13-fuzz
       -Xswiftc -DTLS13_FUZZ -Xswiftc -sanitize=fuzzer,address)
build_log=$(mktemp)
if ! "${build[@]}" >"$build_log" 2>&1; then
  # gold warns once per ASan helper symbol it cannot export: noise around the real error.
  grep -v "Cannot export local symbol" "$build_log" >&2
  echo "fuzz.sh: building the fuzzer failed" >&2
  exit 1
fi
rm -f "$build_log"
fuzzer="$("${build[@]}" --show-bin-path)/tls13-fuzz"

finds=${FUZZ_FINDS:-}
if [ -z "$finds" ]; then
  finds=$(mktemp -d)
  trap 'rm -rf "$finds"' EXIT
fi
mkdir -p "$finds" fuzz-artifacts

# The Swift runtime's own backtracer would run (slowly) before libFuzzer's crash handler;
# ASan and libFuzzer print the stack trace.
export SWIFT_BACKTRACE=enable=no
"$fuzzer" "$finds" Tests/Fuzz/corpus \
  -max_total_time="$seconds" -max_len=20000 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=fuzz-artifacts/ -print_final_stats=1
