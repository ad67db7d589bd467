import ArgumentParser

/// `--json`, shared by every command that can print its result for machines.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON.") var json = false
}
