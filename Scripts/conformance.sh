#!/usr/bin/env bash
# Runs the TLS 1.3 scripts of tlsfuzzer (the standard conformance suite; an unmodified snapshot
# in ../shared/tlsfuzzer, see its SNAPSHOT.md) against tls13-server --www (issue 11).
#
#   Scripts/conformance.sh             our server (built with swift build -c release)
#   Scripts/conformance.sh --openssl   openssl s_server -www -tls1_3 with the same certificate
#                                      and key, the same scripts and arguments: the side-by-side
#                                      figure of the README
#
# Prints each script's passed/failed probe counts, every failing probe, the total, and the
# scripts left out with the reason. Exits 1 when a probe fails that is not a known disagreement
# (below, each with the RFC text behind our choice), 0 otherwise. The venv (tlslite-ng 0.9.0b2
# and ecdsa from PyPI) is made in $TLSFUZZER_VENV (default /tmp/tlsf-venv) unless it is there.
# The whole run takes one to two minutes on a 2-core machine; `-n` values keep it under 10.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tlsfuzzer=${TLSFUZZER:-$root/../shared/tlsfuzzer}
venv=${TLSFUZZER_VENV:-/tmp/tlsf-venv}
target=ours
case "${1:-}" in
  "") ;;
  --openssl) target=openssl ;;
  *) echo "usage: Scripts/conformance.sh [--openssl]" >&2; exit 2 ;;
esac

