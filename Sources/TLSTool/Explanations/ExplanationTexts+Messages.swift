extension Explanations {
    /// The fields of each handshake message (RFC 8446 §4).
    static let messageTexts: [String: Entry] = [
        "client_hello.legacy_version": Entry(
            section: "RFC 8446 §4.1.2",
            en: "Always 0x0303 (TLS 1.2): servers and middleboxes that break on an unknown version would refuse anything higher. TLS 1.3 is asked for in supported_versions instead.",
            zh: "固定为 0x0303（TLS 1.2）：遇到陌生版本号就出错的服务器和中间设备会拒绝更高的值。TLS 1.3 改为在 supported_versions 扩展里提出。"),
        "client_hello.random": Entry(
            section: "RFC 8446 §4.1.2",
            en: "32 fresh random bytes. They make every handshake unique, and the key log names the connection by them.",
            zh: "32 个新鲜的随机字节。它们让每次握手都独一无二，密钥日志（key log）也用它来标识这条连接。"),
        "client_hello.legacy_session_id": Entry(
            section: "RFC 8446 §4.1.2, Appendix D.4",
            en: "TLS 1.3 resumes with PSKs, not session ids; a client in compatibility mode still sends 32 random bytes so the handshake looks like TLS 1.2 resumption to middleboxes.",
            zh: "TLS 1.3 用 PSK 恢复会话，不再用 session id；处于兼容模式的客户端仍然发送 32 个随机字节，让中间设备以为这是一次 TLS 1.2 会话恢复。"),
        "client_hello.cipher_suites": Entry(
            section: "RFC 8446 §4.1.2, §B.4",
            en: "The AEAD and hash pairs the client can use, in its order of preference. The key exchange and signature are negotiated separately in TLS 1.3.",
            zh: "客户端支持的 AEAD 与哈希组合，按偏好排序。TLS 1.3 中密钥交换和签名算法另行协商。"),
        "client_hello.legacy_compression_methods": Entry(
            section: "RFC 8446 §4.1.2",
            en: "Exactly one byte, 0 (null): compression was removed after the CRIME attack; anything else is illegal_parameter.",
            zh: "只能是一个字节 0（不压缩）：CRIME 攻击之后压缩被取消了；其他值一律回 illegal_parameter。"),
        "client_hello.extensions": Entry(
            section: "RFC 8446 §4.2",
            en: "Everything TLS 1.3 really negotiates lives here: versions, groups and key shares, signature algorithms, server name.",
            zh: "TLS 1.3 真正协商的内容都在这里：版本、密钥交换组与 key share、签名算法、服务器名称。"),
        "server_hello.legacy_version": Entry(
            section: "RFC 8446 §4.1.3",
            en: "0x0303 for the same reason as in the ClientHello; the version chosen is in supported_versions.",
            zh: "与 ClientHello 同理写 0x0303；真正选中的版本在 supported_versions 里。"),
        "server_hello.random": Entry(
            section: "RFC 8446 §4.1.3",
            en: "32 fresh random bytes from the server. A HelloRetryRequest uses a fixed special value here instead.",
            zh: "服务器生成的 32 个随机字节。HelloRetryRequest 在这里放的是一个固定的特殊值。"),
        "server_hello.legacy_session_id_echo": Entry(
            section: "RFC 8446 §4.1.3",
            en: "The client's legacy_session_id, echoed byte for byte; a client aborts with illegal_parameter if it differs.",
            zh: "原样回显客户端的 legacy_session_id；如果不一致，客户端以 illegal_parameter 中止握手。"),
        "server_hello.cipher_suite": Entry(
            section: "RFC 8446 §4.1.3",
            en: "The one suite the server picked from the client's list: it fixes the AEAD and the hash of the key schedule.",
            zh: "服务器从客户端列表中选出的唯一套件：它决定了 AEAD 算法和密钥调度所用的哈希。"),
        "server_hello.legacy_compression_method": Entry(
            section: "RFC 8446 §4.1.3",
            en: "Always 0: no compression.",
            zh: "永远是 0：不压缩。"),
        "server_hello.extensions": Entry(
            section: "RFC 8446 §4.1.3",
            en: "Only what the key exchange needs (supported_versions, key_share, pre_shared_key); everything else waits for EncryptedExtensions.",
            zh: "只放密钥交换必需的扩展（supported_versions、key_share、pre_shared_key）；其余的都放进加密的 EncryptedExtensions。"),
        "encrypted_extensions.extensions": Entry(
            section: "RFC 8446 §4.3.1",
            en: "The server's answers that are not needed to compute keys (server name acknowledgement, ALPN, groups), sent encrypted so observers do not see them.",
            zh: "与计算密钥无关的服务器应答（确认服务器名称、ALPN、支持的组），加密发送，旁观者看不到。"),
        "certificate.certificate_request_context": Entry(
            section: "RFC 8446 §4.4.2",
            en: "Empty in the handshake; it matches a post-handshake CertificateRequest to its answer.",
            zh: "握手期间为空；握手之后的证书请求用它把请求和应答对应起来。"),
        "certificate.certificate_list": Entry(
            section: "RFC 8446 §4.4.2",
            en: "The end-entity certificate first, then the certificates that lead towards a trust anchor; each entry may carry extensions.",
            zh: "先是终端实体证书，然后是通往信任锚的中间证书；每一项都可以带扩展。"),
        "certificate_entry.cert_data": Entry(
            section: "RFC 8446 §4.4.2.2",
            en: "One DER-encoded X.509 certificate: the peer checks its signature, validity dates and names.",
            zh: "一张 DER 编码的 X.509 证书：对端会检查它的签名、有效期和名称。"),
        "certificate_verify.algorithm": Entry(
            section: "RFC 8446 §4.4.3",
            en: "The signature scheme used, one the peer offered in signature_algorithms.",
            zh: "所用的签名方案，必须是对方在 signature_algorithms 里提供过的。"),
        "certificate_verify.signature": Entry(
            section: "RFC 8446 §4.4.3",
            en: "A signature over 64 spaces, a context string, a zero byte and the transcript hash: it proves that the certificate's owner took part in this very handshake.",
            zh: "对 64 个空格、上下文字符串、一个零字节和 transcript hash 的签名：证明证书持有者确实参与了这一次握手。"),
        "finished.verify_data": Entry(
            section: "RFC 8446 §4.4.4",
            en: "An HMAC of the transcript hash under a key only the two endpoints can know: it proves nobody changed any handshake message.",
            zh: "用只有双方才知道的密钥对 transcript hash 计算的 HMAC：证明没有人改动过任何一条握手消息。"),
        "new_session_ticket.ticket_lifetime": Entry(
            section: "RFC 8446 §4.6.1",
            en: "How many seconds the client may keep the ticket: at most 7 days.",
            zh: "客户端可以保留这张票据多少秒：最多 7 天。"),
        "new_session_ticket.ticket_age_add": Entry(
            section: "RFC 8446 §4.6.1",
            en: "A random number added to the ticket's age when the client sends it back, so an observer cannot link the two connections by the age.",
            zh: "客户端回传票据年龄时要加上的随机数，让旁观者无法凭年龄把两次连接联系起来。"),
        "new_session_ticket.ticket_nonce": Entry(
            section: "RFC 8446 §4.6.1",
            en: "Makes each ticket's PSK different: PSK = HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce).",
            zh: "让每张票据的 PSK 各不相同：PSK = HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce)。"),
        "new_session_ticket.ticket": Entry(
            section: "RFC 8446 §4.6.1",
            en: "Opaque to the client: the server's sealed record of the session, returned as the PSK identity to resume.",
            zh: "对客户端是不透明的：服务器封存的会话记录，恢复会话时作为 PSK 身份交回。"),
        "key_update.request_update": Entry(
            section: "RFC 8446 §4.6.3",
            en: "update_requested asks the peer to update its sending keys too; update_not_requested only announces ours.",
            zh: "update_requested 请求对方也更新它的发送密钥；update_not_requested 只是通告我方已更新。"),
        "certificate_request.certificate_request_context": Entry(
            section: "RFC 8446 §4.3.2",
            en: "Empty during the handshake; after it, a unique value the client echoes in its Certificate.",
            zh: "握手期间为空；握手之后是一个唯一值，客户端会在它的 Certificate 里回显。"),
        "certificate_request.extensions": Entry(
            section: "RFC 8446 §4.3.2",
            en: "signature_algorithms (required) and optionally certificate_authorities: which certificates the server will accept.",
            zh: "signature_algorithms（必需）以及可选的 certificate_authorities：服务器接受哪些证书。"),
    ]
}
