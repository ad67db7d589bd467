import Foundation
import ReelPipeline
import ReelTestSupport
import Testing

/// Reading a batch's rows: JSONL objects and RFC 4180 CSV, one row at a time.
@Suite("rows files")
struct RowsFileTests {
    private func rows(_ name: String, _ text: String) throws -> [BatchRow] {
        let path = try Fixtures.scratchDirectory().appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try RowsFile(path: path).reader()
        var rows: [BatchRow] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    @Test("CSV: quoted commas, doubled quotes, line breaks in quotes, CRLF; empty cells left out; lines counted")
    func csv() throws {
        let read = try rows(
            "rows.csv", "key,title,at\r\na,\"Hello, \"\"world\"\"\",1\r\nb,\"two\nlines\",\r\nc,x,2\r\n")
        #expect(
            read == [
                BatchRow(line: 2, fields: ["key": "a", "title": "Hello, \"world\"", "at": "1"]),
                BatchRow(line: 3, fields: ["key": "b", "title": "two\nlines"]),
                BatchRow(line: 5, fields: ["key": "c", "title": "x", "at": "2"]),
            ])
    }

    @Test("JSONL: numbers and booleans become text, null is left out, blank lines are skipped")
    func jsonl() throws {
        let read = try rows("rows.jsonl", "{\"a\": 1.5, \"b\": true, \"c\": null}\n\n{\"a\": 2}")
        #expect(read == [BatchRow(line: 1, fields: ["a": "1.5", "b": "true"]), BatchRow(line: 3, fields: ["a": "2"])])
    }

    @Test("a row's key: its key field, else a stable hash of its fields")
    func keys() throws {
        let row = BatchRow(line: 1, fields: ["url": "u", "id": "7"])
        #expect(try row.key(field: "id", file: "f") == "7")
        #expect(
            try row.key(field: nil, file: "f")
                == BatchRow(line: 9, fields: ["id": "7", "url": "u"]).key(field: nil, file: "f"))
        #expect(throws: BatchInputError.missingKey(path: "f", line: 1, field: "name")) {
            try row.key(field: "name", file: "f")
        }
    }

    @Test("a file whose rows span many read chunks streams whole, in order")
    func large() throws {
        let text = (0..<20000).map { "{\"key\": \"r\($0)\", \"pad\": \"\(String(repeating: "x", count: 20))\"}" }
            .joined(separator: "\n")
        let read = try rows("big.jsonl", text)
        #expect(read.count == 20000 && read.last?.fields["key"] == "r19999" && read.last?.line == 20000)
    }

    @Test("bad files are refused with the line that is wrong")
    func bad() throws {
        #expect(throws: BatchInputError.self) { try rows("rows.txt", "a\n") }
        #expect(throws: BatchInputError.self) { try rows("rows.jsonl", "") }
        #expect(throws: BatchInputError.self) { try rows("rows.csv", "key,at\n") }
        #expect(throws: BatchInputError.self) { try rows("rows.jsonl", "{\"a\": [1]}\n") }
        #expect(throws: BatchInputError.self) { try rows("rows.csv", "a,b\n1,2,3\n") }
        #expect(throws: BatchInputError.self) { try rows("rows.csv", "a,b\n\"1,2\n") }
        do {
            _ = try rows("rows.jsonl", "{\"a\": 1}\n[2]\n")
            Issue.record("a line that is not an object was read")
        } catch let error as BatchInputError {
            #expect(error.description.hasSuffix("rows.jsonl:2: must be a JSON object, not an array"), "\(error)")
        }
    }
}
