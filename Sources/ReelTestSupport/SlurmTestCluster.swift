import Foundation

/// A real one-node Slurm cluster (munged, slurmctld, slurmd) on loopback, run by `Tests/slurm/cluster.sh`.
///
/// Its folder is fixed per checkout, so a run that died without stopping its cluster has it stopped by the next
/// ``start()``; the script's watcher also stops it once the test process exits.
public struct SlurmTestCluster: Sendable {
    /// `Tests/slurm/cluster.sh`.
    public static let script = Fixtures.packageRoot.appendingPathComponent("Tests/slurm/cluster.sh").path

    /// The folder holding the cluster's config, keys, state, logs and pid files.
    public let directory: String

    /// What every Slurm client command needs: `SLURM_CONF`.
    public var environment: [String: String] { ["SLURM_CONF": directory + "/slurm.conf"] }

    /// Starts the cluster (after stopping whatever a previous run left in its folder) and returns once its node
    /// is idle. Throws with the script's message, daemon logs included, when Slurm cannot start.
    public static func start() throws -> SlurmTestCluster {
        let directory = "/tmp/reel-slurm-\(getuid())-\(Fixtures.stableHash(Fixtures.packageRoot.path))"
        let pid = String(ProcessInfo.processInfo.processIdentifier)
        let result = try Shell.run("bash", [script, "start", directory, "--watch", pid])
        guard result.status == 0 else {
            throw ToolFailure(tool: script, arguments: ["start", directory], stderr: result.stderr)
        }
        return SlurmTestCluster(directory: directory)
    }

    /// Stops the daemons.
    public func stop() throws {
        let result = try Shell.run("bash", [Self.script, "stop", directory])
        guard result.status == 0 else {
            throw ToolFailure(tool: Self.script, arguments: ["stop", directory], stderr: result.stderr)
        }
    }

    /// Runs a Slurm client command (`sbatch`, `squeue`, `scancel`…) against this cluster, with `extra` variables
    /// added to the environment (`sbatch` hands its environment on to the job); throws if it fails.
    @discardableResult
    public func client(_ tool: String, _ arguments: [String], extra: [String: String] = [:]) throws -> String {
        let result = try Shell.run(tool, arguments, environment: environment.merging(extra) { $1 })
        guard result.status == 0 else { throw ToolFailure(tool: tool, arguments: arguments, stderr: result.stderr) }
        return result.stdout
    }

    /// Submits a batch script with `sbatch --parsable`, the job seeing `environment` too; returns the job id.
    public func submit(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let out = try client("sbatch", ["--parsable"] + arguments, extra: environment)
        return String(out.prefix { $0 != ";" && $0 != "\n" })
    }

    /// The state of each task of `job` still in the queue (`["2": "RUNNING", "3": "PENDING"]`), by array index.
    /// Pending tasks listed together (`[2-3]`) are each given.
    public func queuedTasks(of job: String) throws -> [String: String] {
        let out = try client("squeue", ["-h", "-r", "-j", job, "-o", "%K %T"])
        var tasks: [String: String] = [:]
        for line in out.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 { tasks[String(fields[0])] = String(fields[1]) }
        }
        return tasks
    }

    /// Waits until no task of `job` is queued or running; throws after `timeout` seconds.
    public func wait(for job: String, timeout: Double = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !queuedTasks(of: job).isEmpty {
            guard Date() < deadline else {
                throw ToolFailure(tool: "squeue", arguments: ["-j", job], stderr: "still queued after \(timeout) s")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
