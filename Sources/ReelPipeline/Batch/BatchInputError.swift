import ReelLibrary

/// Why a batch's rows or shard cannot be used. Found before any work; each reads as one line naming the file, the
/// line and why.
public enum BatchInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rows file's extension is neither `.jsonl` nor `.csv`.
    case unsupportedFormat(path: String)
    case unreadable(path: String, detail: String)
    /// No rows at all (a CSV with a header and nothing under it is empty too).
    case empty(path: String)
    /// A JSONL line that is not JSON.
    case invalidJSON(path: String, line: Int, detail: String)
    /// A JSONL line holding JSON that is not an object.
    case notAnObject(path: String, line: Int, type: String)
    /// A field whose value cannot be a param (an array, an object).
    case badValue(path: String, line: Int, field: String, type: String)
    /// A CSV record with more or fewer fields than the header.
    case fieldCount(path: String, line: Int, count: Int, expected: Int)
    /// A CSV quote opened and never closed.
    case unclosedQuote(path: String, line: Int)
    /// A column (or JSONL field) that names no param of the pipeline.
    case unknownColumn(path: String, line: Int, column: String, suggestion: String)
    /// Two rows with one key.
    case duplicateKey(path: String, line: Int, key: String, firstLine: Int)
    /// `--key-field F` and a row without `F`.
    case missingKey(path: String, line: Int, field: String)
    /// The pipeline has no `each` and no `--each` was given, for a flag that needs rows.
    case noRows(flag: String)
    /// `--strict` and rows that are invalid: the first of them, and how many there are.
    case invalidRows(path: String, first: String, count: Int)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path):
            "rows file \(path): not a .jsonl or .csv file"
        case .unreadable(let path, let detail):
            "rows file \(path): cannot be read (\(detail))"
        case .empty(let path):
            "rows file \(path): has no rows"
        case .invalidJSON(let path, let line, let detail):
            "\(path):\(line): not valid JSON (\(detail))"
        case .notAnObject(let path, let line, let type):
            "\(path):\(line): must be a JSON object, not \(type)"
        case .badValue(let path, let line, let field, let type):
            "\(path):\(line): field \"\(field)\" must be a string, number, true/false or null, not \(type)"
        case .fieldCount(let path, let line, let count, let expected):
            "\(path):\(line): \(Plural.count(count, "field")), the header has \(expected)"
        case .unclosedQuote(let path, let line):
            "\(path):\(line): a quoted field is never closed"
        case .unknownColumn(let path, let line, let column, let suggestion):
            "\(path):\(line): column \"\(column)\" names no param of the pipeline\(suggestion)"
        case .duplicateKey(let path, let line, let key, let firstLine):
            "\(path):\(line): duplicate key \"\(key)\" (also line \(firstLine))"
        case .missingKey(let path, let line, let field):
            "\(path):\(line): no \"\(field)\" field for the row's key (--key-field \(field))"
        case .noRows(let flag):
            "\(flag) needs rows: give --each ROWS or \"each\" in the pipeline"
        case .invalidRows(let path, let first, let count):
            "rows file \(path): \(Plural.count(count, "invalid row")) and --strict (first: \(first))"
        }
    }
}
