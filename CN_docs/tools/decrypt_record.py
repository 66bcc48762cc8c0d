#!/usr/bin/env python3
"""手工解密一个 TLS 1.3 ChaCha20-Poly1305 记录，逐步打印每个中间值（见 03-记录层.md）。

用法: python3 CN_docs/tools/decrypt_record.py KEY_HEX IV_HEX SEQ RECORD_HEX
十六进制可以带空格（直接从 transcript 里复制）。需要 Python 的 cryptography 包。
"""
import sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.poly1305 import Poly1305
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305


def unhex(s):
    return bytes.fromhex("".join(s.split()))


def h(b):
    return " ".join(f"{x:02x}" for x in b)


def keystream(key, nonce, counter, length):
    # cryptography 的 ChaCha20 要 16 字节 "nonce" = 小端 32 位计数器 || 96 位 nonce (RFC 8439 §2.3)
    full = counter.to_bytes(4, "little") + nonce
    enc = Cipher(algorithms.ChaCha20(key, full), mode=None).encryptor()
    return enc.update(bytes(length))


def main():
    key, iv, seq, record = unhex(sys.argv[1]), unhex(sys.argv[2]), int(sys.argv[3]), unhex(sys.argv[4])
    header, body = record[:5], record[5:]
    ciphertext, tag = body[:-16], body[-16:]
    print("header (= additional data):", h(header))
    print("  type", header[0], " legacy_record_version", h(header[1:3]), " length", int.from_bytes(header[3:5], "big"))
    seq_bytes = seq.to_bytes(12, "big")
    nonce = bytes(a ^ b for a, b in zip(iv, seq_bytes))
    print("iv                 :", h(iv))
    print("seq (12 bytes, BE) :", h(seq_bytes))
    print("nonce = iv XOR seq :", h(nonce))
    block0 = keystream(key, nonce, 0, 64)
    otk = block0[:32]
    print("Poly1305 key (ChaCha20 block 0, first 32 bytes):", h(otk))
    pad = lambda b: bytes((16 - len(b) % 16) % 16)
    mac_data = header + pad(header) + ciphertext + pad(ciphertext) + len(header).to_bytes(8, "little") + len(ciphertext).to_bytes(8, "little")
    print("Poly1305 input:", h(mac_data))
    expected = Poly1305.generate_tag(otk, mac_data)
    print("tag computed :", h(expected))
    print("tag received :", h(tag), "->", "equal" if expected == tag else "DIFFERENT")
    ks = keystream(key, nonce, 1, len(ciphertext))
    print("i   cipher  keystream  plain")
    plain = bytes(c ^ k for c, k in zip(ciphertext, ks))
    for i, (c, k, p) in enumerate(zip(ciphertext, ks, plain)):
        ch = chr(p) if 32 <= p < 127 else "."
        print(f"{i:2d}  {c:02x}      {k:02x}         {p:02x}  {ch!r}")
    print("TLSInnerPlaintext:", h(plain))
    # 交叉验证：用库的 AEAD 一次性解开
    assert ChaCha20Poly1305(key).decrypt(nonce, body, header) == plain
    content_end = len(plain.rstrip(b"\x00"))
    print("content:", plain[:content_end - 1], " inner type:", plain[content_end - 1], " padding:", len(plain) - content_end)


main()
