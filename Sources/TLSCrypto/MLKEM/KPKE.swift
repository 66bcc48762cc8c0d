/// FIPS 203 §5: K-PKE, the public-key encryption scheme inside ML-KEM, with the ML-KEM-768
/// parameters of §8 (Table 2): k = 3, η1 = η2 = 2, du = 10, dv = 4.
///
/// K-PKE is not a KEM and is not safe to use on its own (FIPS 203 §5: "K-PKE is not approved
/// for use in a stand-alone fashion"); `MLKEM768` wraps it.
enum KPKE {
    static let k = 3
    static let du = 10
    static let dv = 4
    /// ByteEncode_12 of k polynomials: t̂ in ek, ŝ in dk.
    static let encodedVectorByteCount = 384 * k
    static let encryptionKeyByteCount = encodedVectorByteCount + 32
    static let ciphertextByteCount = 32 * (du * k + dv)

    /// Â[i, j] = SampleNTT(ρ ‖ j ‖ i) for i, j in 0..<k (Algorithm 13 steps 3-7, Algorithm 14
    /// steps 4-8), as k rows; or, `transposed`, the rows of Âᵀ, which Encrypt multiplies by,
    /// sampled directly as Âᵀ[i, j] = Â[j, i] = SampleNTT(ρ ‖ i ‖ j).
    static func sampleMatrix(rho: ArraySlice<UInt8>, transposed: Bool) -> InlineArray<3, PolynomialVector> {
        let positions = (0..<k * k).map { (row: $0 / k, column: $0 % k) }
        let entries = MLKEMSampling.sampleNTT(rho: rho, indices: positions.map { position in
            let (i, j) = transposed ? (position.column, position.row) : (position.row, position.column)
            return (j: UInt8(j), i: UInt8(i))
        })
        var rows = InlineArray<3, PolynomialVector>(repeating: .zero)
        for (position, entry) in zip(positions, entries) {
            rows[position.row][position.column] = entry
        }
        return rows
    }

    /// Â row by row, for the trace, from its rows or from the rows of Âᵀ.
    static func traceMatrix(_ rows: InlineArray<3, PolynomialVector>, transposed: Bool) -> [[UInt16]] {
        (0..<k * k).map { index in
            let (i, j) = (index / k, index % k)
            return (transposed ? rows[j][i] : rows[i][j]).canonicalCoefficients
        }
    }

    /// Polynomials of `polynomials` from `start` on as a vector of k.
    static func vector(_ polynomials: [Polynomial], from start: Int) -> PolynomialVector {
        PolynomialVector { polynomials[start + $0] }
    }

    /// K-PKE.KeyGen(d), FIPS 203 Algorithm 13: (ρ, σ) = G(d ‖ k), then `keyGen(rho:sigma:)`.
    /// The byte k in G's input (domain separation between parameter sets) is new in the final
    /// FIPS 203; the draft (and CCTV's intermediate values) hash d alone.
    static func keyGen(d: [UInt8], trace: inout MLKEM768.Trace?) -> (ek: [UInt8], dk: [UInt8]) {
        let g = SHA3_512.hash(d + [UInt8(k)])
        return keyGen(rho: g[0..<32], sigma: g[32..<64], trace: &trace)
    }

    /// K-PKE.KeyGen from step 2 on, given ρ and σ: returns ek_PKE = ByteEncode_12(t̂) ‖ ρ and
    /// dk_PKE = ByteEncode_12(ŝ).
    static func keyGen(rho: ArraySlice<UInt8>, sigma: ArraySlice<UInt8>, trace: inout MLKEM768.Trace?) -> (ek: [UInt8], dk: [UInt8]) {
        let aHat = sampleMatrix(rho: rho, transposed: false)
        // s and e: SamplePolyCBD_η1(PRF_η1(σ, N)) for N = 0..<2k.
        let noise = MLKEMSampling.samplePolyCBD2(seed: sigma, counters: 0..<UInt8(2 * k))
        let s = vector(noise, from: 0)
        let e = vector(noise, from: k)
        var sHat = s, eHat = e
        for i in 0..<k {
            NTT.ntt(&sHat[i])
            NTT.ntt(&eHat[i])
        }
        // t̂ = Â∘ŝ + ê. The dot products come out times 2^-16 (Montgomery); multiplying by 2^16
        // before adding ê puts them back.
        var tHat = PolynomialVector.zero
        for i in 0..<k {
            tHat[i] = NTT.dotProduct(aHat[i], sHat)
            tHat[i].multiplyByMontgomeryFactor()
            tHat[i] += eHat[i]
            tHat[i].reduce()
        }
        var ek: [UInt8] = []
        ek.reserveCapacity(encryptionKeyByteCount)
        MLKEMEncoding.byteEncode12(tHat, into: &ek)
        ek += rho
        var dk: [UInt8] = []
        dk.reserveCapacity(encodedVectorByteCount)
        MLKEMEncoding.byteEncode12(sHat, into: &dk)

        trace?.rho = Array(rho)
        trace?.sigma = Array(sigma)
        trace?.matrixA = traceMatrix(aHat, transposed: false)
        trace?.s = s.traceCoefficients
        trace?.e = e.traceCoefficients
        trace?.sHat = sHat.traceCoefficients
        trace?.eHat = eHat.traceCoefficients
        trace?.tHat = tHat.traceCoefficients
        return (ek, dk)
    }

