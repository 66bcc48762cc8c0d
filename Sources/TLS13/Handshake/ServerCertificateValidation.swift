import Foundation
import TLSCrypto

/// How the client decides to believe the server's Certificate message (RFC 8446 §4.4.2.4 leaves
/// the method to the application; RFC 5280 §6 path validation, simplified to what a teaching
/// client needs). Every decision is reported as a `.check` event in words, and every refusal
/// carries the RFC 8446 §6.2 alert that names it:
///
/// - no path to a trust anchor → unknown_ca
/// - a signature in the path that does not verify → bad_certificate
/// - a certificate outside its validity period → certificate_expired ("has expired or is not
///   currently valid")
/// - an issuer that is not a CA (basicConstraints) → bad_certificate
/// - a leaf that does not name the server → bad_certificate (as Go crypto/tls does; the
///   certificate is fine, it is just not this server's)
struct ServerCertificateValidation {
    let configuration: TLSConfiguration
    let events: EventSink

    /// `chain` is the server's list, leaf first, already parsed.
    func validate(_ chain: [Certificate]) throws {
        guard let leaf = chain.first else {
            throw TLSError(.decodeError, "the server's Certificate message is empty")
        }
        switch configuration.certificateVerification {
        case .insecure:
            events(.note("certificate chain and name NOT checked (insecure mode); CertificateVerify and Finished still are"))
        case .pinned(let der):
            let matches = leaf.der == der
            events(.check("server certificate is exactly the pinned certificate", passed: matches))
            guard matches else {
                throw TLSError(.badCertificate, "the server's certificate is not the pinned one")
            }
        case .full:
            try validatePath(chain)
            try validateName(leaf)
        }
    }

    /// Walks from the leaf up: each certificate must be valid now and signed either by a trust
    /// anchor (done) or by the next certificate of the list, which must then be a CA.
    private func validatePath(_ chain: [Certificate]) throws {
        let now = configuration.now()
        for (index, certificate) in chain.enumerated() {
            try checkValidity(certificate, at: now)
            if configuration.trustAnchors.contains(certificate) {
                events(.check("\"\(certificate.subject)\" is one of our trust anchors", passed: true))
                return
            }
            if let anchor = configuration.trustAnchors.first(where: { certificate.isSignature(by: $0) }) {
                events(.check("\"\(certificate.subject)\" is signed by trust anchor \"\(anchor.subject)\"", passed: true))
                try checkIsCA(anchor)
                try checkValidity(anchor, at: now)
                return
            }
            guard index + 1 < chain.count else { break }
            let issuer = chain[index + 1]
            let signed = certificate.isSignature(by: issuer)
            if !signed && certificate.issuer == issuer.subject {
                events(.check("\"\(certificate.subject)\" is signed by \"\(issuer.subject)\"", passed: false))
                throw TLSError(.badCertificate, "the signature on \"\(certificate.subject)\" does not verify with the key of \"\(issuer.subject)\"")
            }
            guard signed else { break }
            events(.check("\"\(certificate.subject)\" is signed by \"\(issuer.subject)\"", passed: true))
            try checkIsCA(issuer)
        }
        let top = chain.last.map { "\"\($0.issuer)\"" } ?? "nobody"
        events(.check("the chain leads to one of our \(configuration.trustAnchors.count) trust anchor(s)", passed: false))
        throw TLSError(.unknownCA, "no trust anchor issued the chain (it ends at a certificate issued by \(top))")
    }

    private func checkValidity(_ certificate: Certificate, at now: Date) throws {
        let valid = certificate.notBefore <= now && now <= certificate.notAfter
        events(.check("\"\(certificate.subject)\" is valid now (\(certificate.notBefore) to \(certificate.notAfter))", passed: valid))
        guard valid else {
            throw TLSError(.certificateExpired, "\"\(certificate.subject)\" is valid from \(certificate.notBefore) to \(certificate.notAfter), not at \(now)")
        }
    }

    private func checkIsCA(_ issuer: Certificate) throws {
        let isCA = issuer.basicConstraints?.isCA == true
        events(.check("issuer \"\(issuer.subject)\" is a CA (basicConstraints cA = TRUE)", passed: isCA))
        guard isCA else {
            throw TLSError(.badCertificate, "\"\(issuer.subject)\" issued a certificate but is not a CA")
        }
    }

    private func validateName(_ leaf: Certificate) throws {
        guard let serverName = configuration.serverName else {
            events(.note("no server name configured: the certificate's names are not checked"))
            return
        }
        let identity = ServerIdentity(serverName)
        let names = leaf.subjectAltNames
        let matched = names.contains { identity.isNamed(by: $0) }
        let listed = names.isEmpty ? "none" : names.map(\.description).joined(separator: ", ")
        events(.check("certificate names \(identity) (subjectAltName: \(listed))", passed: matched))
        guard matched else {
            throw TLSError(.badCertificate, "the certificate is for \(listed), not \(identity)")
        }
    }
}
