import Dispatch
import Foundation
import ReelAV
import ReelPipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into cancellation of the work under way, so a command stops cleanly (temporary and
/// staging files removed, a run recorded as cancelled) instead of dying mid-write. A second signal exits at once
/// with the conventional code.
final class Interrupts {
    private let sources: [any DispatchSourceSignal]
    private let fired = FiredSignal()

    /// Starts watching; on the first signal `announce` gets a line saying so and `cancel` is called, once.
    init(announce: @escaping @Sendable (String) -> Void, cancel: @escaping @Sendable () -> Void) {
        let fired = self.fired
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if fired.record(number) {
                    announce("reel: \(number == SIGINT ? "interrupted" : "terminated"), stopping…")
                    cancel()
                } else {
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// Runs `work` with a flag that SIGINT or SIGTERM sets. Once `work` has returned or thrown (and so cleaned up
    /// after itself), a signal that came ends the process by that same signal, as if it had not been caught:
    /// a shell sees 130 or 143, and a parent sees the signal.
    static func stoppingOnSignal<T>(_ work: (CancellationFlag) throws -> T) throws -> T {
        let flag = CancellationFlag()
        let interrupts = Interrupts(announce: { printError($0) }, cancel: { flag.cancel() })
        let result = Result { try work(flag) }
        interrupts.endIfSignalled()
        return try result.get()
    }

    /// ``stoppingOnSignal(_:)`` for async work: a signal cancels the task running `work`.
    static func stoppingOnSignal<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let interrupts = Interrupts(announce: { printError($0) }, cancel: { task.cancel() })
        let result = await task.result
        interrupts.endIfSignalled()
        return try result.get()
    }

    /// Ends the process by the signal that came, if one did, with the signal's default action.
    private func endIfSignalled() {
        guard let number = fired.number else { return }
        for source in sources { source.cancel() }
        signal(number, SIG_DFL)
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, number)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        raise(number)
        exit(128 + number)
    }
}

/// The first signal that came, set once from any thread.
private final class FiredSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Int32?

    /// The signal recorded, if any.
    var number: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }

    /// Records `number` unless a signal came before; true when this call recorded it.
    func record(_ number: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if first != nil { return false }
        first = number
        return true
    }
}

extension Interrupts {
    /// Awaits a run's `work` with SIGINT and SIGTERM cancelling it (announced as a note), then ends the event and
    /// note streams and waits for `printer` to print what is left. `reel run` and `reel run --each` both run so.
    static func awaiting<T: Sendable>(
        _ work: Task<T, any Error>, events: AsyncStream<RunEvent>.Continuation,
        notes: AsyncStream<String>.Continuation, printer: Task<Void, Never>
    ) async throws -> T {
        let interrupts = Interrupts(announce: { notes.yield($0) }, cancel: { work.cancel() })
        let value: T
        do {
            value = try await work.value
        } catch {
            throw ReelError.failed("run", error)
        }
        withExtendedLifetime(interrupts) {}
        events.finish()
        notes.finish()
        await printer.value
        return value
    }
}
