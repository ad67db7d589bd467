import ArgumentParser

/// `reel run`'s batch options: the rows, their keys, the shard, what runs again.
struct BatchOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run the pipeline once per row of a .jsonl or .csv file, the row's fields as params.", valueName: "rows"))
    var each: String?
    @Option(help: ArgumentHelp("The row field that is its key (default: key, else a hash of the row).", valueName: "f"))
    var keyField: String?
    @Flag(help: "Run no row when any row is invalid (default: run the valid rows).") var strict = false
    @Option(
        help: ArgumentHelp(
            "Run shard I of N: the rows whose key hashes to I (default: from Slurm or Kubernetes).", valueName: "i/n"))
    var shard: String?
    @Option(help: ArgumentHelp("The shard count, with Kubernetes' JOB_COMPLETION_INDEX.", valueName: "n"))
    var shardCount: Int?
    @Option(help: ArgumentHelp("Run rows again that an earlier run of the batch finished: ok.", valueName: "status"))
    var rerun: RerunChoice?

    /// Rows to run again though done.
    enum RerunChoice: String, ExpressibleByArgument {
        case ok
    }

    /// A flag given that only a batch uses, as written on the command line.
    var batchOnlyFlag: String? {
        if keyField != nil { return "--key-field" }
        if strict { return "--strict" }
        if shard != nil { return "--shard" }
        if shardCount != nil { return "--shard-count" }
        if rerun != nil { return "--rerun" }
        return nil
    }
}
