#!/usr/bin/env python3
"""Writes the hand-made seeds of Tests/Fuzz/corpus from the project's vectors.

Each seed is a selector byte (Sources/TLSFuzz/FuzzTarget.swift) followed by that target's input:
  01 + a handshake message        every message RFC 8448 §3-§7 constructs, and the OpenSSL 3.0
                                  capture's (Tests/Vectors/openssl-chacha) decrypted messages
  02 + context + extension list   the extension blocks of those messages; the context byte is
                                  the index into ExtensionContext.allCases
  03 + alert, 04 + change_cipher_spec content
  10 + certificate DER, 11 + PEM text    the teaching PKI in cert/
  12 + format + RSA private key DER      cert/server.key as PKCS #8 (01) and PKCS #1 (00)
  20 + flags + chunk size + stream       the unprotected records of RFC 8448 and the OpenSSL
                                         capture; the capture's decrypted records as items the
                                         harness encrypts (see Sources/TLSFuzz/RecordLayerTarget.swift)
  30 + chunk size + client bytes         RFC 8448's ClientHello records and the capture's client
                                         side (the server answers; their Finished cannot match)
  31 + chunk size + server bytes         RFC 8448's ServerHello/HelloRetryRequest records and the
                                         capture's server side, after our client's ClientHello
The server and client seeds that complete a handshake, each side's bytes of a whole connection
between our client and our server, come from
`swift run -c release tls13-fuzz --record-seeds Tests/Fuzz/corpus`.
Seeds libFuzzer finds later (hex-named files) are added with `tls13-fuzz -merge=1`; this script
only (re)writes its own, named files. Run from the repository root: python3 Tests/Fuzz/make-seeds.py
"""
import base64
import json
import os
import re
import subprocess

CORPUS = "Tests/Fuzz/corpus"
RFC8448 = "Tests/Vectors/rfc/rfc8448.txt"
OPENSSL = "Tests/Vectors/openssl-chacha/openssl-chacha-trace.json"

MESSAGES = ["ClientHello", "ServerHello", "HelloRetryRequest", "EncryptedExtensions",
            "CertificateRequest", "Certificate", "CertificateVerify", "Finished",
            "NewSessionTicket", "EndOfEarlyData"]
# ExtensionContext.allCases order.
CONTEXTS = {"CH": 0, "SH": 1, "HRR": 2, "EE": 3, "CT": 4, "CR": 5, "NST": 6}
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


def rfc8448_messages():
    """(section, name, bytes) for every 'Name (N octets):  hex' value naming a handshake message."""
    lines = [l for l in open(RFC8448).read().split("\n")
             if not re.match(r"^(RFC 8448 |Thomson )", l) and "\f" not in l]
    section = 0
    found = []
    i = 0
    while i < len(lines):
        m = re.match(r"^(\d)\.  ", lines[i])
        if m:
            section = int(m.group(1))
        m = re.match(r"^\s+(\w+) \((\d+) octets\):\s+([0-9a-f ]+)$", lines[i])
        m = m or re.match(r"^\s+(complete record) \((\d+) octets\):\s+([0-9a-f ]+)$", lines[i])
        if m and m.group(1) in MESSAGES + ["payload", "complete record"]:
            text = m.group(3)
            i += 1
            # Continuation lines are indented further than the label; a page break leaves
            # blank lines between two of them.
            while True:
                j = i
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j == len(lines) or not re.match(r"^ {9}[0-9a-f]{2}( [0-9a-f]{2})*\s*$", lines[j]):
                    break
                text += " " + lines[j].strip()
                i = j + 1
            value = bytes.fromhex(text)
            assert len(value) == int(m.group(2)), (m.group(1), len(value))
            if m.group(1) == "complete record":
                found.append((section, "record", value))
            elif m.group(1) != "payload":
                found.append((section, m.group(1), value))
            else:
                # A record's payload: keep it when it is a run of whole handshake messages (the
                # 0-RTT ClientHello appears in full only here, with its binders).
                found += [(section, MESSAGES_BY_TYPE.get(message[0], "message"), message)
                          for message in split_messages(value)]
            continue
        i += 1
    return found


