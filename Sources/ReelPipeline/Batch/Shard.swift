import Crypto
import Foundation

/// One part of a batch's rows, `index` of `count`: the rows whose key hashes to `index` modulo `count`. A row's
/// shard depends on its key alone, so rows added to the file never move the existing ones to another shard.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// Why a shard cannot be worked out. One line each.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case malformed(String)
        case countTooSmall(String)
        case indexOutOfRange(source: String, index: Int, count: Int)
        case notANumber(variable: String, value: String)
        case incomplete(String)
        case disagree(String, String)

        public var description: String {
            switch self {
            case .malformed(let text): "--shard \(text): must be INDEX/COUNT, as in 0/4"
            case .countTooSmall(let source): "\(source): the shard count must be at least 1"
            case .indexOutOfRange(let source, let index, let count):
                "\(source): shard index \(index) is not below the count \(count) (0…\(count - 1))"
            case .notANumber(let variable, let value): "\(variable)=\(value): not a whole number"
            case .incomplete(let what): what
            case .disagree(let first, let second): "\(first) disagrees with \(second)"
            }
        }
    }

    public init(index: Int, count: Int, source: String) throws(Problem) {
        guard count >= 1 else { throw .countTooSmall(source) }
        guard (0..<count).contains(index) else { throw .indexOutOfRange(source: source, index: index, count: count) }
        self.index = index
        self.count = count
    }

    /// `I/N`, as `--shard` takes it.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), index >= 0 else {
            throw .malformed(text)
        }
        try self.init(index: index, count: count, source: "--shard \(text)")
    }

    /// `2/4`.
    public var description: String { "\(index)/\(count)" }

    /// Whether the row with `key` is in this shard.
    public func contains(key: String) -> Bool {
        let digest = Array(SHA256.hash(data: Data(key.utf8)))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return value % UInt64(count) == UInt64(index)
    }

    /// The shard to run: `--shard I/N` when given, else the scheduler's variables — a Slurm job array
    /// (`SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_COUNT`, or with `SLURM_ARRAY_TASK_MIN` and `_MAX`) or a
    /// Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, with `--shard-count N` as Kubernetes does not export the
    /// count). A Slurm array of one task is one shard resubmitted: its index is `SLURM_ARRAY_TASK_ID` and its
    /// count `--shard-count N` (or `--shard`'s). nil runs every row. `--shard` and variables that say otherwise are
    /// an error, as are variables that disagree with each other.
    public static func resolve(
        option: Shard?, shardCount: Int?, environment: [String: String]
    ) throws(Problem) -> Shard? {
        if let shardCount, shardCount < 1 { throw .countTooSmall("--shard-count \(shardCount)") }
        if let option, let shardCount, option.count != shardCount {
            throw .disagree("--shard \(option)", "--shard-count \(shardCount)")
        }
        let found = try schedulerShards(environment, shardCount: shardCount, shardOption: option)
        for (source, index, count) in found {
            if let option {
                if index != option.index || (count != nil && count != option.count) {
                    throw .disagree("--shard \(option)", source)
                }
            }
        }
        if found.count == 2,
            found[0].index != found[1].index || (found[0].count ?? shardCount) != (found[1].count ?? shardCount)
        {
            throw .disagree(found[0].source, found[1].source)
        }
        if let option { return option }
        guard let (source, index, count) = found.first else {
            if shardCount != nil {
                throw .incomplete(
                    "--shard-count needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment "
                        + "(or give --shard INDEX/COUNT)")
            }
            return nil
        }
        guard let count = count ?? shardCount else {
            throw .incomplete(
                "\(source) is set but not the shard count: give --shard-count N (Kubernetes does not export it)")
        }
        return try Shard(index: index, count: count, source: source)
    }

    /// What the Slurm and Kubernetes variables say, each as the variables that said it, an index and (when the
    /// scheduler tells) a count.
    private static func schedulerShards(
        _ environment: [String: String], shardCount: Int?, shardOption: Shard?
    ) throws(Problem) -> [(source: String, index: Int, count: Int?)] {
        func number(_ name: String) throws(Problem) -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw .notANumber(variable: name, value: text)
            }
            return value
        }
        var found: [(source: String, index: Int, count: Int?)] = []
        if let id = try number("SLURM_ARRAY_TASK_ID") {
            let count = try number("SLURM_ARRAY_TASK_COUNT")
            let minimum = try number("SLURM_ARRAY_TASK_MIN")
            let maximum = try number("SLURM_ARRAY_TASK_MAX")
            var source = "SLURM_ARRAY_TASK_ID=\(id)"
            var span: Int?
            if let minimum, let maximum {
                span = maximum - minimum + 1
                source += " (SLURM_ARRAY_TASK_MIN=\(minimum), SLURM_ARRAY_TASK_MAX=\(maximum))"
            } else if count == nil {
                throw .incomplete(
                    "SLURM_ARRAY_TASK_ID=\(id) is set without SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MIN/MAX")
            }
            if let count, let span, count != span {
                throw .disagree(
                    "SLURM_ARRAY_TASK_COUNT=\(count)",
                    "SLURM_ARRAY_TASK_MIN/MAX \(minimum ?? 0)-\(maximum ?? 0) (arrays with a step are not shards)")
            }
            if (count ?? span) == 1 {
                if span == nil { source += " (SLURM_ARRAY_TASK_COUNT=1)" }
                found.append(try oneTaskArray(id: id, source: source, shardCount: shardCount ?? shardOption?.count))
            } else {
                let index = id - (minimum ?? 0)
                let total = count ?? span
                if let total, let shardCount, total != shardCount {
                    throw .disagree("--shard-count \(shardCount)", source)
                }
                if let total, !(0..<total).contains(index) {
                    throw .indexOutOfRange(source: source, index: index, count: total)
                }
                found.append((source, index, total))
            }
        }
        if let index = try number("JOB_COMPLETION_INDEX") {
            found.append(("JOB_COMPLETION_INDEX=\(index)", index, nil))
        }
        return found
    }

    /// A Slurm array of one task is one shard of a batch resubmitted (`sbatch --array=2` after shard 2 of
    /// `--array=0-3` was killed): its count, 1, is not the batch's, so the shard count comes from `--shard-count`
    /// (or `--shard`), and the index is `SLURM_ARRAY_TASK_ID` itself, as in an array numbered from 0.
    private static func oneTaskArray(
        id: Int, source: String, shardCount: Int?
    ) throws(Problem) -> (source: String, index: Int, count: Int?) {
        guard let shardCount else {
            throw .incomplete(
                "\(source) is an array of one task, which does not tell the batch's shard count: give --shard-count N "
                    + "(the size of the array whose task it reruns)")
        }
        guard (0..<shardCount).contains(id) else {
            throw .indexOutOfRange(source: source, index: id, count: shardCount)
        }
        return (source, id, shardCount)
    }
}
