import Crypto
import Foundation
import ReelLibrary

/// One row of a batch's rows file: its fields (params for one instance of the pipeline) and the line it starts on.
public struct BatchRow: Sendable, Equatable {
    /// 1-based line in the file where the row starts (a CSV's header is line 1).
    public var line: Int
    /// Field names to values, as text. JSON `null` and an empty CSV cell are left out: the param's `--param` or
    /// default value applies.
    public var fields: [String: String]

    public init(line: Int, fields: [String: String]) {
        self.line = line
        self.fields = fields
    }

    /// The row's key: its `keyField` (`key` unless `--key-field` names another), else a hash of its fields.
    public func key(field keyField: String?, file: String) throws(BatchInputError) -> String {
        if let value = fields[keyField ?? "key"] { return value }
        if let keyField { throw .missingKey(path: file, line: line, field: keyField) }
        let canonical = fields.keys.sorted().map { "\($0)=\(fields[$0] ?? "")" }.joined(separator: "\u{0}")
        return "h-" + SHA256.hash(data: Data(canonical.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

/// A batch's rows file, `.jsonl` (one JSON object per line) or `.csv` (RFC 4180, a header row first), read one
/// row at a time: memory stays flat however many rows the file has.
public struct RowsFile: Sendable {
    public enum Format: Sendable { case jsonl, csv }

    public let path: String
    public let format: Format

    /// The file at `path`, its format from its extension.
    public init(path: String) throws(BatchInputError) {
        self.path = path
        switch (path as NSString).pathExtension.lowercased() {
        case "jsonl", "ndjson": format = .jsonl
        case "csv": format = .csv
        default: throw .unsupportedFormat(path: path)
        }
    }

    /// A reader from the first row. Each ``RowsReader/next()`` reads one more row; at the end, ``RowsReader/sha256``
    /// is the hash of the whole file.
    public func reader() throws(BatchInputError) -> RowsReader {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .unreadable(path: path, detail: exists ? "permission denied" : "no such file")
        }
        return RowsReader(path: path, format: format, handle: handle)
    }
}

/// Reads a rows file row by row (``RowsFile/reader()``), hashing its bytes on the way.
public final class RowsReader {
    private let path: String
    private let kind: RowsFile.Format
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var hasher = SHA256()
    private var line = 0
    private var header: [String]?
    /// The number of rows read so far.
    public private(set) var count = 0

    init(path: String, format: RowsFile.Format, handle: FileHandle) {
        self.path = path
        kind = format
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The CSV header's columns (after the first ``next()``), or nil for JSONL.
    public var columns: [String]? { header }

    /// SHA-256 of the file's bytes, once ``next()`` returned nil.
    public var sha256: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }

    /// The next row, or nil at the end of the file. An empty file (no rows) is an error.
    public func next() throws(BatchInputError) -> BatchRow? {
        let row = try kind == .jsonl ? nextJSONLine() : nextCSVRecord()
        if row == nil, count == 0 { throw .empty(path: path) }
        if row != nil { count += 1 }
        return row
    }

    private func nextJSONLine() throws(BatchInputError) -> BatchRow? {
        while let bytes = try readLine() {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
            } catch {
                let detail =
                    ((error as? DecodingError).flatMap { error -> String? in
                        if case .dataCorrupted(let context) = error {
                            return (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey]
                                as? String
                        }
                        return nil
                    }) ?? "unreadable"
                throw .invalidJSON(path: path, line: line, detail: detail)
            }
            guard case .object(let object) = value else {
                throw .notAnObject(path: path, line: line, type: value.typeName)
            }
            var fields: [String: String] = [:]
            for (name, field) in object {
                switch field {
                case .string(let text): fields[name] = text
                case .number(let number): fields[name] = format(number)
                case .bool(let flag): fields[name] = String(flag)
                case .null: break
                default: throw .badValue(path: path, line: line, field: name, type: field.typeName)
                }
            }
            return BatchRow(line: line, fields: fields)
        }
        return nil
    }

    private func nextCSVRecord() throws(BatchInputError) -> BatchRow? {
        if header == nil {
            guard let names = try readRecord()?.values else { return nil }
            header = names
        }
        guard let header else { return nil }
        while let record = try readRecord() {
            let (start, values) = record
            if values == [""] { continue }
            guard values.count == header.count else {
                throw .fieldCount(path: path, line: start, count: values.count, expected: header.count)
            }
            var fields: [String: String] = [:]
            for (name, value) in zip(header, values) where !value.isEmpty { fields[name] = value }
            return BatchRow(line: start, fields: fields)
        }
        return nil
    }

    /// One CSV record (fields may hold quoted commas, quotes and line breaks), with the line it starts on.
    private func readRecord() throws(BatchInputError) -> (start: Int, values: [String])? {
        guard var bytes = try readLine() else { return nil }
        let start = line
        var values: [String] = []
        var field: [UInt8] = []
        var index = 0
        var quoted = false
        while true {
            if index == bytes.count {
                if quoted {
                    guard let more = try readLine() else { throw .unclosedQuote(path: path, line: start) }
                    field.append(0x0A)
                    bytes = more
                    index = 0
                    continue
                }
                values.append(String(decoding: field, as: UTF8.self))
                return (start, values)
            }
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == 0x22 {
                    if index < bytes.count, bytes[index] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == 0x22, field.isEmpty {
                quoted = true
            } else if byte == 0x2C {
                values.append(String(decoding: field, as: UTF8.self))
                field = []
            } else {
                field.append(byte)
            }
        }
    }

    /// The next line's bytes without its `\n` (or `\r\n`), or nil at the end of the file.
    private func readLine() throws(BatchInputError) -> [UInt8]? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position, buffer[end - 1] == 0x0D { end -= 1 }
                let bytes = Array(buffer[position..<end])
                position = newline + 1
                line += 1
                return bytes
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let bytes = Array(buffer[position...])
                position = buffer.count
                line += 1
                return bytes
            }
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            } catch {
                throw .unreadable(path: path, detail: ErrorLine.describe(error))
            }
            if chunk.isEmpty { atEnd = true }
            hasher.update(data: chunk)
            buffer.removeFirst(position)
            position = 0
            buffer.append(contentsOf: chunk)
        }
    }
}
