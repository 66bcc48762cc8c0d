import Foundation
import TLSCrypto

/// The page's one stylesheet and one script, inline (the page must work from file://, offline,
/// with no request at all), and the Content-Security-Policy that allows exactly them: by their
/// SHA-256 hashes (CSP Level 2 §4.2.5 hash-source), so a byte injected anywhere else in the page
/// could not run or style anything. Everything works without the script; it only highlights the
/// bytes of a field when the reader points at the field's row (and the reverse).
enum HTMLAssets {
    static let style = """
        :root{--fg:#1b1f24;--dim:#5b6570;--bg:#fff;--line:#d7dce1;--client:#0b62c4;--server:#8a3ab9;--ok:#1a7f37;--bad:#c1121f}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans SC",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:1rem 1.5rem 4rem}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line)}
        nav a{margin-right:1rem}code,.hex,.v{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:13px}
        .summary td,.summary th{text-align:left;padding:.1rem .8rem .1rem 0}
        .ladder{display:grid;grid-template-columns:1fr 1fr;gap:.35rem 2rem}
        .ev{grid-column:1;border-left:4px solid var(--client);padding:.25rem .6rem;background:#f6f8fa;border-radius:4px;overflow-x:auto}
        .ev.server{grid-column:2;border-left-color:var(--server)}
        .ev .t{font-weight:600}.ev.client .t{color:var(--client)}.ev.server .t{color:var(--server)}
        .why{color:var(--dim);font-size:13px;margin:.15rem 0}.why b{font-weight:600}
        .ok{color:var(--ok)}.bad{color:var(--bad);font-weight:600}
        details{margin:.2rem 0}summary{cursor:pointer}
        .hex{line-height:1.9;word-break:break-all}
        .b{padding:1px 1px;border-radius:2px}
        .c0{background:#fde2e4}.c1{background:#e2ece9}.c2{background:#fff1c1}.c3{background:#dfe7fd}.c4{background:#e9d8fd}.c5{background:#d8f3dc}.c6{background:#ffe5d0}.c7{background:#e0e0e0}
        .hl{outline:2px solid #111}
        table.spans{border-collapse:collapse;margin:.3rem 0;font-size:13px}
        table.spans td,table.spans th{border:1px solid var(--line);padding:.15rem .4rem;vertical-align:top;text-align:left}
        ul.tree{list-style:none;padding-left:1.1rem;margin:.2rem 0;font-size:13px}ul.tree>li{margin:.1rem 0}
        .n{font-weight:600}.k td{padding:.05rem .6rem .05rem 0;vertical-align:top}
        .sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:middle}
        .tree .why{display:none}.tree li:hover>.why,.tree li:focus-within>.why{display:block}
        @media print{.tree .why{display:block}details{display:block}details>*{display:block}}
        """

    static let script = """
        document.addEventListener('mouseover',function(e){var t=e.target.closest('[data-f]');document.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl')});if(!t)return;var g=t.closest('.rec');if(!g)return;g.querySelectorAll('[data-f="'+t.getAttribute('data-f')+'"]').forEach(function(x){x.classList.add('hl')})});
        """

    /// 'sha256-…' of a text as the browser hashes it: the exact characters between the tags, UTF-8.
    static func hashSource(_ text: String) -> String {
        "'sha256-" + Data(SHA256.hash(Array(text.utf8))).base64EncodedString() + "'"
    }

    /// Nothing may load or run but the inline style and script named by their hashes, and
    /// `extraStyle`, a second inline stylesheet with a page's additions, when there is one.
    static func contentSecurityPolicy(extraStyle: String? = nil) -> String {
        let styles = [style] + (extraStyle.map { [$0] } ?? [])
        return "default-src 'none'; style-src \(styles.map(hashSource).joined(separator: " ")); script-src \(hashSource(script)); "
            + "img-src data:; base-uri 'none'; form-action 'none'"
    }
}

/// Text made safe for HTML: every peer-controlled string (a server name, an ALPN protocol, a
/// certificate's subject) goes through here before it reaches the page.
func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters other than tab and newline become visible escapes.
            if character.value < 0x20 && character != "\t" && character != "\n" || character.value == 0x7f {
                out += "\\u{\(String(character.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(character)
            }
        }
    }
    return out
}
