import Foundation

/// What is in the bucket, as boto3 (AWS's own Python SDK, in the test server's virtualenv) reads it: the oracle
/// for uploads, independent of Reel's own S3 client.
extension S3TestServer {
    /// An object as boto3 sees it.
    public struct StoredObject: Sendable, Equatable {
        public var key: String
        public var size: Int
        /// SHA-256 of the bytes GET returns, lowercase hex.
        public var sha256: String
        public var lastModified: String
    }

    /// Every object in `bucket` under `prefix`, read back whole and hashed.
    public func objects(in bucket: String, prefix: String = "") throws -> [StoredObject] {
        let output = try boto3(
            """
            import hashlib, json, sys
            out = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2]):
                for o in page.get("Contents", []):
                    body = s3.get_object(Bucket=sys.argv[1], Key=o["Key"])["Body"].read()
                    out.append({"key": o["Key"], "size": len(body), "sha256": hashlib.sha256(body).hexdigest(),
                                "modified": o["LastModified"].isoformat()})
            print(json.dumps(out))
            """, [bucket, prefix])
        let list = (try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]) ?? []
        return list.map {
            StoredObject(
                key: $0["key"] as? String ?? "", size: $0["size"] as? Int ?? -1, sha256: $0["sha256"] as? String ?? "",
                lastModified: $0["modified"] as? String ?? "")
        }
    }

    /// Creates `bucket` (an existing one is fine).
    public func createBucket(_ bucket: String) throws {
        _ = try boto3(
            """
            import sys
            try:
                s3.create_bucket(Bucket=sys.argv[1])
            except s3.exceptions.BucketAlreadyOwnedByYou:
                pass
            """, [bucket])
    }

    /// Puts `contents` at `key` with boto3, as another tool would (with `metadata` as `x-amz-meta-*`).
    public func putObject(_ bucket: String, key: String, contents: Data, metadata: [String: String] = [:]) throws {
        let file = try Fixtures.scratchDirectory().appendingPathComponent("object")
        try contents.write(to: file)
        let metadataJSON = String(decoding: try JSONSerialization.data(withJSONObject: metadata), as: UTF8.self)
        _ = try boto3(
            """
            import json, sys
            with open(sys.argv[3], "rb") as f:
                s3.put_object(Bucket=sys.argv[1], Key=sys.argv[2], Body=f.read(), Metadata=json.loads(sys.argv[4]))
            """, [bucket, key, file.path, metadataJSON])
    }

    /// Deletes `key` with boto3.
    public func deleteObject(_ bucket: String, key: String) throws {
        _ = try boto3("import sys\ns3.delete_object(Bucket=sys.argv[1], Key=sys.argv[2])", [bucket, key])
    }

    /// The environment a `reel` process needs to reach this server with its credentials.
    public var credentialEnvironment: [String: String] {
        ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey]
    }

    private func boto3(_ script: String, _ arguments: [String]) throws -> String {
        let python = Fixtures.packageRoot.appendingPathComponent(".ci/venv/bin/python").path
        let prelude = """
            import boto3, botocore.config
            s3 = boto3.client("s3", endpoint_url="\(endpoint.absoluteString)", region_name="\(region)",
                aws_access_key_id="\(accessKeyID)", aws_secret_access_key="\(secretAccessKey)",
                config=botocore.config.Config(s3={"addressing_style": "path"}))

            """
        let result = try Shell.run(python, ["-c", prelude + script] + arguments)
        guard result.status == 0 else { throw ToolFailure(tool: "boto3", arguments: arguments, stderr: result.stderr) }
        return result.stdout
    }
}
