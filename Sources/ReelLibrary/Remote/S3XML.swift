import Foundation

/// One element of an S3 XML answer: its local name (no namespace prefix), its own text and its child elements.
///
/// S3's answers are small and plain (no attributes that matter, no mixed content), so a tolerant parser that knows
/// elements, text, entities, CDATA, comments and declarations is enough, and needs no libxml2.
struct S3XMLElement: Sendable, Equatable {
    var name: String
    var text: String = ""
    var children: [S3XMLElement] = []

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`, in order.
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func value(_ name: String) -> String? { child(name)?.text }

    /// The root element of `data`, or `nil` if it is not well-formed enough to read.
    static func parse(_ data: Data) -> S3XMLElement? {
        var parser = Parser(bytes: Array(data))
        return parser.document()
    }

    /// `text` escaped for an XML element's content.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var stack: [S3XMLElement] = []

        mutating func document() -> S3XMLElement? {
            while index < bytes.count {
                if bytes[index] != UInt8(ascii: "<") {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                    appendText(Self.decodeEntities(bytes[start..<index]))
                } else if starts(with: "<?") {
                    guard skip(past: "?>") else { return nil }
                } else if starts(with: "<!--") {
                    guard skip(past: "-->") else { return nil }
                } else if starts(with: "<![CDATA[") {
                    index += 9
                    let start = index
                    guard skip(past: "]]>") else { return nil }
                    appendText(String(decoding: bytes[start..<(index - 3)], as: UTF8.self))
                } else if starts(with: "<!") {
                    guard skip(past: ">") else { return nil }
                } else if starts(with: "</") {
                    guard skip(past: ">"), let element = stack.popLast() else { return nil }
                    if stack.isEmpty { return element }
                    stack[stack.count - 1].children.append(element)
                } else {
                    guard let (name, selfClosing) = startTag() else { return nil }
                    let element = S3XMLElement(name: name)
                    if !selfClosing {
                        stack.append(element)
                    } else if stack.isEmpty {
                        return element
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                }
            }
            return nil
        }

        /// Reads `<name attributes…>` or `<name/>`; returns the local name and whether it closed itself.
        private mutating func startTag() -> (String, Bool)? {
            index += 1
            let nameStart = index
            while index < bytes.count, !Self.endsName(bytes[index]) { index += 1 }
            let qualified = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            guard !qualified.isEmpty else { return nil }
            var quote: UInt8?
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    let selfClosing = index >= 2 && bytes[index - 2] == UInt8(ascii: "/")
                    return (qualified.split(separator: ":").last.map(String.init) ?? qualified, selfClosing)
                }
            }
            return nil
        }

        private mutating func appendText(_ text: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += text
        }

        private func starts(with prefix: String) -> Bool {
            let utf8 = Array(prefix.utf8)
            return index + utf8.count <= bytes.count && Array(bytes[index..<(index + utf8.count)]) == utf8
        }

        /// Moves past the next `terminator`; `false` if there is none.
        private mutating func skip(past terminator: String) -> Bool {
            let utf8 = Array(terminator.utf8)
            while index + utf8.count <= bytes.count {
                if Array(bytes[index..<(index + utf8.count)]) == utf8 {
                    index += utf8.count
                    return true
                }
                index += 1
            }
            return false
        }

        private static func endsName(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
        }

        /// Text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references replaced; an unknown
        /// reference is kept as it is.
        private static func decodeEntities(_ slice: ArraySlice<UInt8>) -> String {
            let text = String(decoding: slice, as: UTF8.self)
            guard text.contains("&") else { return text }
            var result = ""
            var rest = Substring(text)
            while let ampersand = rest.firstIndex(of: "&") {
                result += rest[..<ampersand]
                let after = rest[ampersand...]
                guard let semicolon = after.firstIndex(of: ";"), after.distance(from: ampersand, to: semicolon) <= 10
                else {
                    result += "&"
                    rest = rest[rest.index(after: ampersand)...]
                    continue
                }
                let entity = after[after.index(after: ampersand)..<semicolon]
                if let replacement = Self.replacement(for: entity) {
                    result += replacement
                } else {
                    result += after[ampersand...semicolon]
                }
                rest = rest[rest.index(after: semicolon)...]
            }
            return result + rest
        }

        private static func replacement(for entity: Substring) -> String? {
            switch entity {
            case "amp": return "&"
            case "lt": return "<"
            case "gt": return ">"
            case "quot": return "\""
            case "apos": return "'"
            default:
                guard entity.hasPrefix("#") else { return nil }
                let digits = entity.dropFirst()
                let code =
                    digits.hasPrefix("x") || digits.hasPrefix("X")
                    ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                return code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            }
        }
    }
}
