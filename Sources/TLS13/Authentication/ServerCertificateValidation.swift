import Foundation
import TLSCrypto

/// How the client decides to believe the server's Certificate message, and a server asking for
/// client certificates the client's (RFC 8446 §4.4.2.4 leaves the method to the application; RFC 5280 §6 path validation, simplified to what a teaching
/// client needs). Every decision is reported as a `.check` event in words, and every refusal
/// carries the RFC 8446 §6.2 alert that names it:
///
/// - no path to a trust anchor → unknown_ca
/// - a signature in the path that does not verify → bad_certificate
/// - a certificate outside its validity period → certificate_expired ("has expired or is not
///   currently valid")
/// - an issuer that is not a CA (basicConstraints) → bad_certificate
/// - an issuer whose keyUsage lacks keyCertSign, whose pathLenConstraint is exceeded, or a leaf
///   whose keyUsage lacks digitalSignature or whose extKeyUsage lacks serverAuth (clientAuth for
///   a client's certificate) (RFC 5280
///   §4.2.1.3, §4.2.1.9, §4.2.1.12) → bad_certificate
/// - a critical extension we do not understand (RFC 5280 §4.2: "A certificate-using system MUST
///   reject the certificate") → unsupported_certificate
/// - a leaf that does not name the server → bad_certificate (as Go crypto/tls does; the
///   certificate is fine, it is just not this server's). A client's certificate names a person
///   or a machine, not a host we connected to: it has no name to check.
struct ServerCertificateValidation {
    let configuration: TLSConfiguration
    let events: EventSink
    /// Whose chain this is: the server's (checked by a client) or the client's (by a server).
    var peer: Side = .server

    /// `chain` is the peer's list, leaf first, already parsed.
    func validate(_ chain: [Certificate]) throws {
        guard let leaf = chain.first else {
            throw TLSError(.decodeError, "the \(peer)'s Certificate message is empty")
        }
        switch configuration.certificateVerification {
        case .insecure:
            events(.note("certificate chain and name NOT checked (insecure mode); CertificateVerify and Finished still are"))
        case .pinned(let der):
            let matches = leaf.der == der
            events(.check("\(peer) certificate is exactly the pinned certificate", passed: matches))
            guard matches else {
                throw TLSError(.badCertificate, "the \(peer)'s certificate is not the pinned one")
            }
        case .full:
            try validatePath(chain)
            try checkLeafUsage(leaf)
            if peer == .server { try validateName(leaf) }
        }
    }

