import GRDB

extension LibraryError {
    /// What an SQLite error of the catalog at `catalog` means, by its result code (never by its message).
    init(_ error: DatabaseError, catalog: String) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: catalog)
        case .SQLITE_READONLY: self = .readOnly(path: catalog, detail: "the catalog file cannot be written")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .damagedCatalog(path: catalog)
        case .SQLITE_FULL: self = .writeFailed(path: catalog, detail: "disk full")
        case .SQLITE_PERM, .SQLITE_AUTH: self = .readOnly(path: catalog, detail: "permission denied")
        case .SQLITE_CANTOPEN: self = .unreadable(path: catalog, detail: "cannot open the catalog file")
        case .SQLITE_IOERR: self = .writeFailed(path: catalog, detail: "I/O error")
        case .SQLITE_CONSTRAINT: self = .conflict(path: catalog, detail: Self.constraint(error.extendedResultCode))
        default: self = .catalog("\(catalog): SQLite result code \(error.resultCode)")
        }
    }

    /// Which kind of constraint a write broke, in plain words.
    private static func constraint(_ code: ResultCode) -> String {
        switch code {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY:
            "an entry with the same key is already there"
        case .SQLITE_CONSTRAINT_FOREIGNKEY: "it refers to an item or run that is not there (deleted meanwhile?)"
        case .SQLITE_CONSTRAINT_NOTNULL: "a required value is missing"
        default: "a catalog rule refused the write"
        }
    }
}
