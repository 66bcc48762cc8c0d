extension P256 {
    /// A point (x, y) of the curve in affine coordinates; never the point at infinity, which has
    /// no affine coordinates.
    struct AffinePoint: Sendable {
        var x: FieldElement
        var y: FieldElement

        /// SEC 1 v2 §2.3.4 (octet string to point), uncompressed form only, followed by the
        /// public key validation of §3.2.2.1. Every check is on public data, so failing early is
        /// safe. Step 4 of §3.2.2.1 (n·Q = O) is not needed: the cofactor is 1, so every point on
        /// the curve other than O has order n.
        init(x963Representation bytes: [UInt8]) throws {
            guard bytes.count == 1 + 2 * P256.byteCount else {
                if bytes == [0x00] {
                    throw CryptoError(.invalidPublicKey, "P-256 public key is the point at infinity (0x00)")
                }
                if bytes.count == 1 + P256.byteCount, bytes[0] == 0x02 || bytes[0] == 0x03 {
                    throw CryptoError(.invalidPublicKey, "P-256 public key is compressed; only the uncompressed form 0x04 || X || Y is accepted")
                }
                throw CryptoError(.invalidPublicKey, "P-256 public key is \(bytes.count) bytes, not 65 (0x04 || X || Y)")
            }
            guard bytes[0] == 0x04 else {
                throw CryptoError(.invalidPublicKey, "P-256 public key starts with 0x\([bytes[0]].hexString), not 0x04 (uncompressed)")
            }
            guard let x = FieldElement(canonical: U256(bigEndian: bytes[1...32])),
                  let y = FieldElement(canonical: U256(bigEndian: bytes[33...64])) else {
                throw CryptoError(.invalidPublicKey, "P-256 public key has a coordinate not below p (SEC 1 §3.2.2.1 step 2)")
            }
            self.init(x: x, y: y)
            guard isOnCurve else {
                throw CryptoError(.invalidPublicKey, "P-256 public key is not on the curve y² = x³ − 3x + b (SEC 1 §3.2.2.1 step 3)")
            }
        }

        init(x: FieldElement, y: FieldElement) {
            self.x = x
            self.y = y
        }

        /// SEC 1 v2 §2.3.3 (point to octet string), uncompressed: 0x04 || X || Y.
        var x963Representation: [UInt8] { [0x04] + x.bigEndianBytes + y.bigEndianBytes }

        /// y² = x³ − 3x + b (SP 800-186 §3.2.1.3).
        var isOnCurve: Bool {
            let rightSide = (x.squared() - FieldElement.one - FieldElement.one - FieldElement.one) * x + FieldElement.b
            return y.squared().equalMask(rightSide) != 0
        }
    }

    /// A point in homogeneous projective coordinates (X : Y : Z), standing for (X/Z, Y/Z); the
    /// point at infinity O is (0 : 1 : 0).
    ///
    /// Addition and doubling use the complete formulas of Renes, Costello and Batina, "Complete
    /// addition formulas for prime order elliptic curves" (EUROCRYPT 2016, eprint 2015/1060),
    /// for a = −3: they give the right answer for every pair of inputs (P + P, P + O, P + (−P)
    /// included), so no code path ever depends on which points meet, and scalar multiplication
    /// needs no special cases. Step numbers in comments are the paper's.
    struct ProjectivePoint: Sendable {
        var x: FieldElement
        var y: FieldElement
        var z: FieldElement

        static let identity = ProjectivePoint(x: .zero, y: .one, z: .zero)

        init(x: FieldElement, y: FieldElement, z: FieldElement) {
            self.x = x
            self.y = y
            self.z = z
        }

        init(_ point: AffinePoint) {
            self.init(x: point.x, y: point.y, z: .one)
        }

        /// RCB 2016 Algorithm 4: complete projective addition, a = −3 (12M + 2m_b + 29a).
        func adding(_ q: ProjectivePoint) -> ProjectivePoint {
            let t0 = x * q.x, t1 = y * q.y, t2 = z * q.z              // 1-3
            var t3 = (x + y) * (q.x + q.y)                            // 4-6
            t3 = t3 - (t0 + t1)                                       // 7-8: X1Y2 + X2Y1
            var t4 = (y + z) * (q.y + q.z)                            // 9-11
            t4 = t4 - (t1 + t2)                                       // 12-13: Y1Z2 + Y2Z1
            let x3 = (x + z) * (q.x + q.z)                            // 14-16
            let y3 = x3 - (t0 + t2)                                   // 17-18: X1Z2 + X2Z1
            return Self.finishAddition(t0: t0, t1: t1, t2: t2, t3: t3, t4: t4, y3: y3)
        }

        /// RCB 2016 Algorithm 5: complete mixed addition, a = −3 (11M + 2m_b + 23a). `q` is
        /// affine (Z2 = 1), so it cannot be O; every value of `self`, O included, is fine. Steps
        /// 1-11 compute what Algorithm 4 does with Z2 = 1, more cheaply.
        func adding(_ q: AffinePoint) -> ProjectivePoint {
            let t0 = x * q.x, t1 = y * q.y                            // 1-2
            var t3 = (q.x + q.y) * (x + y)                            // 3-5
            t3 = t3 - (t0 + t1)                                       // 6-7: X1Y2 + X2Y1
            let t4 = q.y * z + y                                      // 8-9: Y1 + Y2Z1
            let y3 = q.x * z + x                                      // 10-11: X1 + X2Z1
            return Self.finishAddition(t0: t0, t1: t1, t2: z, t3: t3, t4: t4, y3: y3)
        }

        /// The common end of Algorithms 4 and 5 (steps 19-43 of 4, 12-36 of 5), from
        /// t0 = X1X2, t1 = Y1Y2, t2 = Z1Z2, t3 = X1Y2 + X2Y1, t4 = Y1Z2 + Y2Z1,
        /// y3 = X1Z2 + X2Z1. Step numbers are Algorithm 4's.
        @inline(__always)
        private static func finishAddition(t0: FieldElement, t1: FieldElement, t2: FieldElement,
                                           t3: FieldElement, t4: FieldElement, y3: FieldElement) -> ProjectivePoint {
            let b = FieldElement.b
            var t0 = t0, t1 = t1, t2 = t2, y3 = y3
            var z3 = b * t2                                           // 19
            var x3 = y3 - z3                                          // 20
            z3 = x3 + x3                                              // 21
            x3 = x3 + z3                                              // 22
            z3 = t1 - x3                                              // 23
            x3 = t1 + x3                                              // 24
            y3 = b * y3                                               // 25
            t1 = t2 + t2                                              // 26
            t2 = t1 + t2                                              // 27
            y3 = y3 - t2                                              // 28
            y3 = y3 - t0                                              // 29
            t1 = y3 + y3                                              // 30
            y3 = t1 + y3                                              // 31
            t1 = t0 + t0                                              // 32
            t0 = t1 + t0                                              // 33
            t0 = t0 - t2                                              // 34
            t1 = t4 * y3                                              // 35
            t2 = t0 * y3                                              // 36
            y3 = x3 * z3                                              // 37
            y3 = y3 + t2                                              // 38
            x3 = t3 * x3                                              // 39
            x3 = x3 - t1                                              // 40
            z3 = t4 * z3                                              // 41
            t1 = t3 * t0                                              // 42
            z3 = z3 + t1                                              // 43
            return ProjectivePoint(x: x3, y: y3, z: z3)
        }

        /// RCB 2016 Algorithm 6: exception-free doubling, a = −3 (8M + 3S + 2m_b + 21a).
        func doubled() -> ProjectivePoint {
            let b = FieldElement.b
            var t0 = x.squared(), t1 = y.squared(), t2 = z.squared()  // 1-3
            var t3 = x * y                                            // 4
            t3 = t3 + t3                                              // 5
            var z3 = x * z                                            // 6
            z3 = z3 + z3                                              // 7
            var y3 = b * t2                                           // 8
            y3 = y3 - z3                                              // 9
            var x3 = y3 + y3                                          // 10
            y3 = x3 + y3                                              // 11
            x3 = t1 - y3                                              // 12
            y3 = t1 + y3                                              // 13
            y3 = x3 * y3                                              // 14
            x3 = x3 * t3                                              // 15
            t3 = t2 + t2                                              // 16
            t2 = t2 + t3                                              // 17
            z3 = b * z3                                               // 18
            z3 = z3 - t2                                              // 19
            z3 = z3 - t0                                              // 20
            t3 = z3 + z3                                              // 21
            z3 = z3 + t3                                              // 22
            t3 = t0 + t0                                              // 23
            t0 = t3 + t0                                              // 24
            t0 = t0 - t2                                              // 25
            t0 = t0 * z3                                              // 26
            y3 = y3 + t0                                              // 27
            t0 = y * z                                                // 28
            t0 = t0 + t0                                              // 29
            z3 = t0 * z3                                              // 30
            x3 = x3 - z3                                              // 31
            z3 = t0 * t1                                              // 32
            z3 = z3 + z3                                              // 33
            z3 = z3 + z3                                              // 34
            return ProjectivePoint(x: x3, y: y3, z: z3)
        }

        /// `ifSet` where `mask` is all ones, `otherwise` where it is zero.
        @inline(__always)
        static func select(_ mask: UInt64, _ ifSet: ProjectivePoint, otherwise: ProjectivePoint) -> ProjectivePoint {
            ProjectivePoint(x: .select(mask, ifSet.x, otherwise: otherwise.x),
                            y: .select(mask, ifSet.y, otherwise: otherwise.y),
                            z: .select(mask, ifSet.z, otherwise: otherwise.z))
        }

        /// (X/Z, Y/Z), or nil for the point at infinity (Z = 0). Whether a result is O is public
        /// in every use here (it is an error), so the early return is safe.
        var affine: AffinePoint? {
            guard z.isZeroMask == 0 else { return nil }
            let zInverse = z.inverted()
            return AffinePoint(x: x * zInverse, y: y * zInverse)
        }
    }
}