# ── The scripts ────────────────────────────────────────────────────────────────────────────
# One line per script: `run SCRIPT [ARGUMENT...]` runs it (arguments after -h/-p: options, or
# probe names to run only those), `leave_out SCRIPT REASON` lists it as not run. Putting a
# script back is turning its leave_out line into a run line.
#
# Most scripts offer a secp256r1 (P-256) key share; `not_applicable` lists the probes of a script
# that exercise what we do not implement (their failures are printed, not counted).
scripts() {
  run test-tls13-conversation.py
  local others='secp384r1|secp521r1|x448|ffdhe|brainpool'
  local lacking="a group or signature algorithm we do not implement (P-384, P-521, x448, FFDHE, brainpool)"
  not_applicable "$others" "$lacking" run test-tls13-crfg-curves.py
  not_applicable "$others" "$lacking" run test-tls13-ecdhe-curves.py
  run test-tls13-dhe-shared-secret-padding.py 'TLS 1.3 with x25519' 'TLS 1.3 with secp256r1'
  not_applicable "$others" "$lacking" run test-tls13-serverhello-random.py
  run test-tls13-no-unknown-groups.py --groups x25519mlkem768,x25519,secp256r1
  run test-tls13-obsolete-curves.py 'x25519 in supported_groups and key_share'
  run test-tls13-mlkem.py --kems x25519mlkem768
  run test-tls13-ccs.py
  run test-tls13-empty-alert.py
  run test-tls13-finished.py
  run test-tls13-finished-plaintext.py
  run test-tls13-hrr.py
  run test-tls13-invalid-ciphers.py
  run test-tls13-keyshare-omitted.py
  run test-tls13-keyupdate.py
  run test-tls13-keyupdate-from-server.py  # GET /keyupdate: our KeyUpdate(update_requested) first
  run test-tls13-large-number-of-extensions.py
  run test-tls13-legacy-version.py
  run test-tls13-multiple-ccs-messages.py
  run test-tls13-nociphers.py
  run test-tls13-pkcs-signature.py
  run test-tls13-record-layer-limits.py
  run test-tls13-record-padding.py
  run test-tls13-rsa-signatures.py
  run test-tls13-shuffled-extentions.py
  run test-tls13-signature-algorithms.py -n 20
  run test-tls13-unencrypted-alert.py
  run test-tls13-zero-content-type.py
  run test-tls13-zero-length-data.py
  run test-tls13-connection-abort.py -n 20 -e 'After NewSessionTicket'
  not_applicable 'TLS_AES_128_CCM' "the AES-CCM suites are not implemented" \
    run test-tls13-symetric-ciphers.py -n 20
  not_applicable "$others" "$lacking" run test-tls13-unrecognised-groups.py
  not_applicable 'to 1\.[0-2]$|in client hello legacy field$' "TLS 1.2 or older negotiated without supported_versions: we speak only TLS 1.3" \
    run test-tls13-version-negotiation.py
  run_on echo test-tls13-lengths.py -n 20
  not_applicable "$others" "$lacking" run_on ecdsa test-tls13-ecdsa-support.py

  leave_out test-tls13-non-support.py "checks a server WITHOUT TLS 1.3 (it expects TLS 1.2); we speak only 1.3"
  leave_out test-tls13-rsapss-signatures.py "needs an RSASSA-PSS (id-RSASSA-PSS) certificate; ours are rsaEncryption and P-256"

  # Resumption and 0-RTT (issue 14), against --www --early-data 16384 with the scripts' external
  # PSK (--psk aa --psk-identity test, their default), and the same with --psk-ke for the
  # scripts that resume without a key exchange.
  local tls12="TLS 1.2|downgrade to TLS 1.2"
  local tls12_reason="TLS 1.2 session resumption or a fall back to TLS 1.2: we speak only TLS 1.3"
  not_applicable "$tls12" "$tls12_reason" run_on pskke test-tls13-session-resumption.py
  not_applicable 'ffdhe' "finite-field groups (RFC 7919) are not implemented" run_on resume test-tls13-psk_dhe_ke.py
  run_on pskke test-tls13-psk_ke.py
  run_on resume test-tls13-count-tickets.py -t 2
  not_applicable "$tls12" "$tls12_reason" run_on resume test-tls13-0rtt-garbage.py

  # Client authentication (issue 15), against --request-client-cert cert/ca.crt: the scripts
  # send our teaching PKI's client certificates (an empty Certificate in their sanity probes).
  # -s: the signature schemes our CertificateRequest lists; -E: the extensions it carries beside
  # signature_algorithms (certificate_authorities, 47, naming cert/ca.crt; -E then has to list
  # the ServerHello's too).
  local our_schemes='ecdsa_secp256r1_sha256 rsa_pss_rsae_sha256 rsa_pss_rsae_sha384 rsa_pss_rsae_sha512'
  local rsa_client=(-k "$root/cert/client.key" -c "$root/cert/client.crt")
  run_on request test-tls13-certificate-request.py "${rsa_client[@]}" -s "$our_schemes" \
    -E 'key_share:SH supported_versions:SH 47:CR'
  run_on request test-tls13-certificate-verify.py "${rsa_client[@]}" -s "$our_schemes"
  run_on request test-tls13-ecdsa-in-certificate-verify.py -k "$work/ecdsa-client.key" -c "$work/ecdsa-client.crt" -s "$our_schemes"
  # GET /secret asks for the certificate after the handshake (RFC 8446 §4.6.2).
  run test-tls13-post-handshake-auth.py "${rsa_client[@]}" --pha-as-reply
  leave_out test-tls13-ffdhe-groups.py "finite-field groups (RFC 7919) are not implemented"
  leave_out test-tls13-ffdhe-sanity.py "finite-field groups (RFC 7919) are not implemented"
  leave_out test-tls13-ecdhe-brainpool-curves.py "brainpool groups are not implemented"
  leave_out test-tls13-ecdsa-brainpool-in-certificate-verify.py "brainpool certificates are not implemented"
  leave_out test-tls13-eddsa.py "needs an EdDSA certificate; we sign with RSA-PSS or ECDSA P-256"
  leave_out test-tls13-eddsa-in-certificate-verify.py "needs an EdDSA certificate; we sign with RSA-PSS or ECDSA P-256"
  leave_out test-tls13-mldsa-in-certificate-verify.py "needs an ML-DSA certificate; we sign with RSA-PSS or ECDSA P-256"
  leave_out test-tls13-minerva.py "a statistical timing attack on ECDSA nonces: hours of measurements, not a CI check (Scripts/timing.sh measures our signing)"
  leave_out test-tls13-certificate-compression.py "certificate compression (RFC 8879) is not implemented"
  leave_out test-tls13-client-certificate-compression.py "client certificates and RFC 8879 are not implemented"
}

