import Foundation
import RFC8448Reader

/// RFC 8448's text (Tests/Vectors/rfc/rfc8448.txt), read by the shared reader target.
typealias RFC8448Text = RFC8448Document

extension RFC8448Document {
    init() throws {
        self.init(text: try String(contentsOf: Vectors.url("rfc/rfc8448.txt"), encoding: .utf8))
    }
}
