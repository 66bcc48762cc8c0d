#!/usr/bin/env bash
# Makes the project's fixed test PKI with the openssl CLI: a small CA and the server certificates
# it signs (RSA and ECDSA P-256). Run once; the files are committed so that captures made today
# can be decrypted and re-verified later. Running it again replaces every key (old transcripts
# would then need regenerating: Scripts/regenerate-transcripts.sh).
#
#   ./make-certs.sh                 everything
#   ./make-certs.sh server-ecdsa    only server-ecdsa.key/.crt, signed by the existing CA (how
#                                   they were added after the first four files)
#   ./make-certs.sh client          only client.key/.crt, signed by the existing CA (how they
#                                   were added, for client authentication)
set -euo pipefail
cd "$(dirname "$0")"
days=36500   # valid for a century: a teaching PKI should not expire under a learner's feet

# What both server certificates say: localhost, 127.0.0.1 and ::1, serverAuth. $1 is the key
# usage: an RSA key may also encipher; an EC key signs only (RFC 5480 §3).
server_extensions() {
  cat <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,$1
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
}

# A server certificate for the key in $1.key, signed by the CA (sha256WithRSAEncryption).
sign_server() {
  openssl req -new -key "$1.key" -subj "/O=tls13-swift teaching PKI/CN=localhost" -out "$1.csr"
  server_extensions "$2" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
    -days "$days" -extfile "$1.ext" -out "$1.crt"
  rm -f "$1.csr" "$1.ext" ca.srl
  openssl verify -CAfile ca.crt "$1.crt"
}

# The ECDSA server: a P-256 key (PKCS#8, named curve), an RSA CA over an ECDSA leaf.
make_server_ecdsa() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve \
    -out server-ecdsa.key
  sign_server server-ecdsa digitalSignature
}

# The client: RSA-2048, clientAuth (RFC 5280 §4.2.1.12), for `tls13-client --cert cert/client.crt
# --key cert/client.key` against a server that asks for a certificate (RFC 8446 §4.3.2). No
# subjectAltName: a client certificate names a person or a machine, not a host to connect to.
make_client() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client.key
  openssl req -new -key client.key -subj "/O=tls13-swift teaching PKI/CN=tls13-swift client" -out client.csr
  cat > client.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
  openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 \
    -days "$days" -extfile client.ext -out client.crt
  rm -f client.csr client.ext ca.srl
  openssl verify -CAfile ca.crt -purpose sslclient client.crt
}

if [ "${1:-}" = server-ecdsa ]; then
  make_server_ecdsa
  exit 0
fi
if [ "${1:-}" = client ]; then
  make_client
  exit 0
fi

# The CA: RSA-2048, self-signed, basicConstraints CA:TRUE, keyCertSign.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days "$days" \
  -subj "/O=tls13-swift teaching PKI/CN=tls13-swift Test CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out ca.crt

# The RSA server: RSA-2048 (PKCS#8 key, as `openssl genpkey` writes it).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key
sign_server server digitalSignature,keyEncipherment

make_server_ecdsa
make_client
