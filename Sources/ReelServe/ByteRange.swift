import Foundation

/// What a request's `Range` header asks of a body of `size` bytes.
enum ByteRangeRequest: Equatable {
    /// No range, a form this server does not serve (several ranges, another unit): the whole body, 200.
    case whole
    /// One satisfiable range, 206.
    case part(ClosedRange<Int64>)
    /// A range that starts past the end, 416.
    case unsatisfiable

    /// Parses `bytes=A-B`, `bytes=A-` and `bytes=-N` (RFC 9110 §14.1.2) against `size`.
    init(header: String?, size: Int64) {
        guard let header else {
            self = .whole
            return
        }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes="), !text.contains(",") else {
            self = .whole
            return
        }
        let spec = text.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            self = .whole
            return
        }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int64(last), suffix >= 0 else {
                self = .whole
                return
            }
            self = suffix == 0 || size == 0 ? .unsatisfiable : .part(max(0, size - suffix)...(size - 1))
            return
        }
        guard let start = Int64(first), start >= 0 else {
            self = .whole
            return
        }
        let end: Int64
        if last.isEmpty {
            end = size - 1
        } else {
            guard let value = Int64(last), value >= start else {
                self = .whole
                return
            }
            end = min(value, size - 1)
        }
        self = start >= size ? .unsatisfiable : .part(start...end)
    }
}
