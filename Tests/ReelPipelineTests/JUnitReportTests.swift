import Foundation
import ReelPipeline
import ReelTestSupport
import Testing

@Suite("JUnit reports")
struct JUnitReportTests {
    @Test("a report parses as XML with the counts, names and messages given, whatever they contain")
    func parsesBack() throws {
        let hostile = "ep<1> & \"quoted\"\nsecond line\u{1}"
        let report = JUnitReport(
            name: "demo",
            suites: [
                JUnitReport.Suite(
                    name: "run r-1",
                    cases: [
                        .init(name: "fetch landscape", className: "demo.landscape", seconds: 0.25),
                        .init(
                            name: "expect \(hostile)", className: "demo.episode", seconds: 1.5,
                            result: .failed(message: "video.size: expected 1280x720, got 640x360", detail: hostile)),
                        .init(name: "thumbnail poster", className: "demo.poster", result: .skipped("input failed")),
                    ])
            ])
        let file = try Fixtures.scratchDirectory().appendingPathComponent("report.xml").path
        try report.write(to: file)
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            suite = root.find("testsuite")
            cases = suite.findall("testcase")
            print(root.get("tests"), root.get("failures"), root.get("skipped"), root.get("time"))
            print(cases[1].get("name"))
            print(cases[1].find("failure").get("message"))
            print(cases[1].find("failure").text)
            print(cases[2].find("skipped").get("message"))
            """
        let result = try Shell.run("python3", ["-c", script, file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                3 1 1 1.750
                expect ep<1> & "quoted"
                second line
                video.size: expected 1280x720, got 640x360
                ep<1> & "quoted"
                second line
                input failed

                """)
    }
}
