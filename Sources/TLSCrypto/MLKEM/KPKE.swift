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

    /// Â[i, j] = SampleNTT(ρ ‖ j ‖ i) for i, j in 0..<k, row by row (Algorithm 13 steps 3-7,
    /// Algorithm 14 steps 4-8).
    static func sampleMatrix(rho: ArraySlice<UInt8>) -> InlineArray<9, Polynomial> {
        var a = InlineArray<9, Polynomial>(repeating: Polynomial())
        for i in 0..<k {
            for j in 0..<k {
                a[k * i + j] = MLKEMSampling.sampleNTT(rho: rho, j: UInt8(j), i: UInt8(i))
            }
        }
        return a
    }

    /// k polynomials SamplePolyCBD_2(PRF_2(seed, N)) for N = firstCounter..<firstCounter+k.
    static func sampleVector(seed: ArraySlice<UInt8>, firstCounter: UInt8) -> PolynomialVector {
        var vector = PolynomialVector.zero
        for i in 0..<k {
            vector[i] = MLKEMSampling.samplePolyCBD2(seed: seed, counter: firstCounter + UInt8(i))
        }
        return vector
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
        let aHat = sampleMatrix(rho: rho)
        let s = sampleVector(seed: sigma, firstCounter: 0)
        let e = sampleVector(seed: sigma, firstCounter: UInt8(k))
        var sHat = s, eHat = e
        for i in 0..<k {
            NTT.ntt(&sHat[i])
            NTT.ntt(&eHat[i])
        }
        // t̂ = Â∘ŝ + ê. The dot products come out times 2^-16 (Montgomery); multiplying by 2^16
        // before adding ê puts them back.
        var tHat = PolynomialVector.zero
        for i in 0..<k {
            var row = NTT.dotProduct(rowOf: aHat, i, sHat)
            row.multiplyByMontgomeryFactor()
            tHat[i] = row + eHat[i]
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
        trace?.matrixA = (0..<9).map { aHat[$0].canonicalCoefficients }
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
        let aHat = sampleMatrix(rho: ek[(ek.startIndex + encodedVectorByteCount)...])
        let y = sampleVector(seed: r, firstCounter: 0)
        let e1 = sampleVector(seed: r, firstCounter: UInt8(k))
        let e2 = MLKEMSampling.samplePolyCBD2(seed: r, counter: UInt8(2 * k))
        var yHat = y
        for i in 0..<k { NTT.ntt(&yHat[i]) }

        // u = NTT^-1(Âᵀ∘ŷ) + e1: entry i of Âᵀ∘ŷ is column i of Â times ŷ.
        var u = PolynomialVector.zero
        for i in 0..<k {
            var column = NTT.dotProduct(columnOf: aHat, i, yHat)
            NTT.inverseNTT(&column)
            u[i] = column + e1[i]
            u[i].reduce()
        }
        // μ = Decompress_1(ByteDecode_1(m)); v = NTT^-1(t̂ᵀ∘ŷ) + e2 + μ.
        let mu = MLKEMEncoding.decompress(MLKEMEncoding.byteDecode(m, bits: 1), bits: 1)
        var v = NTT.dotProduct(tHat, yHat)
        NTT.inverseNTT(&v)
        v = v + e2 + mu
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
        trace?.matrixA = (0..<9).map { aHat[$0].canonicalCoefficients }
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
        var w = vPrime - product
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

extension NTT {
    /// Row i of Â times û: entry i of Â∘û.
    static func dotProduct(rowOf a: InlineArray<9, Polynomial>, _ i: Int, _ u: PolynomialVector) -> Polynomial {
        dotProduct(PolynomialVector { j in a[KPKE.k * i + j] }, u)
    }

    /// Column i of Â times û: entry i of Âᵀ∘û.
    static func dotProduct(columnOf a: InlineArray<9, Polynomial>, _ i: Int, _ u: PolynomialVector) -> Polynomial {
        dotProduct(PolynomialVector { j in a[KPKE.k * j + i] }, u)
    }
}
