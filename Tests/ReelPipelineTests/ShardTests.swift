import Foundation
import ReelPipeline
import Testing

/// How `reel run --each` picks its shard: `--shard I/N`, else Slurm's or Kubernetes' variables.
@Suite("shard resolution")
struct ShardTests {
    private func resolve(
        _ option: String? = nil, count: Int? = nil, _ environment: [String: String] = [:]
    ) throws -> Shard? {
        try Shard.resolve(
            option: try option.map(Shard.init(parsing:)), shardCount: count, environment: environment)
    }

    @Test("no --shard and no scheduler variables: every row")
    func none() throws {
        #expect(try resolve() == nil)
    }

    @Test("--shard I/N is taken as given")
    func option() throws {
        #expect(try resolve("2/4") == Shard(index: 2, count: 4, source: "test"))
    }

    @Test("--shard that is not a shard is refused", arguments: ["4/4", "0/0", "-1/4", "1", "a/b", "1/4/2", "5/4"])
    func badOption(_ text: String) {
        #expect(throws: Shard.Problem.self) { try Shard(parsing: text) }
    }

    @Test("the --shard messages say what is wrong")
    func messages() {
        #expect(throws: Shard.Problem.indexOutOfRange(source: "--shard 4/4", index: 4, count: 4)) {
            try Shard(parsing: "4/4")
        }
        #expect(throws: Shard.Problem.countTooSmall("--shard 0/0")) { try Shard(parsing: "0/0") }
    }

    @Test("Slurm: SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT")
    func slurmCount() throws {
        let shard = try resolve(nil, ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"])
        #expect(shard?.index == 3 && shard?.count == 4)
    }

    @Test("Slurm: SLURM_ARRAY_TASK_ID with MIN and MAX, an array that starts at 1")
    func slurmMinMax() throws {
        let shard = try resolve(
            nil, ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "4"])
        #expect(shard?.index == 0 && shard?.count == 4)
    }

    @Test("Slurm: COUNT, MIN and MAX that agree")
    func slurmAll() throws {
        let shard = try resolve(
            nil,
            [
                "SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0",
                "SLURM_ARRAY_TASK_MAX": "3",
            ])
        #expect(shard?.index == 2 && shard?.count == 4)
    }

    @Test("Slurm: an array with a step (COUNT disagrees with MIN/MAX) is refused")
    func slurmStep() {
        #expect(throws: Shard.Problem.self) {
            try resolve(
                nil,
                [
                    "SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "0",
                    "SLURM_ARRAY_TASK_MAX": "6",
                ])
        }
    }

    @Test("Slurm: a task id alone, or one that is not a number, is refused")
    func slurmIncomplete() {
        #expect(throws: Shard.Problem.self) { try resolve(nil, ["SLURM_ARRAY_TASK_ID": "1"]) }
        #expect(throws: Shard.Problem.self) {
            try resolve(nil, ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"])
        }
        #expect(throws: Shard.Problem.self) {
            try resolve(nil, ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4"])
        }
    }

    @Test(
        "Slurm: a one-task array (one shard resubmitted) takes its index from the task id, its count from --shard-count",
        arguments: [
            ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1"],
            ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "2", "SLURM_ARRAY_TASK_MAX": "2"],
            [
                "SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1", "SLURM_ARRAY_TASK_MIN": "2",
                "SLURM_ARRAY_TASK_MAX": "2",
            ],
        ])
    func slurmOneTask(_ environment: [String: String]) throws {
        #expect(try resolve(nil, count: 4, environment) == Shard(index: 2, count: 4, source: "test"))
        #expect(try resolve("2/4", environment) == Shard(index: 2, count: 4, source: "test"))
        #expect(try resolve("2/4", count: 4, environment) == Shard(index: 2, count: 4, source: "test"))
    }

    @Test("Slurm: a one-task array without a shard count, past it, or against --shard, is refused")
    func slurmOneTaskRefused() {
        let environment = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1"]
        #expect(
            throws: Shard.Problem.incomplete(
                "SLURM_ARRAY_TASK_ID=2 (SLURM_ARRAY_TASK_COUNT=1) is an array of one task, which does not tell the "
                    + "batch's shard count: give --shard-count N (the size of the array whose task it reruns)")
        ) { try resolve(nil, environment) }
        #expect(
            throws: Shard.Problem.indexOutOfRange(
                source: "SLURM_ARRAY_TASK_ID=2 (SLURM_ARRAY_TASK_COUNT=1)", index: 2, count: 2)
        ) { try resolve(nil, count: 2, environment) }
        #expect(throws: Shard.Problem.self) { try resolve("1/4", environment) }
        #expect(throws: Shard.Problem.self) { try resolve("2/4", count: 3, environment) }
    }

    @Test("Kubernetes: JOB_COMPLETION_INDEX with --shard-count")
    func kubernetes() throws {
        let shard = try resolve(nil, count: 5, ["JOB_COMPLETION_INDEX": "4"])
        #expect(shard?.index == 4 && shard?.count == 5)
    }

    @Test("Kubernetes: JOB_COMPLETION_INDEX without --shard-count, or past it, is refused")
    func kubernetesIncomplete() {
        #expect(throws: Shard.Problem.self) { try resolve(nil, ["JOB_COMPLETION_INDEX": "1"]) }
        #expect(throws: Shard.Problem.self) { try resolve(nil, count: 2, ["JOB_COMPLETION_INDEX": "2"]) }
    }

    @Test("--shard-count with no index anywhere is refused")
    func countAlone() {
        #expect(throws: Shard.Problem.self) { try resolve(nil, count: 4) }
    }

    @Test("--shard and scheduler variables that agree are fine; that disagree are refused")
    func optionAndVariables() throws {
        let slurm = ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(try resolve("1/4", slurm) == Shard(index: 1, count: 4, source: "test"))
        #expect(throws: Shard.Problem.self) { try resolve("2/4", slurm) }
        #expect(throws: Shard.Problem.self) { try resolve("1/3", slurm) }
        #expect(throws: Shard.Problem.self) { try resolve("0/4", count: 4, ["JOB_COMPLETION_INDEX": "1"]) }
        #expect(throws: Shard.Problem.self) { try resolve("0/4", count: 3) }
        #expect(throws: Shard.Problem.self) { try resolve(nil, count: 3, slurm) }
    }

    @Test("Slurm and Kubernetes variables that disagree are refused")
    func bothSchedulers() {
        #expect(throws: Shard.Problem.self) {
            try resolve(
                nil, count: 4,
                ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4", "JOB_COMPLETION_INDEX": "2"])
        }
    }

    @Test("every key is in exactly one shard, and the shards split the keys roughly evenly")
    func partition() throws {
        let shards = try (0..<4).map { try Shard(index: $0, count: 4, source: "test") }
        let keys = (0..<4000).map { "clip-\($0)" }
        var sizes = [0, 0, 0, 0]
        for key in keys {
            let owners = shards.filter { $0.contains(key: key) }
            #expect(owners.count == 1)
            if let owner = owners.first { sizes[owner.index] += 1 }
        }
        #expect(sizes.allSatisfy { (800...1200).contains($0) }, "\(sizes)")
    }
}
