extension Explanations {
    /// Fields of records (RFC 8446 §5), of the handshake header, and of the messages themselves.
    static let fieldTexts: [String: Entry] = recordTexts
        .merging(messageTexts) { first, _ in first }
        .merging(extensionTexts) { first, _ in first }

    static let recordTexts: [String: Entry] = [
        "record.dummy_change_cipher_spec": Entry(
            section: "RFC 8446 Appendix D.4",
            en: "A middlebox that only knows TLS 1.2 sees a ClientHello with a session id, a ServerHello echoing it, then change_cipher_spec from both sides: an abbreviated TLS 1.2 resumption, after which encrypted records are normal. Without this disguise some middleboxes drop TLS 1.3. The receiver ignores the record; it is never encrypted and never enters the transcript.",
            zh: "只认识 TLS 1.2 的中间设备看到的是：带会话 ID 的 ClientHello、回显同一个 ID 的 ServerHello、随后双方各发一条 change_cipher_spec——正像一次 TLS 1.2 的简短会话恢复，之后出现加密记录也就顺理成章。没有这层伪装，有些中间设备会丢弃 TLS 1.3 连接。接收方忽略这条记录；它从不加密，也不计入握手记录哈希。"),
        "record.content_type": Entry(
            section: "RFC 8446 §5.1",
            en: "What the record carries (handshake, alert, application_data, change_cipher_spec), so the receiver knows which layer gets the fragment.",
            zh: "说明这条记录装的是什么（握手、告警、应用数据、change_cipher_spec），接收方据此把内容交给对应的层。"),
        "record.opaque_type": Entry(
            section: "RFC 8446 §5.2",
            en: "Always application_data (23) on a protected record: the real type is hidden inside the encryption, so an observer cannot tell a Finished from a chat message.",
            zh: "加密记录的这一字节永远是 application_data (23)：真正的类型藏在密文里，旁观者分不出这是 Finished 还是一句聊天。"),
        "record.legacy_record_version": Entry(
            section: "RFC 8446 §5.1",
            en: "Frozen for old middleboxes: 0x0301 (TLS 1.0) is allowed on the first ClientHello, 0x0303 (TLS 1.2) everywhere else. Nobody uses it to negotiate anything.",
            zh: "为老旧的中间设备冻结的值：第一个 ClientHello 可以写 0x0301（TLS 1.0），其余一律 0x0303（TLS 1.2）。没有人用它来协商版本。"),
        "record.length": Entry(
            section: "RFC 8446 §5.1",
            en: "How many bytes follow the 5-byte header: at most 2^14 of plaintext, plus up to 256 for encryption overhead.",
            zh: "5 字节头部之后还有多少字节：明文最多 2^14 字节，加密时最多再多 256 字节。"),
        "record.fragment": Entry(
            section: "RFC 8446 §5.1",
            en: "The payload in the clear: before keys exist, handshake messages travel unprotected.",
            zh: "明文载荷：在还没有密钥的时候，握手消息只能以明文传输。"),
        "record.encrypted_record": Entry(
            section: "RFC 8446 §5.2",
            en: "The AEAD ciphertext of TLSInnerPlaintext (content, real type, padding); as long as the plaintext.",
            zh: "TLSInnerPlaintext（内容、真实类型、填充）经 AEAD 加密后的密文，长度与明文相同。"),
        "record.tag": Entry(
            section: "RFC 8446 §5.2",
            en: "The AEAD authentication tag: it proves that neither the ciphertext nor the header was changed. A wrong tag means bad_record_mac and the connection ends.",
            zh: "AEAD 认证标签：证明密文和头部都没有被篡改。标签不对就发 bad_record_mac 告警并断开连接。"),
        "record.truncated_header": Entry(
            section: "RFC 8446 §5.1",
            en: "Fewer than the 5 header bytes arrived: the record cannot be read.",
            zh: "收到的字节不足 5 字节头部：这条记录无法解析。"),
        "inner.content": Entry(
            section: "RFC 8446 §5.2",
            en: "The plaintext the record protects: a handshake message, an alert or application data.",
            zh: "这条记录保护的明文：握手消息、告警或应用数据。"),
        "inner.type": Entry(
            section: "RFC 8446 §5.2",
            en: "The real content type, moved inside the encryption so it is hidden from observers.",
            zh: "真正的内容类型，被移进了密文里，旁观者看不到。"),
        "inner.zeros": Entry(
            section: "RFC 8446 §5.4",
            en: "Optional zero padding that hides the true length of the content; the receiver strips zeros from the end to find the type byte.",
            zh: "可选的全零填充，用来隐藏内容的真实长度；接收方从末尾去掉零字节，找到类型字节。"),
        "handshake.msg_type": Entry(
            section: "RFC 8446 §4",
            en: "Which handshake message follows. The 4-byte header (type and 24-bit length) enters the transcript hash with the body.",
            zh: "后面是哪一种握手消息。4 字节的消息头（类型和 24 位长度）连同消息体一起进入 transcript hash。"),
        "handshake.length": Entry(
            section: "RFC 8446 §4",
            en: "The body's length in 3 bytes: one message may span several records, or several messages share one.",
            zh: "消息体长度，占 3 字节：一条消息可以跨越多条记录，多条消息也可以挤在同一条记录里。"),
    ]
}
