#!/usr/bin/env bash
# A dudect-style timing check of the secret-dependent primitives: X25519, P-256 ECDH and ECDSA
# signing, the RSA-2048 private operation and the AEAD tag comparison, plus a deliberately
# variable-time comparison as a positive control (README, "Timing"). Not a CI test: the result
# depends on the machine and its load, and a full run takes a few minutes.
#
#   Scripts/timing.sh [--scale F] [--only KEY,...]
#
# Prints a Markdown table on stdout (the README's table is one such run) and each experiment's
# duration on stderr. Exits 1 when an operation is flagged or the control is not.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product tls13-timing >&2
exec "$(swift build -c release --show-bin-path)/tls13-timing" "$@"
