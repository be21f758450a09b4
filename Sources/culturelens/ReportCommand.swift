import ArgumentParser
import CultureLensReport
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of one or more run directories.",
        discussion: """
            Each RUN_DIR holds results.json and samples.jsonl (as written by `run --output`). With several runs the \
            report starts with paired differences per culture against the first run. The file has no script and \
            no external resource: it opens offline, and model output in it is always shown as text.
            """
    )

    @Argument(help: "Run directories (results.json + samples.jsonl); the first is the comparison baseline.")
    var runDirectories: [String]

    @Option(name: .long, help: "Output file.")
    var output: String = "report.html"

    @Option(name: .long, help: "At most this many samples per run in the sample browser.")
    var sampleLimit: Int = 5000

    func validate() throws {
        guard !runDirectories.isEmpty else { throw ValidationError("give at least one run directory") }
        guard sampleLimit >= 0 else { throw ValidationError("--sample-limit must be 0 or more") }
    }

    func run() throws {
        var runs: [ReportRun] = []
        for directory in runDirectories {
            do {
                // The browser shows at most --sample-limit samples: decoding only those in full keeps a 100k-sample run small.
                runs.append(try ReportRun.load(directory: URL(fileURLWithPath: directory), sampleLimit: sampleLimit))
            } catch let error as ReportLoadError {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        let html = HTMLReport(runs: runs, options: HTMLReport.Options(sampleLimit: sampleLimit)).render()
        let url = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(html.utf8).write(to: url, options: .atomic)
        } catch {
            printError("error: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        print("report: \(output) (\(runs.count) run\(runs.count == 1 ? "" : "s"), \(html.utf8.count / 1024) KiB)")
    }
}
