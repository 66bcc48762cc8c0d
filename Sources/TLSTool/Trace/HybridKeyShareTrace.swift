import TLS13
import TLSCrypto

extension ValueTable {
    /// The halves of an X25519MLKEM768 key pair: the client's (ML-KEM seed d‖z, X25519 key; its
    /// share an encapsulation key and an X25519 public key) or the server's (its X25519 key; its
    /// share a ciphertext encapsulated to the client's key, and an X25519 public key).
    mutating func add(explainingHybrid privateKey: [UInt8], _ keyExchange: [UInt8]) {
        let isClient = keyExchange.count == X25519MLKEM768Group.clientShareByteCount
        if isClient, privateKey.count == MLKEM768.seedByteCount + 32 {
            add("private key", text: "ML-KEM-768 seed d‖z (64) ‖ X25519 private key (32)")
            add("  ML-KEM seed", Array(privateKey.prefix(MLKEM768.seedByteCount)))
            add("  X25519", Array(privateKey.suffix(32)))
        } else {
            add("private key", text: "X25519 only: the server's ML-KEM half is an encapsulation, no key pair")
            add("  X25519", privateKey)
        }
        let mlkemLength = keyExchange.count - 32
        guard mlkemLength > 0 else { return }
        add("public key", text: "\(keyExchange.count) octets, the key_exchange of the key share")
        add(isClient ? "  ML-KEM ek" : "  ML-KEM ct", Array(keyExchange.prefix(mlkemLength)))
        add("  X25519", Array(keyExchange.suffix(32)))
    }

    /// FIPS 203 KeyGen recomputed from the client's seed d ‖ z with `MLKEM768.Trace` (the values
    /// the tests check against C2SP CCTV's intermediate values): the seeds, the first
    /// coefficients of the secret s, the error e and the public t̂, and H(ek).
    static func mlkemKeyGenSteps(seed: [UInt8]) -> ValueTable? {
        var trace = MLKEM768.Trace()
        guard (try? MLKEM768.generateKeyPair(seed: seed, trace: &trace)) != nil,
              let rho = trace.rho, let sigma = trace.sigma, let s = trace.s?.first, let e = trace.e?.first,
              let tHat = trace.tHat?.first, let hash = trace.encapsulationKeyHash else { return nil }
        func first8(_ coefficients: [UInt16]) -> String {
            coefficients.prefix(8).map { $0 > 3329 / 2 ? "-\(3329 - Int($0))" : "\($0)" }.joined(separator: " ") + " …"
        }
        var table = ValueTable()
        table.add("ρ (public)", rho)
        table.add("σ (secret)", sigma)
        table.add("s[0] (CBD η=2)", text: first8(s))
        table.add("e[0] (CBD η=2)", text: first8(e))
        table.add("t̂[0] = Â∘ŝ + ê", text: first8(tHat) + " (mod 3329)")
        table.add("H(ek)", hash)
        return table
    }

    /// Why the halves are there, under the table.
    static func hybridExplanation(isClient: Bool) -> [String] {
        // One paragraph each: the trace wraps it at the terminal's width.
        isClient
            ? ["public key = ML-KEM-768 encapsulation key (1184) ‖ X25519 public key (32); the "
               + "server encapsulates a secret to the first half and does X25519 with the second"]
            : ["public key = ML-KEM-768 ciphertext (1088) ‖ X25519 public key (32); only the "
               + "client's decapsulation key opens the ciphertext. The shared secret entering "
               + "HKDF-Extract is ML-KEM's 32 bytes ‖ X25519's 32 (draft-ietf-tls-ecdhe-mlkem §3)"]
    }
}
