import Foundation
import ReelLibrary

/// Writes `value` to stdout as the stable JSON every `--json` flag promises:
/// snake_case keys (set by each type), sorted, slashes unescaped, ISO 8601 dates.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder.sorted
    encoder.outputFormatting.insert(.prettyPrinted)
    var data = try encoder.encode(value)
    data.append(0x0A)
    FileHandle.standardOutput.write(data)
}

/// `base`'s keys plus one more, `{…base, key: value}`: an item with its import `status`, a probe with its `sha256`.
struct Annotated<Base: Encodable, Value: Encodable>: Encodable {
    var base: Base
    var key: String
    var value: Value

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(value, forKey: Key(stringValue: key))
    }
}
