import ArgumentParser
import Foundation
import ReelLibrary

/// `reel remote add NAME --endpoint URL --bucket B`: a remote in the library's config.
struct RemoteAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add (or replace) a remote.")
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
    @OptionGroup var output: OutputOptions

    private var remote: RemoteConfig {
        RemoteConfig(
            endpoint: endpoint, bucket: bucket, region: region, pathStyle: pathStyle, publicURL: publicURL, key: key,
            caFile: caFile.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).path })
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
                if config.remotes[name] != nil && !force { throw .exists("remote \(name)") }
                config.remotes[name] = remote
            }
        }
        // The shape of `remote list --json`, with this one remote.
        if output.json { return try printJSON([name: remote]) }
        let variables = RemoteConfig.credentialVariables(for: name)[0]
        print("added remote \(name): \(bucket) at \(endpoint)")
        print("credentials: set \(variables.id) and \(variables.secret) (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)")
    }
}