# ── Known disagreements ────────────────────────────────────────────────────────────────────
# "SCRIPT|probe" entries whose failure does not fail the run, each with the RFC text that
# decides our answer. Keep it short.
known_disagreements=(
  # An empty key_exchange: tlsfuzzer expects illegal_parameter. RFC 8446 §4.2.8 declares
  # `opaque key_exchange<1..2^16-1>`, and §6: "Peers which receive a message which cannot be
  # parsed according to the syntax (e.g., have a length extending beyond the message boundary
  # or containing an out-of-range length) MUST terminate the connection with a "decode_error"
  # alert." A length of 0 is out of <1..2^16-1>: we send decode_error.
  "test-tls13-crfg-curves.py|empty x25519 key share"
  # A second ChangeCipherSpec: tlsfuzzer (like OpenSSL and BoringSSL) expects unexpected_message.
  # RFC 8446 §5: "An implementation may receive an unencrypted record of type change_cipher_spec
  # consisting of the single byte value 0x01 at any time after the first ClientHello message has
  # been sent or received and before the peer's Finished message has been received and MUST
  # simply drop it without further processing." "At any time" sets no count: we drop each one.
  "test-tls13-multiple-ccs-messages.py|CH and multiple CCS Messages in one TCP packet"
  "test-tls13-multiple-ccs-messages.py|multiple CCS Messages in one TCP packet"
  "test-tls13-multiple-ccs-messages.py|second CCS before client finished"
)

# ── Machinery ──────────────────────────────────────────────────────────────────────────────
if [ ! -d "$tlsfuzzer/tlsfuzzer/_apps" ]; then
  echo "conformance.sh: no tlsfuzzer at $tlsfuzzer (set TLSFUZZER)" >&2
  exit 1
fi
if ! "$venv/bin/python" -c 'import tlslite, ecdsa, kyber_py' 2>/dev/null; then
  echo "conformance.sh: making the venv $venv (tlslite-ng 0.9.0b2, ecdsa, kyber-py)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --pre 'tlslite-ng==0.9.0b2' ecdsa kyber-py
fi

work=${CONFORMANCE_WORK:-$(mktemp -d)}
server_pids=()
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {
  local port=$1 tries=0
  until "$venv/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ]; then echo "conformance.sh: the server did not start" >&2; cat "$work"/*.log >&2; exit 1; fi
    sleep 0.1
  done
}

port=$(free_port)
echo_port=$(free_port)
ecdsa_port=$(free_port)
request_port=$(free_port)
resume_port=$(free_port)
pskke_port=$(free_port)
# A P-256 client certificate from the teaching CA (cert/ca.key is committed on purpose).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ecdsa-client.key" 2>/dev/null
openssl req -new -key "$work/ecdsa-client.key" -subj "/CN=tlsfuzzer ecdsa client" -out "$work/ecdsa-client.csr"
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n' >"$work/ecdsa-client.ext"
openssl x509 -req -in "$work/ecdsa-client.csr" -CA cert/ca.crt -CAkey cert/ca.key -set_serial 7 -days 30 \
  -sha256 -extfile "$work/ecdsa-client.ext" -out "$work/ecdsa-client.crt" 2>/dev/null
start() {  # start LOG COMMAND...: one server in the background
  local log=$1; shift
  "$@" </dev/null >/dev/null 2>"$work/$log" &
  server_pids+=($!)
}
if [ "$target" = ours ]; then
  # $TLS13_SERVER: an executable already built (CI passes the one `swift test -c release` built,
  # which a plain `swift build` would compile again with other flags).
  server=${TLS13_SERVER:-}
  if [ -z "$server" ]; then
    swift build -c release --product tls13-server >&2
    server=.build/release/tls13-server
  fi
  start www.log "$server" --port "$port" --www --quiet
  start echo.log "$server" --port "$echo_port" --echo --quiet
  start ecdsa.log "$server" --port "$ecdsa_port" --www --quiet \
    --cert cert/server-ecdsa.crt --key cert/server-ecdsa.key
  start request.log "$server" --port "$request_port" --www --quiet --request-client-cert cert/ca.crt
  start resume.log "$server" --port "$resume_port" --www --quiet --early-data 16384 --psk aa --psk-identity test
  start pskke.log "$server" --port "$pskke_port" --www --quiet --psk-ke --psk aa --psk-identity test
  label="tls13-server --www (and --echo, --www with cert/server-ecdsa.crt, --www --request-client-cert, --www --early-data with an external PSK, and that with --psk-ke)"
else
  start www.log openssl s_server -accept "$port" -cert cert/server.crt -key cert/server.key -www -tls1_3 -quiet
  start echo.log openssl s_server -accept "$echo_port" -cert cert/server.crt -key cert/server.key -tls1_3 -quiet
  start ecdsa.log openssl s_server -accept "$ecdsa_port" -cert cert/server-ecdsa.crt -key cert/server-ecdsa.key -www -tls1_3 -quiet
  start request.log openssl s_server -accept "$request_port" -cert cert/server.crt -key cert/server.key -www -tls1_3 -quiet \
    -verify 1 -CAfile cert/ca.crt
  # s_server refuses -early_data together with -www, which the scripts need.
  start resume.log openssl s_server -accept "$resume_port" -cert cert/server.crt -key cert/server.key -www -tls1_3 -quiet \
    -psk aa -psk_identity test
  start pskke.log openssl s_server -accept "$pskke_port" -cert cert/server.crt -key cert/server.key -www -tls1_3 -quiet \
    -psk aa -psk_identity test -allow_no_dhe_kex
  label="openssl s_server -www -tls1_3 ($(openssl version)), and the same as an echo server, with cert/server-ecdsa.crt and with -verify 1"
