/// Scalar multiplication k·P (SEC 1 v2 §2.2.1: P added to itself k times), the one expensive
/// operation of ECDH and ECDSA. Both methods read the scalar in fixed 4-bit windows and do the
/// same work for every scalar; each table is read by scanning all of its entries and keeping the
/// wanted one with masks, so neither the sequence of operations nor the memory addresses
/// touched depend on the secret digits.
extension P256.ProjectivePoint {
    typealias FieldElement = P256.FieldElement
    typealias AffinePoint = P256.AffinePoint

    /// Digit `window` (0 = least significant) of k in base 16. The window is a public loop
    /// position; the digit is secret and only ever used in mask computations.
    @inline(__always)
    private static func digit(_ k: U256, _ window: Int) -> UInt64 {
        (k.word(window / 16) >> UInt64(4 * (window % 16))) & 0xf
    }

    /// k·P for any point P and a secret k (a canonical number below n), in constant time.
    ///
    /// Fixed windows from the most significant digit down: four doublings, then the addition of
    /// table[digit], where table[i] = i·P. table[0] is O, which the complete formulas add like
    /// any other point, so a zero digit needs no special case: 252 doublings and 64 additions.
    static func multiply(_ point: AffinePoint, by k: U256) -> P256.ProjectivePoint {
        var table = [P256.ProjectivePoint](repeating: .identity, count: 16)
        table[1] = P256.ProjectivePoint(point)
        for i in 2..<16 {
            table[i] = i.isMultiple(of: 2) ? table[i / 2].doubled() : table[i - 1].adding(point)
        }
        var result = P256.ProjectivePoint.identity
        table.withUnsafeBufferPointer { table in
            for window in stride(from: 63, through: 0, by: -1) {
                if window != 63 {  // public loop position: doubling O at the start would change nothing
                    result = result.doubled().doubled().doubled().doubled()
                }
                let d = digit(k, window)
                var entry = table[0]
                for i in 1..<16 {
                    entry = select(UInt64.equalMask(UInt64(i), d), table[i], otherwise: entry)
                }
                result = result.adding(entry)
            }
        }
        return result
    }

    /// k·G for the generator G and a secret k (a canonical number below n), in constant time.
    ///
    /// With k = Σ d_i·16^i, k·G = Σ d_i·(16^i·G): one mixed addition of a precomputed affine
    /// point per digit and no doublings at all. A zero digit adds a dummy entry and the sum is
    /// thrown away by a mask, since an affine point cannot stand for O.
    static func multiplyGenerator(by k: U256) -> P256.ProjectivePoint {
        var result = P256.ProjectivePoint.identity
        generatorTable.withUnsafeBufferPointer { table in
            for window in 0..<64 {
                let d = digit(k, window)
                let row = table[(15 * window)..<(15 * window + 15)]
                var entry = row[row.startIndex]
                for i in 1..<15 {
                    entry = AffinePoint(x: .select(UInt64.equalMask(UInt64(i + 1), d), row[row.startIndex + i].x, otherwise: entry.x),
                                        y: .select(UInt64.equalMask(UInt64(i + 1), d), row[row.startIndex + i].y, otherwise: entry.y))
                }
                result = select(UInt64.isZeroMask(d), result, otherwise: result.adding(entry))
            }
        }
        return result
    }

    /// Row i (i = 0...63) holds j·16^i·G for j = 1...15, in affine form: 960 points (60 KiB),
    /// computed once, on first use, by 960 additions and one shared inversion.
    static let generatorTable: [AffinePoint] = {
        var points: [P256.ProjectivePoint] = []
        points.reserveCapacity(64 * 15)
        var rowBase = P256.ProjectivePoint(P256.generator)  // 16^i·G
        for _ in 0..<64 {
            var multiple = rowBase
            for _ in 1...15 {
                points.append(multiple)
                multiple = multiple.adding(rowBase)
            }
            rowBase = multiple  // 16·16^i·G
        }
        return affine(points)
    }()

    /// Many points to affine form with one inversion (Montgomery's trick): invert the product of
    /// all Z, then peel each 1/Z off with two multiplications. None of the points may be O.
    private static func affine(_ points: [P256.ProjectivePoint]) -> [AffinePoint] {
        var prefixProducts: [FieldElement] = []
        prefixProducts.reserveCapacity(points.count)
        var product = FieldElement.one
        for point in points {
            prefixProducts.append(product)
            product = product * point.z
        }
        var inverse = product.inverted()  // 1 / (Z_0 · ... · Z_last)
        var result = [AffinePoint](repeating: P256.generator, count: points.count)
        for index in points.indices.reversed() {
            let zInverse = inverse * prefixProducts[index]
            inverse = inverse * points[index].z
            result[index] = AffinePoint(x: points[index].x * zInverse, y: points[index].y * zInverse)
        }
        return result
    }
}
