import ArgumentParser
import Foundation
import ReelLibrary

/// `reel library …`: what is in the media library, where it came from, and keeping it healthy.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Manage the media library: content-addressed files plus a catalog of what they are.",
        subcommands: [
            ImportCommand.self, ListCommand.self, ShowCommand.self, LineageCommand.self, StatsCommand.self,
            FindCommand.self, SaveCommand.self, UnsaveCommand.self, ExportCommand.self, DeleteCommand.self,
            GCCommand.self, LibraryVerifyCommand.self, LogCommand.self, SyncCommand.self, InitCommand.self,
        ]
    )
}

/// Runs a library command body, turning its errors into the one-line `reel library <name>: …` form.
func libraryCommand<T>(_ name: String, _ body: () throws -> T) throws -> T {
    try libraryCommandResult("library \(name)", body)
}

/// Runs a command body, turning its errors into the one-line `reel <name>: …` form.
@discardableResult
func libraryCommandResult<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CommandFailed {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        throw ReelError.failed(name, error)
    }
}

extension ItemKind: ExpressibleByArgument {}
extension SourceType: ExpressibleByArgument {}
