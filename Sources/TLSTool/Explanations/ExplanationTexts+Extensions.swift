extension Explanations {
    /// Extensions (RFC 8446 §4.2 and the registries a browser's ClientHello draws from), keyed
    /// by their IANA name.
    static let extensionTexts: [String: Entry] = [
        "extension.server_name": Entry(
            section: "RFC 6066 §3",
            en: "The host name the client wants (SNI), so one server address can serve many sites and pick the right certificate. It is sent in the clear.",
            zh: "客户端想访问的主机名（SNI），让同一个地址可以承载多个网站并选出正确的证书。它以明文发送。"),
        "extension.supported_groups": Entry(
            section: "RFC 8446 §4.2.7",
            en: "The key-exchange groups the client can do, in preference order; the server may ask for one of them with a HelloRetryRequest.",
            zh: "客户端支持的密钥交换组，按偏好排序；服务器可以用 HelloRetryRequest 要求其中某一个。"),
        "extension.signature_algorithms": Entry(
            section: "RFC 8446 §4.2.3",
            en: "Which signatures the client accepts in CertificateVerify (and in certificates unless signature_algorithms_cert says otherwise).",
            zh: "客户端在 CertificateVerify 中接受哪些签名算法（若没有 signature_algorithms_cert，也适用于证书本身）。"),
        "extension.signature_algorithms_cert": Entry(
            section: "RFC 8446 §4.2.3",
            en: "Signatures accepted inside certificates, when they differ from signature_algorithms.",
            zh: "证书内部可接受的签名算法，当它与 signature_algorithms 不同时使用。"),
        "extension.key_share": Entry(
            section: "RFC 8446 §4.2.8",
            en: "Public keys sent ahead for the groups the client guesses the server will pick, so the handshake needs only one round trip; the server answers with one share of its own.",
            zh: "客户端提前为它猜测服务器会选的组发出公钥，这样握手只需一个往返；服务器回应自己的一个 share。"),
        "extension.supported_versions": Entry(
            section: "RFC 8446 §4.2.1",
            en: "The real version negotiation: the client lists TLS 1.3 (0x0304) here, and a server that selects it answers with 0x0304.",
            zh: "真正的版本协商在这里：客户端列出 TLS 1.3（0x0304），选中它的服务器也用 0x0304 回应。"),
        "extension.psk_key_exchange_modes": Entry(
            section: "RFC 8446 §4.2.9",
            en: "How a resumed session may derive keys: psk_dhe_ke (with a fresh key exchange, keeping forward secrecy) or psk_ke (PSK only).",
            zh: "恢复会话时如何得到密钥：psk_dhe_ke（再做一次密钥交换，保留前向保密）或 psk_ke（只用 PSK）。"),
        "extension.pre_shared_key": Entry(
            section: "RFC 8446 §4.2.11",
            en: "Tickets offered for resumption, each with a binder (an HMAC over the ClientHello) that proves the client knows the PSK. It must be the last extension.",
            zh: "用于恢复会话的票据，每个都附带一个 binder（对 ClientHello 的 HMAC），证明客户端知道 PSK。它必须是最后一个扩展。"),
        "extension.early_data": Entry(
            section: "RFC 8446 §4.2.10",
            en: "The client sends 0-RTT data under the PSK before the handshake finishes; such data can be replayed, so servers accept it only for safe requests.",
            zh: "客户端在握手完成之前就用 PSK 发送 0-RTT 数据；这种数据可能被重放，所以服务器只为安全的请求接受它。"),
        "extension.cookie": Entry(
            section: "RFC 8446 §4.2.2",
            en: "A value the server puts in a HelloRetryRequest and the client returns: a stateless server keeps its state in it, and it proves the client's address is real.",
            zh: "服务器放在 HelloRetryRequest 中、客户端原样交回的值：无状态服务器把状态存在里面，它也证明客户端地址是真实的。"),
        "extension.application_layer_protocol_negotiation": Entry(
            section: "RFC 7301 §3",
            en: "ALPN: the application protocols the client speaks (h2, http/1.1); the server picks one inside EncryptedExtensions.",
            zh: "ALPN：客户端会说的应用层协议（h2、http/1.1）；服务器在 EncryptedExtensions 里选定一个。"),
        "extension.record_size_limit": Entry(
            section: "RFC 8449 §4",
            en: "The largest record the sender is willing to receive, for devices with little memory.",
            zh: "发送方愿意接收的最大记录长度，适合内存很小的设备。"),
        "extension.post_handshake_auth": Entry(
            section: "RFC 8446 §4.2.6",
            en: "The client agrees to be asked for a certificate after the handshake.",
            zh: "客户端同意在握手之后再被要求出示证书。"),
        "extension.certificate_authorities": Entry(
            section: "RFC 8446 §4.2.4",
            en: "The names of the CAs whose certificates the sender will accept.",
            zh: "发送方愿意接受哪些 CA 签发的证书（列出 CA 的名称）。"),
        "extension.status_request": Entry(
            section: "RFC 6066 §8",
            en: "Asks the server to staple an OCSP response, proving its certificate is not revoked.",
            zh: "请求服务器附上 OCSP 响应（OCSP stapling），证明证书没有被吊销。"),
        "extension.signed_certificate_timestamp": Entry(
            section: "RFC 6962 §3.3",
            en: "Asks for Certificate Transparency proofs that the certificate was publicly logged.",
            zh: "请求证书透明度（CT）证明：这张证书已被公开记录。"),
        "extension.ec_point_formats": Entry(
            section: "RFC 8422 §5.1.2",
            en: "A TLS 1.2 extension; a client that may also speak TLS 1.2 sends it. TLS 1.3 ignores it.",
            zh: "TLS 1.2 的扩展；同时支持 TLS 1.2 的客户端会发送它。TLS 1.3 忽略它。"),
        "extension.renegotiation_info": Entry(
            section: "RFC 5746 §3.2",
            en: "TLS 1.2's protection for renegotiation; TLS 1.3 has no renegotiation and ignores it.",
            zh: "TLS 1.2 为重协商设计的保护；TLS 1.3 没有重协商，忽略它。"),
        "extension.extended_master_secret": Entry(
            section: "RFC 7627 §5.1",
            en: "A TLS 1.2 fix that binds the master secret to the handshake; TLS 1.3's key schedule does this always, so it is ignored.",
            zh: "TLS 1.2 的补丁，把主密钥绑定到握手上；TLS 1.3 的密钥调度天然如此，因此忽略它。"),
        "extension.session_ticket": Entry(
            section: "RFC 5077 §3.2",
            en: "TLS 1.2 session tickets; TLS 1.3 uses NewSessionTicket and pre_shared_key instead.",
            zh: "TLS 1.2 的会话票据；TLS 1.3 改用 NewSessionTicket 和 pre_shared_key。"),
        "extension.encrypt_then_mac": Entry(
            section: "RFC 7366 §2",
            en: "A TLS 1.2 option for CBC suites; TLS 1.3 has only AEADs and ignores it.",
            zh: "TLS 1.2 中 CBC 套件的选项；TLS 1.3 只有 AEAD，忽略它。"),
        "extension.padding": Entry(
            section: "RFC 7685 §3",
            en: "Zero bytes that grow the ClientHello past sizes some old servers choke on.",
            zh: "全零字节，把 ClientHello 撑大，避开某些老服务器处理不了的长度。"),
        "extension.compress_certificate": Entry(
            section: "RFC 8879 §3",
            en: "The client can take the server's Certificate compressed (brotli, zlib, zstd); unknown to us, so ignored as RFC 8446 §4.2 requires.",
            zh: "客户端可以接收压缩过的证书（brotli、zlib、zstd）；我们不认识它，按 RFC 8446 §4.2 的要求忽略。"),
        "extension.encrypted_client_hello": Entry(
            section: "draft-ietf-tls-esni",
            en: "Encrypted Client Hello: hides the real server name; browsers send a GREASE one even without ECH keys so that real ECH does not stand out.",
            zh: "加密的 ClientHello（ECH）：隐藏真正的服务器名称；浏览器即使没有 ECH 密钥也会发一个 GREASE 版本，让真正的 ECH 不显眼。"),
        "extension.application_settings": Entry(
            section: "draft-vvv-tls-alps",
            en: "ALPS, Chromium's way to send HTTP/2 settings in the handshake; unknown to us, so ignored.",
            zh: "ALPS：Chromium 在握手中发送 HTTP/2 设置的方式；我们不认识它，直接忽略。"),
        "extension.GREASE": Entry(
            section: "RFC 8701 §2",
            en: "A reserved meaningless value (0x?a?a) browsers send on purpose: servers must ignore it, which keeps the ecosystem able to add new values.",
            zh: "浏览器故意发送的保留无意义值（0x?a?a）：服务器必须忽略它，这样生态系统才能一直顺利地加入新值。"),
        "extension.unknown": Entry(
            section: "RFC 8446 §4.2",
            en: "An extension we do not know: RFC 8446 says to ignore it, never to fail.",
            zh: "我们不认识的扩展：RFC 8446 规定必须忽略，而不是报错。"),
    ]
}
