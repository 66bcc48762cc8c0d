#!/usr/bin/env bash
# Makes the project's fixed test PKI with the openssl CLI: a small CA and a server certificate
# it signs. Run once; the files are committed so that captures made today can be decrypted and
# re-verified later. Running it again replaces every key (old transcripts would then need
# regenerating: Scripts/regenerate-transcripts.sh).
set -euo pipefail
cd "$(dirname "$0")"
days=36500   # valid for a century: a teaching PKI should not expire under a learner's feet

# The CA: RSA-2048, self-signed, basicConstraints CA:TRUE, keyCertSign.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" \
  -subj "/O=tls13-swift teaching PKI/CN=tls13-swift Test CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out ca.crt

# The server: RSA-2048 (PKCS#8 key, as `openssl genpkey` writes it), names localhost, 127.0.0.1, ::1.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key
openssl req -new -key server.key -subj "/O=tls13-swift teaching PKI/CN=localhost" -out server.csr
cat > server.ext <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
  -days "$days" -extfile server.ext -out server.crt
rm -f server.csr server.ext ca.srl
openssl verify -CAfile ca.crt server.crt
