import ArgumentParser
import Foundation
import ReelLibrary

/// `reel remote …`: the S3-compatible buckets items can be saved to, kept in the library's config file.
/// Credentials are never stored: they come from the environment.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Manage remotes: S3-compatible buckets (AWS S3, Cloudflare R2, MinIO, Supabase Storage).",
        discussion: """
            Credentials come from the environment only: REEL_REMOTE_<NAME>_ACCESS_KEY_ID and \
            REEL_REMOTE_<NAME>_SECRET_ACCESS_KEY (NAME upper-cased, other characters as _), else AWS_ACCESS_KEY_ID \
            and AWS_SECRET_ACCESS_KEY.
            Examples:
              reel remote add r2 --endpoint https://ACCOUNT.r2.cloudflarestorage.com --bucket media --region auto
              reel remote add aws --endpoint https://s3.eu-west-1.amazonaws.com --bucket media --region eu-west-1
              reel remote add minio --endpoint http://127.0.0.1:9000 --bucket media --path-style
              reel remote add supabase --endpoint https://PROJECT.supabase.co/storage/v1/s3 --bucket media \\
                --region eu-central-1 --path-style
            """,
        subcommands: [Add.self, List.self, Test.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add (or replace) a remote.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "Its name, used by --remote and pipeline store stages.") var name: String
        @Option(help: "The service URL, e.g. https://s3.eu-west-1.amazonaws.com.") var endpoint: String
        @Option(help: "The bucket.") var bucket: String
        @Option(help: "Signing region (R2: auto).") var region = "us-east-1"
        @Flag(help: "Address the bucket in the path (MinIO, Supabase, most local servers).") var pathStyle = false
        @Option(help: "Public base URL objects are served from, for recorded URLs.") var publicURL: String?
        @Option(help: "A PEM bundle of certificate authorities to trust for the endpoint (a private CA).")
        var caFile: String?
        @Option(help: "Default key template, e.g. videos/${date}/${id}.${ext}.") var key: String?
        @Flag(help: "Replace a remote of the same name.") var force = false

        private var remote: RemoteConfig {
            RemoteConfig(
                endpoint: endpoint, bucket: bucket, region: region, pathStyle: pathStyle, publicURL: publicURL,
                key: key,
                caFile: caFile.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).path }
            )
        }

        func validate() throws {
            do {
                try RemoteConfig.validate(name: name, remote)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let remote = self.remote
            try libraryCommandResult("remote add") {
                try library.open().updateConfig { config throws(LibraryError) in
                    if config.remotes[name] != nil && !force {
                        throw .invalidArgument("remote \(name) exists (use --force to replace it)")
                    }
                    config.remotes[name] = remote
                }
            }
            let variables = RemoteConfig.credentialVariables(for: name)[0]
            print("added remote \(name): \(bucket) at \(endpoint)")
            print(
                "credentials: set \(variables.id) and \(variables.secret) (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The remotes and their settings.")
        @OptionGroup var library: LibraryOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let remotes = try libraryCommandResult("remote list") { try library.open().config().remotes }
            if json { return try printJSON(remotes) }
            for (name, remote) in remotes.sorted(by: { $0.key < $1.key }) {
                print(
                    "\(name)  \(remote.endpoint)  bucket \(remote.bucket)  region \(remote.region)"
                        + (remote.pathStyle ? "  path-style" : "") + (remote.key.map { "  key \($0)" } ?? ""))
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put, head, get and delete a small probe object, reporting each step.")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The remote.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let saver = try libraryCommandResult("remote test") {
                try RemoteSaver(library: try library.open(), remote: name)
            }
            let checks = await saver.check()
            if json {
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

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a remote from the config (objects already uploaded stay in the bucket).")
        @OptionGroup var library: LibraryOptions
        @Argument(help: "The remote.") var name: String

        func run() throws {
            try libraryCommandResult("remote remove") {
                try library.open().updateConfig { config throws(LibraryError) in
                    guard config.remotes.removeValue(forKey: name) != nil else {
                        throw .invalidArgument("no remote named \"\(name)\"")
                    }
                }
            }
            print("removed remote \(name)")
        }
    }
}

extension KeyConflictPolicy: ExpressibleByArgument {}
