extension MLKEM768 {
    /// The intermediate values of ML-KEM-768, for a trace that shows each step (FIPS 203
    /// §5-§6, with the spec's names). Filled only when a caller passes one to `generateKeyPair`,
    /// `encapsulate` or `decapsulate`; each operation sets its own fields and leaves the
    /// others as they were, so one trace can follow a key pair through all three.
    ///
    /// Polynomials are their 256 coefficients in 0..<q; vectors are k = 3 polynomials; the matrix
    /// Â is its 9 entries row by row (Â[0,0], Â[0,1], ..., Â[2,2]). The comments name the label
    /// of each value in the C2SP CCTV intermediate-value files, which the tests compare against.
    ///
    /// **It holds secrets** (s, the message m, the shared secret K): for teaching and debugging,
    /// never for a connection that protects real data.
    public struct Trace: Sendable, Equatable {
        public typealias Coefficients = [UInt16]

        // ML-KEM.KeyGen_internal (Algorithm 16) and K-PKE.KeyGen (Algorithm 13)
        /// The seeds d and z. (CCTV "d", "z")
        public var d: [UInt8]?
        public var z: [UInt8]?
        /// (ρ, σ) = G(d ‖ k): the public seed of Â and the secret seed of s and e. (CCTV "ρ", "σ")
        public var rho: [UInt8]?
        public var sigma: [UInt8]?
        /// Â[i, j] = SampleNTT(ρ ‖ j ‖ i), row by row. (CCTV "A"; "A[0, 0]" is the first entry)
        public var matrixA: [Coefficients]?
        /// s and e, sampled with SamplePolyCBD_η1 (−1 appears as q − 1). (CCTV "s", "e")
        public var s: [Coefficients]?
        public var e: [Coefficients]?
        /// ŝ = NTT(s), ê = NTT(e). (CCTV "NTT(s)", "NTT(e)")
        public var sHat: [Coefficients]?
        public var eHat: [Coefficients]?
        /// t̂ = Â∘ŝ + ê. (CCTV "t")
        public var tHat: [Coefficients]?
        /// ek = ByteEncode_12(t̂) ‖ ρ and dk = dk_PKE ‖ ek ‖ H(ek) ‖ z. (CCTV "ek", "dk", "H(ek)")
        public var encapsulationKey: [UInt8]?
        public var decapsulationKey: [UInt8]?
        public var encapsulationKeyHash: [UInt8]?

        // ML-KEM.Encaps_internal (Algorithm 17) and K-PKE.Encrypt (Algorithm 14)
        /// The random message m, and (K, r) = G(m ‖ H(ek)). (CCTV "m", "K", the first "r")
        public var m: [UInt8]?
        public var sharedSecret: [UInt8]?
        public var r: [UInt8]?
        /// y, e1 (SamplePolyCBD_η1 and _η2 from r) and e2. (CCTV: the second "r", "e1", "e2")
        public var y: [Coefficients]?
        public var e1: [Coefficients]?
        public var e2: Coefficients?
        /// ŷ = NTT(y). (CCTV "NTT(r)")
        public var yHat: [Coefficients]?
        /// u = NTT^-1(Âᵀ∘ŷ) + e1. (CCTV "u")
        public var u: [Coefficients]?
        /// μ = Decompress_1(ByteDecode_1(m)). (CCTV "μ")
        public var mu: Coefficients?
        /// v = NTT^-1(t̂ᵀ∘ŷ) + e2 + μ. (CCTV "v")
        public var v: Coefficients?
        /// Compress_du(u) and Compress_dv(v), and their encodings c1, c2. (CCTV "compress(u[0])",
        /// "compress(v)", "c1", "c2")
        public var compressedU: [Coefficients]?
        public var compressedV: Coefficients?
        public var c1: [UInt8]?
        public var c2: [UInt8]?
        public var ciphertext: [UInt8]?

        // ML-KEM.Decaps_internal (Algorithm 18) and K-PKE.Decrypt (Algorithm 15)
        /// u' = Decompress_du(ByteDecode_du(c1)), v' likewise from c2. (CCTV "uᵈ", "vᵈ")
        public var uPrime: [Coefficients]?
        public var vPrime: Coefficients?
        /// NTT(u'). (CCTV "NTT(uᵈ)")
        public var uPrimeHat: [Coefficients]?
        /// w = v' − NTT^-1(ŝᵀ∘NTT(u')). (CCTV "w")
        public var w: Coefficients?
        /// m' = ByteEncode_1(Compress_1(w)), (K', r') = G(m' ‖ h), c' = K-PKE.Encrypt(ek, m', r').
        public var mPrime: [UInt8]?
        public var sharedSecretPrime: [UInt8]?
        public var rPrime: [UInt8]?
        public var ciphertextPrime: [UInt8]?
        /// K̄ = J(z ‖ c), the implicit-rejection secret. (CCTV "KBar")
        public var sharedSecretBar: [UInt8]?
        /// Whether c ≠ c' and decapsulation returned K̄. Computed only for the trace: the
        /// decapsulation itself selects between K' and K̄ with a mask, without a branch.
        public var implicitlyRejected: Bool?

        public init() {}
    }
}

extension PolynomialVector {
    var traceCoefficients: [[UInt16]] { (0..<3).map { self[$0].canonicalCoefficients } }
}
