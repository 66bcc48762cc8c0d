#!/usr/bin/env python3
"""Writes the hand-made seeds of Tests/Fuzz/corpus from the project's vectors.

Each seed is a selector byte (Sources/TLSFuzz/FuzzTarget.swift) followed by that target's input:
  01 + a handshake message        every message RFC 8448 §3-§7 constructs, and the OpenSSL 3.0
                                  capture's (Tests/Vectors/openssl-chacha) decrypted messages
  02 + context + extension list   the extension blocks of those messages; the context byte is
                                  the index into ExtensionContext.allCases
  03 + alert, 04 + change_cipher_spec content
Seeds libFuzzer finds later (hex-named files) are added with `tls13-fuzz -merge=1`; this script
only (re)writes its own, named files. Run from the repository root: python3 Tests/Fuzz/make-seeds.py
"""
import json
import os
import re

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
        if m and m.group(1) in MESSAGES + ["payload"]:
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
            if m.group(1) != "payload":
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


def main():
    os.makedirs(CORPUS, exist_ok=True)
    seeds = {}
    messages = [(f"rfc8448-s{section}-{name}", value) for section, name, value in rfc8448_messages()]
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

    names = {}
    for data, name in seeds.items():
        names[name] = names.get(name, 0) + 1
        suffix = f"-{names[name]}" if names[name] > 1 else ""
        with open(os.path.join(CORPUS, name + suffix), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds)} seeds to {CORPUS}")


if __name__ == "__main__":
    main()
