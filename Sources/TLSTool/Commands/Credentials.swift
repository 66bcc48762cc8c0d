import Foundation
import TLSCrypto

/// A file named on the command line that cannot be used (exit status 2, like any bad argument).
public struct CredentialError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// What a server proves itself with: its certificate chain (DER, leaf first) and the leaf's key.
public struct ServerCredentials: Sendable {
    public var certificateChain: [[UInt8]]
    public var privateKey: RSAPrivateKey

    public static func load(certificatePath: String, keyPath: String) throws(CredentialError) -> ServerCredentials {
        let chain = try certificates(in: certificatePath).map(\.der)
        let keyText = try text(of: keyPath)
        do {
            return ServerCredentials(certificateChain: chain, privateKey: try RSAPrivateKey(pem: keyText))
        } catch {
            throw CredentialError("\(keyPath): not a usable RSA private key (\(error))")
        }
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
