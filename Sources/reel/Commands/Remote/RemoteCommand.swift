import ArgumentParser
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
        subcommands: [RemoteAddCommand.self, RemoteListCommand.self, RemoteTestCommand.self, RemoteRemoveCommand.self]
    )
}

extension KeyConflictPolicy: ExpressibleByArgument {}
