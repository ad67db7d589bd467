import Foundation

/// A JUnit XML report, the format CI servers (GitHub Actions, GitLab, Jenkins) show as test results: suites of
/// test cases, each passed, failed with a message, or skipped. `reel run --junit`, batches and `reel verify --junit`
/// write one.
public struct JUnitReport: Sendable, Equatable {
    /// A group of cases: a run, a batch row, a verified file.
    public struct Suite: Sendable, Equatable {
        public var name: String
        public var cases: [Case]
        /// When the suite started, for the `timestamp` attribute.
        public var startedAt: Date?

        public init(name: String, cases: [Case], startedAt: Date? = nil) {
            self.name = name
            self.cases = cases
            self.startedAt = startedAt
        }
    }

    /// One check: a stage, an expectation, a comparison.
    public struct Case: Sendable, Equatable {
        public enum Result: Sendable, Equatable {
            case passed
            /// Failed, with a one-line message and optional detail (expected and actual values, a log).
            case failed(message: String, detail: String? = nil)
            /// Not run (a stage skipped because an input failed), with why.
            case skipped(String)
        }

        public var name: String
        /// The JUnit `classname`: what the case belongs to (`pipeline.stage`, `batch.row`).
        public var className: String
        public var seconds: Double?
        public var result: Result

        public init(name: String, className: String, seconds: Double? = nil, result: Result = .passed) {
            self.name = name
            self.className = className
            self.seconds = seconds
            self.result = result
        }
    }

    /// The report's name (the `testsuites` element's `name`).
    public var name: String
    public var suites: [Suite]

    public init(name: String, suites: [Suite]) {
        self.name = name
        self.suites = suites
    }

    /// The report as JUnit XML (UTF-8, every text and attribute escaped).
    public var xml: String {
        func count(_ cases: [Case], _ match: (Case.Result) -> Bool) -> Int { cases.filter { match($0.result) }.count }
        let all = suites.flatMap(\.cases)
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="\#(escaped(name))" tests="\#(all.count)" failures="\#(count(all, Self.isFailure))" "#
                + #"skipped="\#(count(all, Self.isSkipped))" time="\#(Self.seconds(all))">"#,
        ]
        let timestamp = ISO8601DateFormatter()
        for suite in suites {
            var attributes =
                #"name="\#(escaped(suite.name))" tests="\#(suite.cases.count)" "#
                + #"failures="\#(count(suite.cases, Self.isFailure))" skipped="\#(count(suite.cases, Self.isSkipped))" "#
                + #"time="\#(Self.seconds(suite.cases))""#
            if let startedAt = suite.startedAt { attributes += #" timestamp="\#(timestamp.string(from: startedAt))""# }
            lines.append("  <testsuite \(attributes)>")
            for test in suite.cases {
                let open =
                    #"    <testcase name="\#(escaped(test.name))" classname="\#(escaped(test.className))""#
                    + (test.seconds.map { #" time="\#(String(format: "%.3f", $0))""# } ?? "")
                switch test.result {
                case .passed:
                    lines.append(open + "/>")
                case .failed(let message, let detail):
                    lines.append(open + ">")
                    lines.append(
                        #"      <failure message="\#(escaped(message))">\#(escaped(detail ?? message))</failure>"#)
                    lines.append("    </testcase>")
                case .skipped(let why):
                    lines.append(open + ">")
                    lines.append(#"      <skipped message="\#(escaped(why))"/>"#)
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the report to `path`, replacing it whole (a temporary file renamed into place).
    public func write(to path: String) throws {
        try Data(xml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func isFailure(_ result: Case.Result) -> Bool {
        if case .failed = result { true } else { false }
    }

    private static func isSkipped(_ result: Case.Result) -> Bool {
        if case .skipped = result { true } else { false }
    }

    private static func seconds(_ cases: [Case]) -> String {
        String(format: "%.3f", cases.compactMap(\.seconds).reduce(0, +))
    }
}

/// `text` safe inside XML text and double-quoted attributes; characters XML 1.0 cannot hold are dropped.
private func escaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "\n": result += "&#10;"
        case "\t", "\r": result.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
