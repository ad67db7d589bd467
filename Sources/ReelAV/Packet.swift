import CFFmpeg

/// An owned `AVPacket`: compressed data for one stream, freed with the packet.
public final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    public init() throws(AVError) {
        pointer = try allocated(av_packet_alloc(), "av_packet_alloc")
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }

    /// Drops the payload so the packet can be filled again.
    public func unref() { av_packet_unref(pointer) }

    /// The index of the stream this packet belongs to in its file.
    public var streamIndex: Int {
        get { Int(pointer.pointee.stream_index) }
        set { pointer.pointee.stream_index = Int32(newValue) }
    }

    /// Presentation timestamp in the stream's time base, nil when unknown.
    public var pts: Int64? {
        get { pointer.pointee.pts == noTimestamp ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? noTimestamp }
    }

    /// Decoding timestamp in the stream's time base, nil when unknown.
    public var dts: Int64? {
        get { pointer.pointee.dts == noTimestamp ? nil : pointer.pointee.dts }
        set { pointer.pointee.dts = newValue ?? noTimestamp }
    }

    /// Duration in the stream's time base (0 when unknown).
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }

    /// Payload size in bytes.
    public var size: Int { Int(pointer.pointee.size) }

    /// Whether the packet starts a keyframe.
    public var isKeyframe: Bool { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }

    /// Whether the demuxer marked the packet as one to decode but not show (edit-list preroll).
    public var isDiscarded: Bool { pointer.pointee.flags & AV_PKT_FLAG_DISCARD != 0 }

    /// Converts pts, dts and duration from one time base to another.
    public func rescale(from source: Rational, to destination: Rational) {
        av_packet_rescale_ts(pointer, source.av, destination.av)
    }
}

@available(*, unavailable)
extension Packet: Sendable {}
