/// The bytes a body brought over the last ``DownloadRequest/MinimumRate/window``, to tell a trickle from a download.
/// It answers from samples taken at most every sixteenth of the window, erring towards "fast enough".
struct RateWatch {
    let minimum: DownloadRequest.MinimumRate
    private let started: ContinuousClock.Instant
    /// (when, bytes so far), oldest first; the first is at or before the window's start once a window has passed.
    private var samples: [(at: ContinuousClock.Instant, total: Int64)]
    private var total: Int64 = 0

    init(_ minimum: DownloadRequest.MinimumRate, now: ContinuousClock.Instant) {
        self.minimum = minimum
        started = now
        samples = [(now, 0)]
    }

    /// Adds `count` bytes received at `now`; false when the last window brought fewer than the minimum.
    mutating func add(_ count: Int64, at now: ContinuousClock.Instant) -> Bool {
        total += count
        if let last = samples.last, now - last.at >= minimum.window / 16 { samples.append((now, total)) }
        guard now - started >= minimum.window else { return true }
        let start = now - minimum.window
        while samples.count > 1, samples[1].at <= start { samples.removeFirst() }
        let seconds = Double(minimum.window.components.seconds) + Double(minimum.window.components.attoseconds) / 1e18
        return Double(total - samples[0].total) >= Double(minimum.bytesPerSecond) * seconds
    }
}