MESSAGES_BY_TYPE = {1: "ClientHello", 2: "ServerHello", 4: "NewSessionTicket", 5: "EndOfEarlyData",
                    8: "EncryptedExtensions", 11: "Certificate", 13: "CertificateRequest",
                    15: "CertificateVerify", 20: "Finished"}


def split_messages(content):
    """The handshake messages `content` consists of, or [] when it is not whole messages."""
    messages = []
    while content:
        if len(content) < 4 or content[0] not in MESSAGES_BY_TYPE:
            return []
        end = 4 + int.from_bytes(content[1:4], "big")
        if end > len(content):
            return []
        messages.append(content[:end])
        content = content[end:]
    return messages


def openssl_messages():
    """The decrypted handshake messages of the OpenSSL capture, split at message boundaries."""
    trace = json.load(open(OPENSSL))
    found = []
    for record in trace["records"]:
        if record.get("inner_content_type") == 22:
            content = bytes.fromhex(record["plaintext"])
        elif record["outer_type"] == 22:
            content = bytes.fromhex(record["record"])[5:]
        else:
            continue
        found += [(record["from"], message) for message in split_messages(content)]
    return found


def vector(data, offset, width):
    """The offset just after the `width`-byte length-prefixed vector at `offset`."""
    return offset + width + int.from_bytes(data[offset:offset + width], "big")


def extension_block(message):
    """(context, uint16-prefixed extension list) of a message that carries one, else None."""
    kind, body = message[0], message[4:]
    if kind == 1:  # ClientHello: version, random, session id, suites, compression
        offset = vector(body, vector(body, vector(body, 34, 1), 2), 1)
        return ("CH", body[offset:]) if offset < len(body) else None
    if kind == 2:  # ServerHello / HelloRetryRequest: version, random, session id, suite, compression
        offset = vector(body, 34, 1) + 3
        return ("HRR" if body[2:34] == HRR_RANDOM else "SH", body[offset:])
    if kind == 8:
        return ("EE", body)
    if kind == 13:  # CertificateRequest: context
        return ("CR", body[vector(body, 0, 1):])
    if kind == 4:  # NewSessionTicket: lifetime, age_add, nonce, ticket
        return ("NST", body[vector(body, vector(body, 8, 1), 2):])
    return None


def openssl_records():
    """(side, outer type, record bytes, inner type, plaintext) of every record of the capture."""
    trace = json.load(open(OPENSSL))
    return [(r["from"], r["outer_type"], bytes.fromhex(r["record"]), r.get("inner_content_type"),
             bytes.fromhex(r["plaintext"]) if r.get("plaintext") else None) for r in trace["records"]]


def record_layer_seeds(rfc_records):
    """Record layer inputs: flags, chunk size, stream (RecordLayerTarget's format)."""
    seeds = []
    window, protected, aes = 0x01, 0x02, 0x04
    for side in ("client", "server"):
        records = openssl_records()
        plain = b"".join(record for s, outer, record, _, _ in records if s == side and outer != 23)
        seeds.append((f"openssl-{side}-plaintext-records", bytes([window, 0]) + plain))
        seeds.append((f"openssl-{side}-plaintext-records-chunk3", bytes([window, 3]) + plain))
        items = b""
        for s, outer, record, inner, plaintext in records:
            if s != side:
                continue
            if inner is None:
                # Once a read key is in place only the ChangeCipherSpec may come unprotected.
                if outer == 20:
                    items += bytes([1]) + len(record).to_bytes(2, "big") + record
            else:
                inner_plaintext = plaintext + bytes([inner])
                items += bytes([0]) + len(inner_plaintext).to_bytes(2, "big") + inner_plaintext
        seeds.append((f"openssl-{side}-protected", bytes([window | protected, 0]) + items))
        seeds.append((f"openssl-{side}-protected-aes", bytes([window | protected | aes, 5]) + items))
    padded = b"\x01\x00\x15" + b"\x00" * 4  # a warning close_notify with 4 bytes of padding
    seeds.append(("padded-alert", bytes([protected, 0, 0]) + len(padded).to_bytes(2, "big") + padded))
    for label, record in rfc_records:
        if record[0] in (21, 22):
            seeds.append((label, bytes([window, 0]) + record))
    return seeds


