import Foundation
import TLSCrypto

/// A file named on the command line that cannot be used (exit status 2, like any bad argument).
public struct CredentialError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// What a server (or a client asked for a certificate) proves itself with: its certificate chain
/// (DER, leaf first) and the leaf's key.
public struct ServerCredentials: Sendable {
    public var certificateChain: [[UInt8]]
    public var privateKey: CertificatePrivateKey

    public init(certificateChain: [[UInt8]], privateKey: CertificatePrivateKey) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }

    /// The chain and key files of `--cert` and `--key`. A key that is not the leaf's would make
    /// every CertificateVerify fail to verify at the client, so it is refused here, at start.
    public static func load(certificatePath: String, keyPath: String) throws(CredentialError) -> ServerCredentials {
        let chain = try certificates(in: certificatePath)
        let keyText = try text(of: keyPath)
        let key: CertificatePrivateKey
        do {
            key = try CertificatePrivateKey(pem: keyText)
        } catch {
            throw CredentialError("\(keyPath): not a usable RSA or P-256 private key (\(error))")
        }
        guard chain[0].certificate.hasPublicKey(of: key) else {
            throw CredentialError("\(keyPath) is not the private key of the certificate in \(certificatePath) (its \(key.publicKey) public key differs from the certificate's)")
        }
        return ServerCredentials(certificateChain: chain.map(\.der), privateKey: key)
    }
}

/// The certificates a client trusts (--ca).
public func loadTrustAnchors(path: String) throws(CredentialError) -> [Certificate] {
    try certificates(in: path).map(\.certificate)
}

/// The file's text; for a default file of cert/ that is not there (a tool run outside the
/// checkout), the copy built into the executable (`EmbeddedPKI`).
private func text(of path: String) throws(CredentialError) -> String {
    if let embedded = EmbeddedPKI.files[path], !FileManager.default.fileExists(atPath: path) { return embedded }
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw CredentialError("cannot read \(path): \((error as NSError).localizedDescription)")
    }
}

private func certificates(in path: String) throws(CredentialError) -> [(der: [UInt8], certificate: Certificate)] {
    let pemText = try text(of: path)
    let blocks: [(label: String, der: [UInt8])]
    do {
        blocks = try PEM.decode(pemText).filter { $0.label == "CERTIFICATE" }
    } catch {
        throw CredentialError("\(path): not PEM (\(error))")
    }
    guard !blocks.isEmpty else { throw CredentialError("\(path): no CERTIFICATE block") }
    var result: [(der: [UInt8], certificate: Certificate)] = []
    for block in blocks {
        do {
            result.append((block.der, try Certificate(der: block.der)))
        } catch {
            throw CredentialError("\(path): certificate \(result.count + 1) does not parse (\(error))")
        }
    }
    return result
}
