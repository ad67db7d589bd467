import GRDB

/// The catalog's schema, as ordered migrations. Each runs once; running them again is a no-op.
/// A catalog that has migrations this list does not know was written by a newer Reel and is refused.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-items-lineage-events") { db in
            try db.create(table: "items") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("sha256", .text).notNull().unique()
                t.column("size", .integer).notNull()
                t.column("ext", .text).notNull()
                t.column("mime", .text).notNull()
                t.column("source_type", .text).notNull()
                t.column("saved", .boolean).notNull().defaults(to: false)
                t.column("created_at", .datetime).notNull()
                t.column("saved_at", .datetime)
                t.column("duration", .double)
                t.column("width", .integer)
                t.column("height", .integer)
                t.column("display_width", .integer)
                t.column("display_height", .integer)
                t.column("aspect_ratio", .text)
                t.column("video_codec", .text)
                t.column("fps", .double)
                t.column("audio_codec", .text)
                t.column("audio_rate", .integer)
                t.column("audio_channels", .integer)
                t.column("media_json", .text)
            }
            try db.create(index: "items_created_at", on: "items", columns: ["created_at"])
            try db.create(table: "generations") { t in
                t.primaryKey("item_id", .text).references("items", onDelete: .cascade)
                t.column("provider", .text)
                t.column("model", .text)
                t.column("prompt", .text)
                t.column("params_json", .text).notNull()
                t.column("job_id", .text)
                t.column("source_url", .text)
                t.column("url_expires_at", .datetime)
            }
            try db.create(table: "lineage") { t in
                t.column("item_id", .text).notNull().references("items", onDelete: .cascade)
                t.column("input_id", .text).notNull().references("items", onDelete: .restrict)
                t.column("ordinal", .integer).notNull()
                t.column("role", .text).notNull()
                t.column("parameters_json", .text)
                t.primaryKey(["item_id", "role", "ordinal"])
            }
            try db.create(index: "lineage_input", on: "lineage", columns: ["input_id"])
            try db.create(table: "remote_copies") { t in
                t.column("item_id", .text).notNull().references("items", onDelete: .cascade)
                t.column("remote", .text).notNull()
                t.column("key", .text).notNull()
                t.column("url", .text)
                t.column("etag", .text)
                t.column("checksum", .text)
                t.column("status", .text).notNull()
                t.column("saved_at", .datetime)
                t.column("error", .text)
                t.primaryKey(["item_id", "remote"])
            }
            try db.create(table: "events") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("item_id", .text)
                t.column("kind", .text).notNull()
                t.column("message", .text).notNull()
            }
            try db.create(index: "events_item", on: "events", columns: ["item_id"])
        }
        migrator.registerMigration("v2-runs") { db in
            try db.create(table: "runs") { t in
                t.primaryKey("id", .text)
                t.column("pipeline_name", .text).notNull()
                t.column("pipeline_path", .text).notNull()
                t.column("pipeline_sha256", .text).notNull()
                t.column("definition_json", .text).notNull()
                t.column("params_json", .text).notNull()
                t.column("status", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("manifest_json", .text)
            }
            try db.create(table: "run_stages") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("stage_id", .text).notNull()
                t.column("type", .text).notNull()
                t.column("status", .text).notNull()
                t.column("cache_key", .text)
                t.column("cache_hit", .boolean).notNull()
                t.column("started_at", .datetime)
                t.column("finished_at", .datetime)
                t.column("seconds", .double)
                t.column("error", .text)
                t.primaryKey(["run_id", "stage_id"])
            }
            try db.create(index: "run_stages_cache_key", on: "run_stages", columns: ["cache_key"])
            try db.create(table: "run_outputs") { t in
                t.column("run_id", .text).notNull().references("runs", onDelete: .cascade)
                t.column("stage_id", .text).notNull()
                t.column("ordinal", .integer).notNull()
                t.column("role", .text).notNull()
                t.column("item_id", .text).references("items", onDelete: .setNull)
                t.column("output_json", .text).notNull()
                t.primaryKey(["run_id", "stage_id", "ordinal"])
            }
        }
        migrator.registerMigration("v3-library-tombstones") { db in
            // A deleted item other items were made from (see TombstoneRecord).
            try db.create(table: "tombstones") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("sha256", .text).notNull().unique()
                t.column("size", .integer).notNull()
                t.column("ext", .text).notNull()
                t.column("source_type", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("deleted_at", .datetime).notNull()
            }
            // lineage.input_id now names an item or a tombstone, which no foreign key can say: the table is
            // rebuilt without that key, and triggers keep what it promised.
            try db.create(table: "lineage_v3") { t in
                t.column("item_id", .text).notNull().references("items", onDelete: .cascade)
                t.column("input_id", .text).notNull()
                t.column("ordinal", .integer).notNull()
                t.column("role", .text).notNull()
                t.column("parameters_json", .text)
                t.primaryKey(["item_id", "role", "ordinal"])
            }
            try db.execute(
                sql: """
                    INSERT INTO lineage_v3 (item_id, input_id, ordinal, role, parameters_json)
                    SELECT item_id, input_id, ordinal, role, parameters_json FROM lineage
                    """)
            try db.drop(table: "lineage")
            try db.rename(table: "lineage_v3", to: "lineage")
            try db.create(index: "lineage_input", on: "lineage", columns: ["input_id"])
            try db.execute(
                sql: """
                    CREATE TRIGGER lineage_input_is_an_item BEFORE INSERT ON lineage
                    WHEN NOT EXISTS (SELECT 1 FROM items WHERE id = NEW.input_id)
                    BEGIN SELECT RAISE(ABORT, 'lineage input is not an item'); END;
                    CREATE TRIGGER items_input_leaves_a_tombstone BEFORE DELETE ON items
                    WHEN EXISTS (SELECT 1 FROM lineage WHERE input_id = OLD.id)
                        AND NOT EXISTS (SELECT 1 FROM tombstones WHERE id = OLD.id)
                    BEGIN SELECT RAISE(ABORT, 'an input of other items needs a tombstone to be deleted'); END;
                    CREATE TRIGGER tombstones_stay_while_named BEFORE DELETE ON tombstones
                    WHEN EXISTS (SELECT 1 FROM lineage WHERE input_id = OLD.id)
                        AND NOT EXISTS (SELECT 1 FROM items WHERE id = OLD.id)
                    BEGIN SELECT RAISE(ABORT, 'a tombstone is dropped only when no lineage names it'); END;
                    """)
        }
        migrator.registerMigration("v3-remote-key-unique", migrate: uniqueRemoteKeys)
        migrator.registerMigration("v4-batches") { db in
            // One batch: a pipeline over the rows of a file, however many shards ran it (see BatchRecord).
            try db.create(table: "batches") { t in
                t.primaryKey("id", .text)
                t.column("pipeline_name", .text).notNull()
                t.column("pipeline_path", .text).notNull()
                t.column("pipeline_sha256", .text).notNull()
                t.column("rows_path", .text).notNull()
                t.column("rows_sha256", .text).notNull()
                t.column("rows_total", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "batch_rows") { t in
                t.column("batch_id", .text).notNull().references("batches", onDelete: .cascade)
                t.column("row_key", .text).notNull()
                t.column("line", .integer).notNull()
                t.column("run_id", .text)
                t.column("status", .text).notNull()
                t.column("outputs_json", .text)
                t.column("error", .text)
                t.column("shard", .text)
                t.column("finished_at", .datetime)
                t.primaryKey(["batch_id", "row_key"])
            }
            // Every run's start looks for runs left `running`: with thousands of rows' runs, that is a lookup.
            try db.create(index: "runs_status", on: "runs", columns: ["status"])
        }
        migrator.registerMigration("v5-items-newest") { db in
            // Lists go newest first with the id breaking ties: an index in that order lets a page skip entries
            // instead of sorting the table.
            try db.drop(index: "items_created_at")
            try db.execute(sql: "CREATE INDEX items_newest ON items (created_at DESC, id)")
        }
        // Listings keep where their pages start until the catalog changes; triggers count the changes.
        migrator.registerMigration("v6-catalog-version", migrate: CatalogVersion.create)
        return migrator
    }
}
