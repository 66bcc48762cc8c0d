extension Explanations {
    /// Why each step of the handshake exists, keyed by `stepKey(_:)`.
    static let stepTexts: [String: Entry] = [
        "message.client_hello": Entry(
            section: "RFC 8446 §4.1.2",
            en: "The client opens with everything needed to finish in one round trip: its suites, its key shares, the versions and signatures it accepts.",
            zh: "客户端一开口就给出一次往返完成握手所需的全部信息：密码套件、key share、接受的版本和签名算法。"),
        "message.server_hello": Entry(
            section: "RFC 8446 §4.1.3",
            en: "The server picks a suite and answers the key share: from here both sides can compute the same shared secret, and everything after is encrypted.",
            zh: "服务器选定套件并回应 key share：从这里起双方都能算出同一个共享秘密，之后的一切都是加密的。"),
        "message.hello_retry_request": Entry(
            section: "RFC 8446 §4.1.4",
            en: "The client guessed no group the server accepts: the server names one and the client must send a second ClientHello. It costs one extra round trip.",
            zh: "客户端猜的组服务器都不接受：服务器指定一个组，客户端必须再发一次 ClientHello。代价是多一个往返。"),
        "message.encrypted_extensions": Entry(
            section: "RFC 8446 §4.3.1",
            en: "The first encrypted message: the server's answers that do not affect the keys travel here, hidden from observers.",
            zh: "第一条加密消息：与密钥无关的服务器应答放在这里，对旁观者隐藏。"),
        "message.certificate": Entry(
            section: "RFC 8446 §4.4.2",
            en: "The certificate chain binds a public key to a name; the peer checks the chain up to a CA it trusts.",
            zh: "证书链把公钥和名称绑定在一起；对端沿证书链一直检查到它信任的 CA。"),
        "message.certificate_request": Entry(
            section: "RFC 8446 §4.3.2",
            en: "The server asks the client to authenticate with a certificate too.",
            zh: "服务器要求客户端也用证书证明身份。"),
        "message.certificate_verify": Entry(
            section: "RFC 8446 §4.4.3",
            en: "A signature over the transcript with the certificate's private key: only the real key owner can produce it for this handshake.",
            zh: "用证书私钥对 transcript 的签名：只有真正持有私钥的一方才能为这次握手做出它。"),
        "message.finished": Entry(
            section: "RFC 8446 §4.4.4",
            en: "A MAC over the whole handshake: if an attacker changed any message, the two Finished values would not match.",
            zh: "对整个握手的 MAC：攻击者只要改动了任何一条消息，双方的 Finished 就对不上。"),
        "message.new_session_ticket": Entry(
            section: "RFC 8446 §4.6.1",
            en: "After the handshake the server gives the client a ticket to resume later without certificates.",
            zh: "握手之后服务器给客户端一张票据，以后可以不用证书就恢复会话。"),
        "message.end_of_early_data": Entry(
            section: "RFC 8446 §4.5",
            en: "The client says its 0-RTT data is over and switches to the handshake keys.",
            zh: "客户端宣布 0-RTT 数据结束，切换到握手密钥。"),
        "message.key_update": Entry(
            section: "RFC 8446 §4.6.3",
            en: "The sender moves to the next generation of its traffic keys, so no key protects too much data.",
            zh: "发送方切换到下一代流量密钥，避免同一把密钥保护过多数据。"),
        "message.message_hash": Entry(
            section: "RFC 8446 §4.4.1",
            en: "A synthetic message that stands for ClientHello1 in the transcript after a HelloRetryRequest.",
            zh: "HelloRetryRequest 之后，在 transcript 中代替 ClientHello1 的合成消息。"),
        "key_pair": Entry(
            section: "RFC 8446 §4.2.8, §1.2",
            en: "A fresh key pair for this connection only: once it is erased, recorded traffic cannot be decrypted even if the server's long-term key leaks (forward secrecy).",
            zh: "只为这一条连接生成的新密钥对：用完销毁后，即使服务器的长期私钥泄露，录下来的流量也无法解密（前向保密）。"),
        "shared_secret": Entry(
            section: "RFC 8446 §7.4",
            en: "Our private key and the peer's public key give a secret both sides compute and no observer can: the input keying material of the handshake secret.",
            zh: "我方私钥与对方公钥算出一个双方都能得到、旁观者却算不出的秘密：它是握手密钥的输入密钥材料。"),
        "extract.early": Entry(
            section: "RFC 8446 §7.1",
            en: "The key schedule starts from the PSK, or from zeros when there is none.",
            zh: "密钥调度从 PSK 开始；没有 PSK 时从全零开始。"),
        "extract.handshake": Entry(
            section: "RFC 8446 §7.1",
            en: "HKDF-Extract mixes the (EC)DHE shared secret into the schedule: every key from here on depends on the key exchange.",
            zh: "HKDF-Extract 把 (EC)DHE 共享秘密混入密钥调度：从此以后的每一把密钥都依赖这次密钥交换。"),
        "extract.master": Entry(
            section: "RFC 8446 §7.1",
            en: "The master secret, from which the application traffic secrets come; no new input, just a new stage.",
            zh: "主密钥，应用流量密钥由它派生；没有新的输入，只是进入新阶段。"),
        "derive.derived": Entry(
            section: "RFC 8446 §7.1",
            en: "Derive-Secret(.., \"derived\", \"\") turns one stage's secret into the salt of the next, so stages never share a key.",
            zh: "Derive-Secret(.., \"derived\", \"\") 把上一阶段的秘密变成下一阶段的盐，各阶段从不共用密钥。"),
        "derive.c hs traffic": Entry(
            section: "RFC 8446 §7.1",
            en: "The client's handshake traffic secret, bound to ClientHello and ServerHello by the transcript hash.",
            zh: "客户端握手流量秘密，通过 transcript hash 绑定到 ClientHello 和 ServerHello。"),
        "derive.s hs traffic": Entry(
            section: "RFC 8446 §7.1",
            en: "The server's handshake traffic secret: a different label gives each direction its own keys.",
            zh: "服务器握手流量秘密：不同的标签让两个方向各有自己的密钥。"),
        "derive.c ap traffic": Entry(
            section: "RFC 8446 §7.1",
            en: "The client's application traffic secret, bound to the whole handshake up to the server Finished.",
            zh: "客户端应用流量秘密，绑定到截至服务器 Finished 的整个握手。"),
        "derive.s ap traffic": Entry(
            section: "RFC 8446 §7.1",
            en: "The server's application traffic secret.",
            zh: "服务器应用流量秘密。"),
        "derive.exp master": Entry(
            section: "RFC 8446 §7.5",
            en: "The exporter secret lets applications derive their own keys from this connection (RFC 5705 exporters).",
            zh: "导出器秘密让应用从这条连接派生自己的密钥（RFC 5705 导出器）。"),
        "derive.res master": Entry(
            section: "RFC 8446 §7.1, §4.6.1",
            en: "The resumption master secret, from which each ticket's PSK comes; it covers the handshake up to the client Finished.",
            zh: "恢复主密钥，每张票据的 PSK 由它而来；它覆盖截至客户端 Finished 的握手。"),
        "derive.res binder": Entry(
            section: "RFC 8446 §7.1, §4.2.11.2",
            en: "The binder key proves, by an HMAC over the ClientHello, that the client knows the resumption PSK.",
            zh: "binder 密钥通过对 ClientHello 的 HMAC 证明客户端知道恢复用的 PSK。"),
        "derive.ext binder": Entry(
            section: "RFC 8446 §7.1, §4.2.11.2",
            en: "The binder key of an external (provisioned) PSK.",
            zh: "外部（预先配置的）PSK 的 binder 密钥。"),
        "derive.c e traffic": Entry(
            section: "RFC 8446 §7.1, §2.3",
            en: "The early traffic secret protects 0-RTT data; it depends only on the PSK, so it has no forward secrecy and the data can be replayed.",
            zh: "早期流量秘密保护 0-RTT 数据；它只依赖 PSK，因此没有前向保密，数据也可能被重放。"),
        "derive.e exp master": Entry(
            section: "RFC 8446 §7.5",
            en: "The early exporter secret, for exporters used with 0-RTT data.",
            zh: "早期导出器秘密，供 0-RTT 数据使用的导出器。"),
        "traffic_keys": Entry(
            section: "RFC 8446 §7.3",
            en: "From a traffic secret, HKDF-Expand-Label gives the AEAD key and the IV the record layer uses.",
            zh: "HKDF-Expand-Label 从流量秘密得到记录层使用的 AEAD 密钥和 IV。"),
        "finished.compute": Entry(
            section: "RFC 8446 §4.4.4",
            en: "We compute our Finished: an HMAC of the transcript under a key derived from our handshake traffic secret.",
            zh: "计算我方的 Finished：用由我方握手流量秘密派生的密钥，对 transcript 做 HMAC。"),
        "finished.check": Entry(
            section: "RFC 8446 §4.4.4",
            en: "We recompute the peer's Finished and compare in constant time: a mismatch is decrypt_error.",
            zh: "重新计算对方的 Finished 并做恒定时间比较：不一致就是 decrypt_error。"),
        "certificate_verify.sign": Entry(
            section: "RFC 8446 §4.4.3",
            en: "The 64 spaces and the context string keep this signature from being reused in TLS 1.2 or by the other role.",
            zh: "64 个空格和上下文字符串保证这个签名不能被挪到 TLS 1.2 里，也不能冒充另一方的签名。"),
        "certificate_verify.verify": Entry(
            section: "RFC 8446 §4.4.3",
            en: "We rebuild the signed content from our own transcript and verify the signature with the certificate's public key.",
            zh: "我们根据自己的 transcript 重建被签名的内容，用证书公钥验证签名。"),
        "resumption_secret": Entry(
            section: "RFC 8446 §4.6.1",
            en: "Each ticket's PSK comes from the resumption master secret and the ticket's nonce.",
            zh: "每张票据的 PSK 由恢复主密钥和票据的 nonce 派生。"),
        "psk_binder.compute": Entry(
            section: "RFC 8446 §4.2.11.2",
            en: "The binder proves we hold the ticket's PSK and ties the PSK to this very ClientHello: it is an HMAC, keyed from the PSK, over the ClientHello up to the binders. Without it, anyone who saw the ticket could replay it.",
            zh: "binder 证明我们持有票据对应的 PSK，并把这个 PSK 绑定到这一条 ClientHello：它是用 PSK 派生的密钥、对 binders 之前的整个 ClientHello 计算的 HMAC。没有它，任何看到票据的人都能拿去重放。"),
        "psk_binder.check": Entry(
            section: "RFC 8446 §4.2.11.2",
            en: "The server recomputes the binder from the PSK inside its own ticket: a match proves the client holds the PSK; a mismatch ends the handshake with decrypt_error.",
            zh: "服务器用自己票据里的 PSK 重新计算 binder：一致说明客户端确实持有 PSK；不一致就以 decrypt_error 结束握手。"),
        "session_ticket.seal": Entry(
            section: "RFC 8446 §4.6.1",
            en: "The ticket is opaque to the client: the server seals everything resumption needs inside it, so it keeps no per-client state and any server sharing the key can resume the session.",
            zh: "票据对客户端是不透明的：服务器把恢复所需的一切加密封装在票据里，因此不必为每个客户端保存状态，任何共享这把密钥的服务器都能恢复会话。"),
        "session_ticket.open": Entry(
            section: "RFC 8446 §4.2.11",
            en: "The ticket comes back in the ClientHello; only a key of ours opens it, and an old, foreign or altered ticket simply means a full handshake.",
            zh: "票据随 ClientHello 回来；只有我们的密钥能打开它，过期的、别家的或被篡改的票据只意味着改做一次完整握手。"),
        "early_data": Entry(
            section: "RFC 8446 §2.3, §8",
            en: "0-RTT data travels with the ClientHello, before any server message: no round trip to wait for, but no forward secrecy for it and no protection against replay beyond the server's anti-replay memory.",
            zh: "0-RTT 数据随 ClientHello 一起发出，不必等服务器的任何消息：省掉一个往返，但它没有前向保密，防重放也只能靠服务器的防重放记录。"),
        "key_updated": Entry(
            section: "RFC 8446 §7.2",
            en: "The next generation of a traffic secret is HKDF-Expand-Label(secret, \"traffic upd\", \"\"); the old one is forgotten.",
            zh: "流量秘密的下一代是 HKDF-Expand-Label(secret, \"traffic upd\", \"\")；旧的随即遗忘。"),
        "transcript_rewrite": Entry(
            section: "RFC 8446 §4.4.1",
            en: "After a HelloRetryRequest, ClientHello1 is replaced in the transcript by its hash, so a stateless server can rebuild the transcript from a cookie.",
            zh: "HelloRetryRequest 之后，transcript 中的 ClientHello1 被它的哈希取代，这样无状态服务器就能从 cookie 重建 transcript。"),
        "transcript_rewrite.cookie": Entry(
            section: "RFC 8446 §4.2.2",
            en: "A stateless server kept nothing: it rebuilds the transcript from the hash of ClientHello1 sealed in the cookie.",
            zh: "无状态服务器什么都没保存：它从 cookie 里封存的 ClientHello1 哈希重建 transcript。"),
        "change_cipher_spec": Entry(
            section: "RFC 8446 §5, Appendix D.4",
            en: "A dummy record that makes TLS 1.3 look like TLS 1.2 resumption to middleboxes; it means nothing and is ignored.",
            zh: "一条假记录，让中间设备以为这是 TLS 1.2 的会话恢复；它没有任何含义，直接忽略。"),
        "handshake_complete": Entry(
            section: "RFC 8446 §2",
            en: "Both Finished messages checked: both sides share keys no one else has and agree on every message exchanged.",
            zh: "双方的 Finished 都已核对：两端共享别人没有的密钥，并且对交换过的每一条消息看法一致。"),
        "alert": Entry(
            section: "RFC 8446 §6",
            en: "An alert ends the connection and says why; TLS 1.3 treats every alert but close_notify and user_canceled as fatal.",
            zh: "告警结束连接并说明原因；在 TLS 1.3 中，除了 close_notify 和 user_canceled 之外，所有告警都是致命的。"),
        "alert.close_notify": Entry(
            section: "RFC 8446 §6.1",
            en: "close_notify says the sender will write no more, so the reader knows the data was not cut short by an attacker.",
            zh: "close_notify 表示发送方不会再写数据，读方由此知道数据不是被攻击者截断的。"),
        "application_data": Entry(
            section: "RFC 8446 §5.2",
            en: "Application data is encrypted with the application traffic keys, one record per chunk.",
            zh: "应用数据用应用流量密钥加密，每一块数据一条记录。"),
    ]

    /// Words of the views themselves.
    static let words: [String: (en: String, zh: String)] = [
        "why": ("why", "为什么"),
        "client": ("Client", "客户端"),
        "server": ("Server", "服务器"),
        "key schedule": ("Key schedule", "密钥调度"),
        "transcript hash of": ("transcript hash of", "transcript hash 覆盖"),
        "check it yourself": ("check it yourself", "自己验证"),
        "record": ("record", "记录"),
        "inner plaintext": ("inner plaintext", "内部明文"),
        "opened with": ("opened with", "解密所用"),
        "field": ("field", "字段"),
        "value": ("value", "值"),
        "bytes": ("bytes", "字节"),
        "section": ("RFC section", "RFC 章节"),
        "checks": ("Checks", "检查"),
        "alerts": ("Alerts", "告警"),
        "English": ("English", "English"),
        "Chinese": ("中文", "中文"),
    ]
}