fi
wait_for_port "$port"
wait_for_port "$echo_port"
wait_for_port "$ecdsa_port"
wait_for_port "$request_port"
wait_for_port "$resume_port"
wait_for_port "$pskke_port"
echo "tlsfuzzer against $label on 127.0.0.1:$port"
echo

total_passed=0
total_failed=0
not_applicable_count=0
unexpected=0
left_out=()

# `run SCRIPT ARGS...` against the main server (--www); `run_on echo|ecdsa|request|resume|pskke SCRIPT ARGS...`
# against the echo server or the one with the P-256 certificate.
run() { run_on www "$@"; }

run_on() {
  local server=$1 script=$2; shift 2
  local target_port
  case "$server" in
    www) target_port=$port ;;
    echo) target_port=$echo_port ;;
    ecdsa) target_port=$ecdsa_port ;;
    request) target_port=$request_port ;;
    resume) target_port=$resume_port ;;
    pskke) target_port=$pskke_port ;;
  esac
  local module="tlsfuzzer._apps.$(basename "$script" .py | tr '-' '_')"
  local out="$work/$script.out"
  # The scripts import ./tlsfuzzer: they run from the snapshot (read-only; no byte code written).
  (cd "$tlsfuzzer" && PYTHONDONTWRITEBYTECODE=1 timeout 300 "$venv/bin/python" -m "$module" \
      -h 127.0.0.1 -p "$target_port" "$@") >"$out" 2>&1 || true
  local passed failed
  passed=$(sed -n 's/^PASS: \([0-9]*\)$/\1/p' "$out" | tail -1)
  failed=$(sed -n 's/^FAIL: \([0-9]*\)$/\1/p' "$out" | tail -1)
  if [ -z "$passed" ] || [ -z "$failed" ]; then
    echo "$script: no summary (the script broke or timed out); its last lines:"
    tail -5 "$out" | sed 's/^/    /'
    unexpected=$((unexpected + 1))
    return
  fi
  local probe lines=()
  while IFS= read -r probe; do
    [ -n "$probe" ] || continue
    if [ -n "$na_regex" ] && printf '%s\n' "$probe" | grep -qE "$na_regex"; then
      lines+=("    not applicable ($na_reason): $probe")
      failed=$((failed - 1))
      not_applicable_count=$((not_applicable_count + 1))
    elif printf '%s\n' "${known_disagreements[@]}" | grep -qxF "$script|$probe"; then
      lines+=("    known disagreement: $probe")
    else
      lines+=("    FAILED: $probe")
      unexpected=$((unexpected + 1))
    fi
  done < <(sed -n "/^FAILED:$/,/^[^\t]/s/^\t'\(.*\)'$/\1/p" "$out")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  printf '%-45s %5d passed %5d failed%s\n' "$script" "$passed" "$failed" \
    "$([ "$server" = www ] || echo "  (against the $server server)")"
  [ ${#lines[@]} -eq 0 ] || printf '%s\n' "${lines[@]}"
}

leave_out() { left_out+=("$(printf '%-45s %s' "$1" "$2")"); }

# `not_applicable REGEX REASON run SCRIPT ...`: a failing probe of SCRIPT whose name matches
# REGEX tests a feature we do not implement; it is listed with REASON and not counted.
na_regex=""
na_reason=""
not_applicable() {
  na_regex=$1; na_reason=$2; shift 2
  "$@"
  na_regex=""; na_reason=""
}

scripts
echo
echo "total: $total_passed passed, $total_failed failed ($((total_passed + total_failed)) probes;" \
  "$not_applicable_count more not applicable)"
echo
echo "left out (${#left_out[@]} scripts):"
printf '  %s\n' "${left_out[@]}"
if [ "$unexpected" -gt 0 ]; then
  echo
  echo "conformance.sh: $unexpected failure(s) beyond the known disagreements"
  exit 1
fi
