extension MontgomeryContext {
    /// `a⁻¹ mod n` for a `k`-limb `a`, or nil when `gcd(a, n) ≠ 1` (zero included).
    ///
    /// **Variable time.** The binary extended Euclidean algorithm (Menezes, van Oorschot,
    /// Vanstone, *Handbook of Applied Cryptography*, 1996, §14.4.3, algorithm 14.61, for an odd
    /// modulus): its number of steps and the path through them depend on `a`. Call it only on a
    /// value that is public or uniformly random and used once, never on a secret: RSA blinding
    /// inverts `r·b mod n` for two fresh random factors and keeps `b` secret, so what the timing
    /// could reveal about `r·b` says nothing about `r` (the method of BoringSSL's
    /// `bn_mod_inverse_blinded`).
    ///
    /// Invariant: `x₁·a ≡ u` and `x₂·a ≡ v (mod n)`, starting from `u = a, v = n`. Both odd, the
    /// larger loses the smaller, and the even difference is divided by its power of two (the
    /// matching `x` is divided by the same power mod n). The larger value drops at every step,
    /// so `u = v` is reached, and then `u = gcd(a, n)`.
    func inverse(limbs a: [UInt64]) -> [UInt64]? {
        let k = limbCount
        precondition(a.count == k, "inverse takes the modulus's limb count")
        guard a.contains(where: { $0 != 0 }) else { return nil }
        // One allocation for everything: u | v | x₁ | x₂ | scratch (k + 1).
        let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * k + 1)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: 5 * k + 1)
        let u = buffer, v = buffer + k, x1 = buffer + 2 * k, x2 = buffer + 3 * k, scratch = buffer + 4 * k
        u.update(from: a, count: k)
        v.update(from: modulusLimbs, count: k)
        x1[0] = 1
        return modulusLimbs.withUnsafeBufferPointer { n in
            let n = n.baseAddress!
            removeFactorsOfTwo(u, x1, n, scratch)
            while true {
                switch Self.compare(u, v, k) {
                case 0:
                    return u[0] == 1 && (1..<k).allSatisfy({ u[$0] == 0 }) ? Array(UnsafeBufferPointer(start: x1, count: k)) : nil
                case 1:
                    Self.subtract(u, v, k)
                    Self.subtractModulo(x1, x2, n, k)
                    removeFactorsOfTwo(u, x1, n, scratch)
                default:
                    Self.subtract(v, u, k)
                    Self.subtractModulo(x2, x1, n, k)
                    removeFactorsOfTwo(v, x2, n, scratch)
                }
            }
        }
    }

    /// Divides the nonzero `w` by 2^s so it becomes odd, and `x` by the same 2^s mod n. For
    /// `x/2^j` (j ≤ 63 at a time) it adds `c·n` with `c = x·(−n⁻¹) mod 2^j`, which makes the sum
    /// divisible by 2^j; since `x < n` and `c < 2^j` the quotient stays below n.
    private func removeFactorsOfTwo(_ w: UnsafeMutablePointer<UInt64>, _ x: UnsafeMutablePointer<UInt64>,
                                    _ n: UnsafePointer<UInt64>, _ widened: UnsafeMutablePointer<UInt64>) {
        let k = limbCount
        var zeroLimbs = 0
        while w[zeroLimbs] == 0 { zeroLimbs += 1 }
        let shift = 64 * zeroLimbs + w[zeroLimbs].trailingZeroBitCount
        Self.shiftRight(w, k, by: shift)
        var remaining = shift
        while remaining > 0 {
            let step = min(remaining, 63)
            let c = (x[0] &* modulusInverse) & ((1 << UInt64(step)) - 1)
            var carry: UInt64 = 0
            for i in 0..<k {
                let term = multiplyAdd(c, n[i], x[i], carry)
                widened[i] = term.low
                carry = term.high
            }
            widened[k] = carry
            Self.shiftRight(widened, k + 1, by: step)
            x.update(from: widened, count: k)
            remaining -= step
        }
    }

    private static func shiftRight(_ w: UnsafeMutablePointer<UInt64>, _ count: Int, by shift: Int) {
        let limbs = shift / 64, bits = UInt64(shift % 64)
        for i in 0..<count {
            let low = i + limbs < count ? w[i + limbs] : 0
            let high = i + limbs + 1 < count ? w[i + limbs + 1] : 0
            w[i] = bits == 0 ? low : low >> bits | high << (64 - bits)
        }
    }

    /// −1, 0 or 1 as `a` is below, equal to or above `b` (`k` limbs each).
    private static func compare(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ k: Int) -> Int {
        for i in stride(from: k - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return 0
    }

    /// `a −= b` for `a ≥ b` (`k` limbs each).
    private static func subtract(_ a: UnsafeMutablePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ k: Int) {
        var borrow: UInt64 = 0
        for i in 0..<k {
            let difference = UInt128(a[i]) &- UInt128(b[i]) &- UInt128(borrow)
            a[i] = UInt64(truncatingIfNeeded: difference)
            borrow = UInt64(truncatingIfNeeded: difference >> 127)
        }
    }

    /// `a = (a − b) mod n` for `a, b < n` (`k` limbs each).
    private static func subtractModulo(_ a: UnsafeMutablePointer<UInt64>, _ b: UnsafePointer<UInt64>,
                                       _ n: UnsafePointer<UInt64>, _ k: Int) {
        var borrow: UInt64 = 0
        for i in 0..<k {
            let difference = UInt128(a[i]) &- UInt128(b[i]) &- UInt128(borrow)
            a[i] = UInt64(truncatingIfNeeded: difference)
            borrow = UInt64(truncatingIfNeeded: difference >> 127)
        }
        let addBack = 0 &- borrow
        var carry: UInt64 = 0
        for i in 0..<k {
            let sum = UInt128(a[i]) + UInt128(n[i] & addBack) + UInt128(carry)
            a[i] = UInt64(truncatingIfNeeded: sum)
            carry = UInt64(truncatingIfNeeded: sum >> 64)
        }
    }
}
