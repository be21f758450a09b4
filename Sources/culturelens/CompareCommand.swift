import ArgumentParser
import CultureLensAnalysis
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensReport
import Foundation

/// `culturelens compare RUN_A RUN_B`: paired differences per culture between two runs over the same items.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Paired differences per culture between two runs (B − A), with CIs and Holm-adjusted p-values.",
        discussion: """
            RUN_A and RUN_B are run ids from the store (a unique prefix is enough) or run directories written with \
            --output. Items are paired on (item id, prompt variant); pairs where either run failed are left out and \
            counted. Values are 1/0 correctness, or for survey items the mean over countries of 1 − JD (bits). The CI \
            is mean ± 1.96 clustered SE (cluster = item); p is a two-sided cluster sign-flip test; Holm adjusts \
            across cultures. Exit codes: 0 ok; 1 a run could not be read; 2 usage error.
            """
    )

    @Argument(help: "Baseline run: id (or unique prefix) in the store, or a run directory.")
    var runA: String

    @Argument(help: "Compared run: id (or unique prefix) in the store, or a run directory.")
    var runB: String

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "Seed of the sign-flip tests.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Random sign patterns per test (all patterns when there are fewer).")
    var resamples: Int = 9999

    @Flag(name: .long, help: "Print the comparison as JSON.")
    var json = false

    func validate() throws {
        guard (100...1_000_000).contains(resamples) else { throw ValidationError("--resamples must be 100...1000000") }
    }

    struct LoadedRun {
        var label: String
        var suiteName: String
        var suite: Suite?
        var samples: [RunComparison.Sample]
    }

    func run() async throws {
        let a: LoadedRun
        let b: LoadedRun
        do {
            a = try await load(runA)
            b = try await load(runB)
        } catch let error as CompareError {
            printError("error: \(error.message)")
            throw ExitCode(1)
        }
        if a.suiteName != b.suiteName {
            printError(
                "note: the runs evaluate different suites (\(a.suiteName), \(b.suiteName)); only shared item ids are paired"
            )
        }
        let comparison = RunComparison(
            a: a.samples,
            b: b.samples,
            suiteA: a.suite,
            suiteB: b.suite,
            runA: a.label,
            runB: b.label,
            seed: seed,
            resamples: resamples
        )
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(comparison)
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        } else {
            print(RobustnessReport.comparisonTable(comparison), terminator: "")
        }
    }

    struct CompareError: Error {
        var message: String
    }

    private func load(_ reference: String) async throws -> LoadedRun {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory), isDirectory.boolValue {
            let run: ReportRun
            do {
                run = try ReportRun.load(directory: URL(fileURLWithPath: reference))
            } catch {
                throw CompareError(message: "cannot read run directory \(reference): \(error)")
            }
            return await loaded(label: reference, suite: run.metadata.suite, samples: run.comparisonSamples)
        }
        do {
            return try await withStore(at: storeOptions.location) { opened in
                try await load(record: reference, store: opened.store)
            }
        } catch let error as StoreOpeningError {
            throw CompareError(message: error.description)
        }
    }

    private func load(record reference: String, store: any ResultStore) async throws -> LoadedRun {
        let record: RunRecord?
        do {
            record = try await store.run(matching: reference)
        } catch let error as AmbiguousRunReference {
            throw CompareError(message: error.description)
        }
        guard let record else {
            throw CompareError(message: "no run '\(reference)' in \(storeOptions.location) and no such directory")
        }
        let results = try await store.results(runID: record.id)
        let samples = results.map(RunComparison.Sample.init)
        return await loaded(label: record.id, suite: record.suite, samples: samples)
    }

    private func loaded(label: String, suite name: String, samples: [RunComparison.Sample]) async -> LoadedRun {
        var suite = SuiteCatalog.suite(named: name)
        // Survey answers are scored against the suite's human distributions: load a spec suite only when needed.
        if suite == nil, samples.contains(where: { !$0.failed && $0.score == nil && $0.distribution != nil }) {
            suite = try? await SuiteResolver.load(name, data: dataOptions.data, onBadRow: .skip).suite
        }
        return LoadedRun(label: label, suiteName: name, suite: suite, samples: samples)
    }
}
