import ArgumentParser
import Foundation
import ReelLibrary
import ReelPipeline
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `reel run PIPELINE --each ROWS`: checks the rows and the shard (exit 2 before any work), runs the batch with a
/// progress bar, prints its summary line (or `--json` its summary), writes `--junit`, exits 1 when a row failed.
struct BatchCommandRun {
    let pipeline: String
    let rows: String
    let params: [String: String]
    let library: LibraryOptions
    let jobs: Int
    let useCache: Bool
    let batch: BatchOptions
    let junit: String?
    let json: Bool

    func run() async throws {
        let plan = try usage {
            let shard = try Shard.resolve(
                option: try batch.shard.map(Shard.init(parsing:)), shardCount: batch.shardCount,
                environment: ProcessInfo.processInfo.environment)
            return try BatchPlan.make(
                pipeline: pipeline, rows: rows, overrides: params, keyField: batch.keyField, shard: shard,
                environment: try StageEnvironment(libraryAt: library.location))
        }
        for line in plan.invalidRows.keys.sorted() {
            printError("reel run: \(plan.rows.path):\(line): \(plan.invalidRows[line] ?? "")")
        }
        if batch.strict, let first = plan.invalidRows.keys.min() {
            throw ReelError(
                description: "reel run: "
                    + BatchInputError.invalidRows(
                        path: plan.rows.path, first: "line \(first): \(plan.invalidRows[first] ?? "")",
                        count: plan.invalidRows.count
                    ).description,
                exitCode: 2)
        }
        let opened = try libraryCommandResult("run") { try library.open() }
        let run = BatchRun(plan: plan, library: opened, jobs: jobs, useCache: useCache, rerunOK: batch.rerun == .ok)
        let meter = BatchMeter(batchID: plan.batchID)
        let isTerminal = isatty(STDERR_FILENO) != 0
        let (events, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .bufferingNewest(256))
        let (notes, noteContinuation) = AsyncStream.makeStream(of: String.self)
        let printer = Task {
            await RunProgress.show(events, notes: notes, banner: { meter.line(bar: isTerminal) })
        }
        let collected = Collected<BatchRowResult>()
        let keepRows = junit != nil
        let work = Task {
            try await run.execute(
                events: isTerminal ? continuation : nil, progress: { meter.update($0) },
                rowResult: { row in
                    if keepRows { collected.append(row) }
                    if !isTerminal, row.status == .failed {
                        noteContinuation.yield("✘ row \(row.key) (line \(row.line)): \(row.error ?? "failed")")
                    }
                })
        }
        let summary = try await Interrupts.awaiting(
            work, events: continuation, notes: noteContinuation, printer: printer)
        if let junit {
            try JUnitReport(batch: summary, rows: collected.values).write(to: junit)
        }
        if json { try printJSON(summary) } else { print(summary.line) }
        if summary.failed > 0 || summary.cancelled > 0 {
            if json { printError("reel run: \(summary.line)") }
            throw CommandFailed()
        }
    }

    /// Runs `body`, making a rows file, shard or pipeline that cannot be used a usage error (exit 2, one line).
    private func usage<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BatchInputError {
            throw ReelError(description: "reel run: \(error)", exitCode: 2)
        } catch let error as Shard.Problem {
            throw ReelError(description: "reel run: \(error)", exitCode: 2)
        }
    }
}

/// Values gathered from concurrent callbacks.
private final class Collected<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }

    var values: [Value] { storage.withLock { $0 } }
}