    /// K-PKE.Encrypt(ek_PKE, m, r), FIPS 203 Algorithm 14: a 1088-byte ciphertext of the 32-byte
    /// message m, with all randomness derived from r. ek_PKE must have passed the modulus check.
    static func encrypt(ek: ArraySlice<UInt8>, m: ArraySlice<UInt8>, r: ArraySlice<UInt8>, trace: inout MLKEM768.Trace?) -> [UInt8] {
        let tHat = MLKEMEncoding.byteDecode12(ek[ek.startIndex..<ek.startIndex + encodedVectorByteCount])
        let aHatTransposed = sampleMatrix(rho: ek[(ek.startIndex + encodedVectorByteCount)...], transposed: true)
        // y, e1 and e2: SamplePolyCBD_η(PRF_η(r, N)) for N = 0..<2k+1 (η1 = η2 = 2 here).
        let noise = MLKEMSampling.samplePolyCBD2(seed: r, counters: 0..<UInt8(2 * k + 1))
        let y = vector(noise, from: 0)
        let e1 = vector(noise, from: k)
        let e2 = noise[2 * k]
        var yHat = y
        for i in 0..<k { NTT.ntt(&yHat[i]) }

        // u = NTT^-1(Âᵀ∘ŷ) + e1.
        var u = PolynomialVector.zero
        for i in 0..<k {
            u[i] = NTT.dotProduct(aHatTransposed[i], yHat)
            NTT.inverseNTT(&u[i])
            u[i] += e1[i]
            u[i].reduce()
        }
        // μ = Decompress_1(ByteDecode_1(m)); v = NTT^-1(t̂ᵀ∘ŷ) + e2 + μ.
        let mu = MLKEMEncoding.decompress(MLKEMEncoding.byteDecode(m, bits: 1), bits: 1)
        var v = NTT.dotProduct(tHat, yHat)
        NTT.inverseNTT(&v)
        v += e2
        v += mu
        v.reduce()

        var c: [UInt8] = []
        c.reserveCapacity(ciphertextByteCount)
        var compressedU = PolynomialVector.zero
        for i in 0..<k {
            compressedU[i] = MLKEMEncoding.compress(u[i], bits: du)
            MLKEMEncoding.byteEncode(compressedU[i], bits: du, into: &c)
        }
        let compressedV = MLKEMEncoding.compress(v, bits: dv)
        MLKEMEncoding.byteEncode(compressedV, bits: dv, into: &c)

        trace?.r = Array(r)
        trace?.matrixA = traceMatrix(aHatTransposed, transposed: true)
        trace?.y = y.traceCoefficients
        trace?.e1 = e1.traceCoefficients
        trace?.e2 = e2.canonicalCoefficients
        trace?.yHat = yHat.traceCoefficients
        trace?.u = u.traceCoefficients
        trace?.mu = mu.canonicalCoefficients
        trace?.v = v.canonicalCoefficients
        trace?.compressedU = compressedU.traceCoefficients
        trace?.compressedV = compressedV.canonicalCoefficients
        trace?.c1 = Array(c[0..<32 * du * k])
        trace?.c2 = Array(c[(32 * du * k)...])
        return c
    }

    /// K-PKE.Decrypt(dk_PKE, c), FIPS 203 Algorithm 15: the 32-byte message m'.
    static func decrypt(dk: ArraySlice<UInt8>, c: ArraySlice<UInt8>, trace: inout MLKEM768.Trace?) -> [UInt8] {
        var uPrime = PolynomialVector.zero
        for i in 0..<k {
            let start = c.startIndex + 32 * du * i
            uPrime[i] = MLKEMEncoding.decompress(MLKEMEncoding.byteDecode(c[start..<start + 32 * du], bits: du), bits: du)
        }
        let vPrime = MLKEMEncoding.decompress(MLKEMEncoding.byteDecode(c[(c.startIndex + 32 * du * k)...], bits: dv), bits: dv)
        let sHat = MLKEMEncoding.byteDecode12(dk)

        // w = v' − NTT^-1(ŝᵀ∘NTT(u')).
        var uPrimeHat = uPrime
        for i in 0..<k { NTT.ntt(&uPrimeHat[i]) }
        var product = NTT.dotProduct(sHat, uPrimeHat)
        NTT.inverseNTT(&product)
        var w = vPrime
        w -= product
        w.reduce()

        var m: [UInt8] = []
        m.reserveCapacity(32)
        MLKEMEncoding.byteEncode(MLKEMEncoding.compress(w, bits: 1), bits: 1, into: &m)

        trace?.uPrime = uPrime.traceCoefficients
        trace?.vPrime = vPrime.canonicalCoefficients
        trace?.uPrimeHat = uPrimeHat.traceCoefficients
        trace?.w = w.canonicalCoefficients
        return m
    }
}