    /// Walks from the leaf up: each certificate must be valid now and signed either by a trust
    /// anchor (done) or by the next certificate of the list, which must then be a CA.
    private func validatePath(_ chain: [Certificate]) throws {
        let now = configuration.now()
        for (index, certificate) in chain.enumerated() {
            try checkValidity(certificate, at: now)
            try checkCriticalExtensions(certificate)
            if configuration.trustAnchors.contains(certificate) {
                events(.check("\"\(certificate.subject)\" is one of our trust anchors", passed: true))
                return
            }
            if let anchor = configuration.trustAnchors.first(where: { certificate.isSignature(by: $0) }) {
                events(.check("\"\(certificate.subject)\" is signed by trust anchor \"\(anchor.subject)\"", passed: true))
                try checkIsCA(anchor, intermediatesBelow: index)
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
            try checkIsCA(issuer, intermediatesBelow: index)
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

    /// RFC 5280 §4.2.1.9: an issuer must be a CA whose pathLenConstraint allows the
    /// `intermediatesBelow` CA certificates between it and the leaf; §4.2.1.3: if it states a
    /// keyUsage, that must include keyCertSign.
    private func checkIsCA(_ issuer: Certificate, intermediatesBelow: Int) throws {
        let isCA = issuer.basicConstraints?.isCA == true
        events(.check("issuer \"\(issuer.subject)\" is a CA (basicConstraints cA = TRUE)", passed: isCA, rule: Self.pathLengthRule))
        guard isCA else {
            throw TLSError(.badCertificate, "\"\(issuer.subject)\" issued a certificate but is not a CA")
        }
        if let pathLength = issuer.basicConstraints?.pathLength, intermediatesBelow > pathLength {
            events(.check("issuer \"\(issuer.subject)\" allows \(intermediatesBelow) intermediate CA(s) below it", passed: false, rule: Self.pathLengthRule))
            throw TLSError(.badCertificate, "\"\(issuer.subject)\" allows \(pathLength) intermediate CA(s) below it, the chain has \(intermediatesBelow)")
        }
        if let usage = issuer.keyUsage, !usage.contains(.keyCertSign) {
            events(.check("issuer \"\(issuer.subject)\" may sign certificates (keyUsage keyCertSign)", passed: false, rule: Self.pathLengthRule))
            throw TLSError(.badCertificate, "\"\(issuer.subject)\" has a keyUsage without keyCertSign")
        }
    }

    private func checkCriticalExtensions(_ certificate: Certificate) throws {
        let unknown = certificate.unrecognizedCriticalExtensions
        guard unknown.isEmpty else {
            events(.check("\"\(certificate.subject)\" has no critical extension we do not understand", passed: false))
            throw TLSError(.unsupportedCertificate, "\"\(certificate.subject)\" has critical extension(s) \(unknown.map { "\($0.oid)" }.joined(separator: ", ")), which we do not understand")
        }
    }

    /// RFC 5280 §4.2.1.3 and §4.2.1.12: when the leaf restricts its key's use, the restriction must
    /// allow signing (CertificateVerify) and TLS server (or client) authentication.
    private func checkLeafUsage(_ leaf: Certificate) throws {
        if let usage = leaf.keyUsage, !usage.contains(.digitalSignature) {
            events(.check("the \(peer)'s key may sign (keyUsage digitalSignature)", passed: false, rule: Self.keyUsageRule))
            throw TLSError(.badCertificate, "the \(peer)'s certificate has a keyUsage without digitalSignature")
        }
        let (purpose, purposeName): (OID, String) = peer == .server ? (.serverAuth, "serverAuth") : (.clientAuth, "clientAuth")
        if let purposes = leaf.extendedKeyUsage, !purposes.contains(purpose), !purposes.contains(Self.anyExtendedKeyUsage) {
            events(.check("the certificate is for TLS \(peer)s (extKeyUsage \(purposeName))", passed: false, rule: Self.keyUsageRule))
            throw TLSError(.badCertificate, "the \(peer)'s certificate is not for TLS \(peer) authentication (extKeyUsage lacks \(purposeName))")
        }
        if peer == .client, leaf.extendedKeyUsage != nil {
            events(.check("the certificate is for TLS clients (extKeyUsage \(purposeName))", passed: true, rule: Self.keyUsageRule))
        }
    }

    /// RFC 5280 §4.2.1.12: anyExtendedKeyUsage, "no restriction".
    static let anyExtendedKeyUsage: OID = "2.5.29.37.0"

    private func validateName(_ leaf: Certificate) throws {
        guard let serverName = configuration.serverName else {
            events(.note("no server name configured: the certificate's names are not checked"))
            return
        }
        let identity = ServerIdentity(serverName)
        let names = leaf.subjectAltNames
        let matched = names.contains { identity.isNamed(by: $0) }
        let listed = names.isEmpty ? "none" : names.map(\.description).joined(separator: ", ")
        events(.check("certificate names \(identity) (subjectAltName: \(listed))", passed: matched, rule: "RFC 5280 §4.2.1.12: anyExtendedKeyUsage, \"no restriction\"."))
        guard matched else {
            throw TLSError(.badCertificate, "the certificate is for \(listed), not \(identity)")
        }
    }
}

// The RFC text behind this file's checks, shown with each check's outcome (TLSEvent.check).
extension ServerCertificateValidation {
    static let pathLengthRule = "RFC 5280 §4.2.1.9: an issuer must be a CA whose pathLenConstraint allows the CA certificates between it and the leaf; §4.2.1.3: if it states a keyUsage, that must include keyCertSign."
    static let keyUsageRule = "RFC 5280 §4.2.1.3 and §4.2.1.12: when the leaf restricts its key's use, the restriction must allow signing (CertificateVerify) and TLS server (or client) authentication."
}