def connection_seeds(rfc_records):
    """Peer byte streams for the server (30) and client (31) targets, delivered whole."""
    seeds = []
    for label, record in rfc_records:
        if record[0] == 22 and record[5] == 1:
            seeds.append((f"30-{label}-ClientHello", b"\x30\x00" + record))
        if record[0] == 22 and record[5] == 2:
            seeds.append((f"31-{label}-ServerHello", b"\x31\x00" + record))
    records = openssl_records()
    for side, selector in (("client", b"\x30"), ("server", b"\x31")):
        stream = b"".join(record for s, _, record, _, _ in records if s == side)
        seeds.append((f"{selector.hex()}-openssl-{side}-stream", selector + b"\x00" + stream))
    return seeds


def pem_der(text):
    """The DER of the first PEM block of `text`."""
    body = text.split("-----")[2]
    return base64.b64decode("".join(body.split()))


def pki_seeds():
    seeds = []
    for name in ("server.crt", "ca.crt"):
        text = open(f"cert/{name}").read()
        seeds.append((f"10-{name}", b"\x10" + pem_der(text)))
        seeds.append((f"11-{name}", b"\x11" + text.encode()))
    key = open("cert/server.key").read()
    seeds.append(("11-server.key", b"\x11" + key.encode()))
    seeds.append(("12-server.key-pkcs8", b"\x12\x01" + pem_der(key)))
    pkcs1 = subprocess.run(["openssl", "rsa", "-in", "cert/server.key", "-traditional", "-outform", "DER"],
                           check=True, capture_output=True).stdout
    seeds.append(("12-server.key-pkcs1", b"\x12\x00" + pkcs1))
    return seeds


def main():
    os.makedirs(CORPUS, exist_ok=True)
    seeds = {}
    rfc = rfc8448_messages()
    messages = [(f"rfc8448-s{section}-{name}", value) for section, name, value in rfc if name != "record"]
    rfc_records = [(f"rfc8448-s{section}-record", value) for section, name, value in rfc if name == "record"]
    messages += [(f"openssl-{side}-{value[0]:02x}", value) for side, value in openssl_messages()]
    for label, message in messages:
        seeds.setdefault(b"\x01" + message, f"01-{label}")
        block = extension_block(message)
        if block:
            context, data = block
            seeds.setdefault(bytes([2, CONTEXTS[context]]) + data, f"02-{context}-{label}")
    seeds.setdefault(bytes([3, 1, 0]), "03-close-notify")
    seeds.setdefault(bytes([3, 2, 50]), "03-fatal-decode-error")
    seeds.setdefault(bytes([4, 1]), "04-change-cipher-spec")
    for name, data in pki_seeds():
        seeds.setdefault(data, name)
    for label, data in record_layer_seeds(rfc_records):
        seeds.setdefault(b"\x20" + data, f"20-{label}")
    for name, data in connection_seeds(rfc_records):
        seeds.setdefault(data, name)

    names = {}
    for data, name in seeds.items():
        names[name] = names.get(name, 0) + 1
        suffix = f"-{names[name]}" if names[name] > 1 else ""
        with open(os.path.join(CORPUS, name + suffix), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds)} seeds to {CORPUS}")


if __name__ == "__main__":
    main()
