import ArgumentParser
import ReelLibrary

/// `reel library verify [--repair]`: every object rehashed; leftovers, orphans, missing and corrupt files found.
struct LibraryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Rehash every object; find leftovers, orphans, missing and corrupt files.")

    @OptionGroup var library: LibraryOptions
    @Flag(help: "Remove leftovers and orphans; drop rows whose file is gone.") var repair = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try libraryCommand("verify") {
            try (repair ? library.open() : library.openExisting()).verify(repair: repair)
        }
        if output.json {
            try printJSON(report)
        } else {
            for finding in report.findings {
                print("\(finding.kind.rawValue) \(finding.path)\(finding.repaired ? " (repaired)" : "")")
            }
            print(
                "\(Plural.count(report.checkedObjects, "object")) checked, "
                    + Plural.count(report.findings.count, "problem"))
        }
        if report.findings.contains(where: { !$0.repaired }) { throw CommandFailed() }
    }
}
