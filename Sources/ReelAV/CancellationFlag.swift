import CFFmpeg
import Synchronization

/// A request to stop media work, set from any thread (a task's cancellation handler) and seen by the thread doing
/// the work: between packets and frames, and inside libav's blocking calls through `interrupt_callback`.
///
/// Work that sees it set stops with ``AVError/cancelled`` and leaves no output behind.
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    /// A flag not yet set.
    public init() {}

    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool { state.load(ordering: .acquiring) }

    /// Asks the work to stop. Calling it again does nothing more.
    public func cancel() { state.store(true, ordering: .releasing) }

    /// Throws ``AVError/cancelled`` once the flag is set.
    func check() throws(AVError) {
        if isCancelled { throw .cancelled }
    }

    /// libav's interrupt callback reading this flag. It holds the flag unretained: the format context's owner keeps
    /// a strong reference to the flag for as long as the context lives.
    var interruptCallback: AVIOInterruptCB {
        AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<CancellationFlag>.fromOpaque(opaque).takeUnretainedValue().isCancelled ? 1 : 0
            }, opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}
