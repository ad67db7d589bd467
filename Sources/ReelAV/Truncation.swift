import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension InputFile {
    /// Whether the file stops before the data it describes: a copy cut short opens as the whole clip (its index
    /// or header says so) but cannot be played to its end.
    ///
    /// Cheap, no packet is read: the end of the last sample in the demuxer's index (MP4/MOV sample tables and the
    /// fragments read at open, the Matroska clusters seen) against the file size, and for Matroska/WebM the
    /// segment size its header states. A container that says neither (MPEG-TS, a live WebM) is never flagged.
    public var isTruncated: Bool {
        guard let io = pointer.pointee.pb else { return false }
        let size = avio_size(io)
        guard size > 0 else { return false }
        if indexedDataEnd > size { return true }
        if formatName.hasPrefix("matroska"), let end = MatroskaHeader.segmentEnd(path: path), end > size {
            return true
        }
        return false
    }

    /// One past the last byte any index entry of any stream points at; 0 without an index.
    var indexedDataEnd: Int64 {
        var end: Int64 = 0
        for stream in streams {
            for position in 0..<avformat_index_get_entries_count(stream.pointer) {
                guard let entry = avformat_index_get_entry(stream.pointer, position) else { continue }
                end = max(end, entry.pointee.pos + Int64(entry.pointee.size))
            }
        }
        return end
    }
}

/// The first two elements of a Matroska file, read with plain file reads (the demuxer's own reader is left where
/// it is): the EBML header, then the Segment, whose size says where the file should end.
enum MatroskaHeader {
    static let ebmlID: UInt64 = 0x1A45_DFA3
    static let segmentID: UInt64 = 0x1853_8067

    /// The byte offset at which the Segment ends, or nil when the header does not say (unknown size, or not the
    /// layout expected).
    static func segmentEnd(path: String) -> Int64? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = fread(&bytes, 1, bytes.count, handle)
        var reader = ElementReader(bytes: Array(bytes.prefix(count)))
        guard reader.id() == ebmlID, let headerSize = reader.size(), reader.skip(headerSize),
            reader.id() == segmentID, let segmentSize = reader.size()
        else { return nil }
        let (end, overflow) = Int64(reader.offset).addingReportingOverflow(Int64(clamping: segmentSize))
        return overflow ? nil : end
    }

    /// Reads EBML variable-length integers from the start of a buffer.
    struct ElementReader {
        let bytes: [UInt8]
        var offset = 0

        /// The number's length in bytes (1 to 8), from its first byte's leading zeros.
        private func width(_ first: UInt8) -> Int? {
            guard first != 0 else { return nil }
            return first.leadingZeroBitCount + 1
        }

        /// An element ID, marker bit kept (IDs are written that way).
        mutating func id() -> UInt64? {
            guard offset < bytes.count, let length = width(bytes[offset]), length <= 4,
                offset + length <= bytes.count
            else { return nil }
            let value = bytes[offset..<(offset + length)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            offset += length
            return value
        }

        /// An element size, marker bit removed; nil when unknown (all ones) or unreadable.
        mutating func size() -> UInt64? {
            guard offset < bytes.count, let length = width(bytes[offset]), offset + length <= bytes.count else {
                return nil
            }
            let raw = bytes[offset..<(offset + length)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            offset += length
            let valueBits = 7 * length
            let value = raw & ((1 << valueBits) - 1)
            return value == (1 << valueBits) - 1 ? nil : value
        }

        /// Moves past `count` bytes; false when they are not all in the buffer.
        mutating func skip(_ count: UInt64) -> Bool {
            guard count <= UInt64(bytes.count - offset) else { return false }
            offset += Int(count)
            return true
        }
    }
}
