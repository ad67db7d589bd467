import ArgumentParser
import Foundation
import ReelLibrary

/// `reel remote test NAME`: a probe object put, checked, read back and deleted.
struct RemoteTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Put, head, get and delete a small probe object, reporting each step.")
    @OptionGroup var library: LibraryOptions
    @Argument(help: "The remote.") var name: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let saver = try libraryCommandResult("remote test") {
            try RemoteSaver(library: try library.openExisting(), remote: name)
        }
        let checks = await saver.check()
        if output.json {
            try printJSON(checks)
        } else {
            for check in checks {
                print(
                    "\(check.ok ? "ok  " : "FAIL") \(check.step.padding(toLength: 7, withPad: " ", startingAt: 0))"
                        + "\(String(format: "%6.0f ms", check.seconds * 1000))  \(check.detail)")
            }
        }
        if checks.count < 4 || checks.contains(where: { !$0.ok }) {
            printError("reel remote test: \(name): " + (checks.first { !$0.ok }?.detail ?? "incomplete"))
            throw CommandFailed()
        }
    }
}
