#!/usr/bin/env python3
"""Writes Sources/TLSTool/RFC8448/RFC8448Inputs.swift: the inputs of RFC 8448 §3 and §5 (and the §2 RSA key),
copied from Tests/Vectors/rfc/rfc8448.txt, so `--rfc8448` works from any directory.
ToolTests/RFC8448ProfileTests checks every value against the RFC text again."""
import re, sys, os

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
text = open(os.path.join(root, "Tests/Vectors/rfc/rfc8448.txt")).read()
lines = [l for l in text.replace("\f", "").split("\n")
         if not re.match(r"^Thomson .*\[Page \d+\]$", l) and not l.startswith("RFC 8448 ")]

def section(start, end):
    s = next(i for i, l in enumerate(lines) if l.rstrip() == start)
    e = next(i for i, l in enumerate(lines) if l.rstrip() == end)
    return lines[s:e]

def value(block, label, step=None, index=0):
    """Hex of `label` (first occurrence after the heading `step`, skipping `index` such steps)."""
    i = 0
    if step:
        hits = [k for k, l in enumerate(block) if l.strip() == step]
        i = hits[index]
    pattern = re.compile(r"^\s+" + re.escape(label) + r"( \(\d+ octets\))?:\s+(.*)$")
    for k in range(i, len(block)):
        m = pattern.match(block[k])
        if m:
            hexes = m.group(2).split()
            for l in block[k + 1:]:
                words = l.split()
                if not words or not all(re.fullmatch(r"[0-9a-f]{2}", w) for w in words):
                    if words: break
                    continue
                hexes += words
            return hexes
    sys.exit(f"not found: {label} after {step}")

s2 = section("2.  Private Keys", "3.  Simple 1-RTT Handshake")
s3 = section("3.  Simple 1-RTT Handshake", "4.  Resumed 0-RTT Handshake")
values = [
    ("clientPrivateKey", "{client}  create an ephemeral x25519 key pair:", value(s3, "private key", "{client}  create an ephemeral x25519 key pair:")),
    ("clientHello", "{client}  construct a ClientHello handshake message:", value(s3, "ClientHello", "{client}  construct a ClientHello handshake message:")),
    ("serverPrivateKey", "{server}  create an ephemeral x25519 key pair:", value(s3, "private key", "{server}  create an ephemeral x25519 key pair:")),
    ("serverHello", "{server}  construct a ServerHello handshake message:", value(s3, "ServerHello", "{server}  construct a ServerHello handshake message:")),
    ("encryptedExtensions", "{server}  construct an EncryptedExtensions handshake message:", value(s3, "EncryptedExtensions", "{server}  construct an EncryptedExtensions handshake message:")),
    ("certificate", "{server}  construct a Certificate handshake message:", value(s3, "Certificate", "{server}  construct a Certificate handshake message:")),
    ("certificateVerify", "{server}  construct a CertificateVerify handshake message:", value(s3, "CertificateVerify", "{server}  construct a CertificateVerify handshake message:")),
    ("newSessionTicket", "{server}  construct a NewSessionTicket handshake message:", value(s3, "NewSessionTicket", "{server}  construct a NewSessionTicket handshake message:")),
    ("clientApplicationData", "{client}  send application_data record: payload", value(s3, "payload", "{client}  send application_data record:")),
    ("serverApplicationData", "{server}  send application_data record: payload", value(s3, "payload", "{server}  send application_data record:")),
    ("rsaModulus", "§2 modulus (public)", value(s2, "modulus (public)")),
    ("rsaPublicExponent", "§2 public exponent", value(s2, "public exponent")),
    ("rsaPrivateExponent", "§2 private exponent", value(s2, "private exponent")),
    ("rsaPrime1", "§2 prime1", value(s2, "prime1")),
    ("rsaPrime2", "§2 prime2", value(s2, "prime2")),
    ("rsaExponent1", "§2 exponent1", value(s2, "exponent1")),
    ("rsaExponent2", "§2 exponent2", value(s2, "exponent2")),
    ("rsaCoefficient", "§2 coefficient", value(s2, "coefficient")),
]
s5 = section("5.  HelloRetryRequest", "6.  Client Authentication")
section5 = [
    ("clientPrivateKey", "{client}  create an ephemeral x25519 key pair:", value(s5, "private key", "{client}  create an ephemeral x25519 key pair:")),
    ("clientHello", "{client}  construct a ClientHello handshake message: (the first)", value(s5, "ClientHello", "{client}  construct a ClientHello handshake message:")),
    ("helloRetryRequest", "{server}  construct a ServerHello handshake message: (the HelloRetryRequest)", value(s5, "ServerHello", "{server}  construct a ServerHello handshake message:")),
    ("clientRetryPrivateKey", "{client}  create an ephemeral P-256 key pair:", value(s5, "private key", "{client}  create an ephemeral P-256 key pair:")),
    ("retryClientHello", "{client}  construct a ClientHello handshake message: (the second)", value(s5, "ClientHello", "{client}  construct a ClientHello handshake message:", 1)),
    ("serverPrivateKey", "{server}  create an ephemeral P-256 key pair:", value(s5, "private key", "{server}  create an ephemeral P-256 key pair:")),
    ("serverHello", "{server}  construct a ServerHello handshake message: (the second)", value(s5, "ServerHello", "{server}  construct a ServerHello handshake message:", 1)),
    ("encryptedExtensions", "{server}  construct an EncryptedExtensions handshake message:", value(s5, "EncryptedExtensions", "{server}  construct an EncryptedExtensions handshake message:")),
    ("certificate", "{server}  construct a Certificate handshake message:", value(s5, "Certificate", "{server}  construct a Certificate handshake message:")),
    ("certificateVerify", "{server}  construct a CertificateVerify handshake message:", value(s5, "CertificateVerify", "{server}  construct a CertificateVerify handshake message:")),
]

def swift_enum(name, doc, values):
    out = [doc, f"enum {name} {{"]
    for key, origin, hexes in values:
        out.append(f"    /// {origin} ({len(hexes)} octets)")
        out.append(f"    static let {key} = \"\"\"")
        for k in range(0, len(hexes), 24):
            out.append("        " + " ".join(hexes[k:k + 24]))
        out.append("        \"\"\"")
    out.append("}")
    return out

out = ["// Generated by Scripts/generate-rfc8448-inputs.py from Tests/Vectors/rfc/rfc8448.txt",
       "// (RFC 8448, \"Example Handshake Traces for TLS 1.3\", §2, §3 and §5). Do not edit by hand:",
       "// RFC8448ProfileTests checks every value against the RFC text.",
       ""]
out += swift_enum("RFC8448Inputs", "/// The values RFC 8448 §3 starts from (and the §2 RSA key), as the RFC prints them.", values)
out.append("")
out += swift_enum("RFC8448Section5Inputs", "/// The values RFC 8448 §5 (HelloRetryRequest) starts from, as the RFC prints them.", section5)
open(os.path.join(root, "Sources/TLSTool/RFC8448/RFC8448Inputs.swift"), "w").write("\n".join(out) + "\n")
