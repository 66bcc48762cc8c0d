extension P256 {
    /// An integer modulo the group order n (SP 800-186 §3.2.1.3), in Montgomery form with
    /// R = 2^256: private keys, nonces, and the r, s of signatures.
    struct Scalar: MontgomeryResidue {
        var montgomery: U256

        @inline(__always)
        init(montgomery: U256) { self.montgomery = montgomery }

        static let modulus = U256(hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        static let rSquared = computeRSquared()
        static let one = Scalar(reducing: .one)
        /// −n⁻¹ mod 2^64: the multiple of n that clears an accumulator's lowest limb is that limb
        /// times this. Newton's iteration doubles the correct low bits each step (n·n ≡ 1 mod 8
        /// gives 3; five steps give 96).
        static let negativeInverse: UInt64 = {
            let n0 = modulus.w0
            var inverse = n0
            for _ in 0..<5 { inverse = inverse &* (2 &- n0 &* inverse) }
            return 0 &- inverse
        }()

        /// a·b·2^-256 mod n by CIOS (Koç, Acar, Kaliski 1996), the textbook way: n has no
        /// special shape. Scalars are used a handful of times per signature, so this needs no
        /// more speed.
        static func montgomeryProduct(_ a: U256, _ b: U256) -> U256 {
            var r = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            let n = modulus
            for i in 0..<4 {
                var carry: UInt64
                (r.0, carry) = UInt64.multiplyAdd(a.w0, b.word(i), r.0, carry: 0)
                (r.1, carry) = UInt64.multiplyAdd(a.w1, b.word(i), r.1, carry: carry)
                (r.2, carry) = UInt64.multiplyAdd(a.w2, b.word(i), r.2, carry: carry)
                (r.3, carry) = UInt64.multiplyAdd(a.w3, b.word(i), r.3, carry: carry)
                let (t4, t5) = UInt64.add(r.4, carry, carry: 0)

                let m = r.0 &* negativeInverse
                (_, carry) = UInt64.multiplyAdd(m, n.w0, r.0, carry: 0)
                let s1: UInt64, s2: UInt64, s3: UInt64
                (s1, carry) = UInt64.multiplyAdd(m, n.w1, r.1, carry: carry)
                (s2, carry) = UInt64.multiplyAdd(m, n.w2, r.2, carry: carry)
                (s3, carry) = UInt64.multiplyAdd(m, n.w3, r.3, carry: carry)
                let (s4, c4) = UInt64.add(t4, carry, carry: 0)
                r = (s1, s2, s3, s4, t5 &+ c4)
            }
            return subtractModulusIfNeeded(U256(r.0, r.1, r.2, r.3), carry: r.4)
        }

        /// A private key or nonce candidate: 32 big-endian bytes naming a number in [1, n − 1],
        /// or nil. Which candidates are rejected is public (they are discarded), so the early
        /// return leaks nothing about an accepted one.
        init?(nonZeroBigEndian bytes: some Collection<UInt8>) {
            guard bytes.count == P256.byteCount, let scalar = Scalar(canonical: U256(bigEndian: bytes)),
                  scalar.isZeroMask == 0 else { return nil }
            self = scalar
        }
    }
}
