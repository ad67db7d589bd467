import ArgumentParser
import Foundation
import ReelLibrary
import ReelPipeline

/// `reel fetch URL|PATH`: get a clip early and safely (a signed URL from an AI provider expires), probe it, and
/// keep it in the library (or write it to `-o FILE`).
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download (or copy) a clip into the library, hashed and probed; or to a file with -o.",
        discussion: """
            http(s) downloads stream into the library's staging folder while hashed, retry with backoff on \
            connection errors, 5xx and 429, resume with Range after a dropped connection (starting over when the \
            file changed), and stop at --max-size. A body slower than 1 KiB/s for 30 s fails its attempt; the whole \
            fetch fails after --timeout (default 1h). \
            A body that is not media is not kept. Signed URLs (JWT exp, X-Amz-Expires, CloudFront Expires, \
            X-Goog-Expires, Azure se) are checked for expiry first; their tokens are never printed or stored. \
            Request headers (an API key) come only from the environment, for one origin each (a bare host means \
            https on 443; plain http must be spelled out, "http://host:port"): \
            REEL_FETCH_HEADERS='{"api.example.com": {"Authorization": "Bearer …"}}'.
            """
    )

    @Argument(help: "An http(s) URL, a file:// URL or a local path.") var source: String
    @Option(name: .shortAndLong, help: "Write the file here instead of into the library.") var output: String?
    @OptionGroup var library: LibraryOptions
    @Option(help: "generated or uploaded (default: generated when generation details are given).")
    var sourceType: SourceType?
    @Option(help: "Item name (default: from the URL or file name).") var name: String?
    @OptionGroup var generation: GenerationOptions
    @Option(help: "Largest body accepted, e.g. 500MB, 2GiB (default 4GiB).") var maxSize: String?
    @Option(help: "Longest the whole fetch may take, retries included, e.g. 90s, 10m (default 1h).") var timeout:
        String?
    @Option(
        help:
            "A PEM bundle of certificate authorities to trust too (a private CA), as SSL_CERT_FILE and REEL_CA_FILE are."
    )
    var caFile: String?
    @Flag(help: "Mark the item saved.") var save = false
    @Flag(help: "Replace the -o file if it exists.") var force = false
    @OptionGroup var format: OutputOptions

    func validate() throws {
        if let scheme = MediaFetch.Source.unsupportedScheme(of: source) {
            throw ValidationError(
                "\(source): the \(scheme) scheme is not supported (fetch reads "
                    + MediaFetch.Source.schemes.joined(separator: ", ") + " URLs and local paths)")
        }
        if let maxSize, ByteSize.parse(maxSize) == nil {
            throw ValidationError("--max-size \(maxSize): expected \(ByteSize.syntax)")
        }
        if let timeout, TimeLimit.parse(timeout) == nil {
            throw ValidationError("--timeout \(timeout): expected \(TimeLimit.syntax)")
        }
        if let caFile {
            do {
                try TrustRoots(bundles: [.init(path: caFile, source: "--ca-file")]).check()
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if sourceType == .stitched { throw ValidationError("--source-type: generated or uploaded") }
        if output != nil && (save || library.path != nil) {
            throw ValidationError("-o writes a plain file; --save and --library are for the library")
        }
    }

    func run() async throws {
        let details = generation.info
        let request = MediaFetch.Request(
            source: MediaFetch.Source(source), name: name,
            sourceType: .inferred(declared: sourceType, generation: details), generation: details,
            maxSize: maxSize.flatMap(ByteSize.parse) ?? MediaFetch.Request.defaultMaxSize,
            timeout: timeout.flatMap(TimeLimit.parse) ?? DownloadRequest.defaultTimeout, save: save, caFile: caFile)
        let meter = TransferMeter()
        let outcome: MediaFetch.Outcome
        do {
            let destination: MediaFetch.Destination =
                if let output { .file(output, overwrite: force) } else { .library(try library.open()) }
            outcome = try await Interrupts.stoppingOnSignal {
                try await MediaFetch.fetch(request, to: destination, progress: { meter.update($0) })
            }
            meter.done()
        } catch {
            meter.done()
            throw ReelError.failed("fetch", error)
        }
        for warning in outcome.warnings { printError("reel fetch: warning: \(warning)") }
        if format.json {
            if let ingest = outcome.ingest { return try printJSON(FetchReport(ingest: ingest, outcome: outcome)) }
            return try printJSON(FetchReport(path: outcome.path, outcome: outcome))
        }
        let summary = outcome.ingest?.summary ?? "wrote \(outcome.size) bytes"
        print("\(outcome.path): \(summary), sha256 \(outcome.sha256)")
    }
}
