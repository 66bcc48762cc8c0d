#!/bin/sh
# Regenerates every file of transcripts/ (see transcripts/README.md) from the code as it is now:
# a deterministic connection and the RFC 8448 §3 replay, each as traces (standard view and
# RFC 8448 view), NSS key log and pcapng capture. Both sides run in memory in one process
# (tls13-demo --write-transcripts), so no port, clock or thread interleaving reaches the files:
# two runs write the same bytes. ToolTests fails while the committed files differ from this output.
#
# usage: Scripts/regenerate-transcripts.sh      (from anywhere inside the checkout)
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product tls13-demo
.build/release/tls13-demo --write-transcripts transcripts
echo "transcripts/ regenerated:"
ls -l transcripts
