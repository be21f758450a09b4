import ArgumentParser
import CultureLensApp
import CultureLensReport
import Foundation

extension PreferencePairs.Format: ExpressibleByArgument {}
extension PreferencePairs.LicenceFilter: ExpressibleByArgument {}

/// `culturelens export eee|preferences RUN...`: runs in other tools' formats.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export runs: Every Eval Ever records, or preference data for DPO/KTO training.",
        subcommands: [EEE.self, Preferences.self]
    )

    /// What both subcommands read.
    struct Runs: ParsableArguments {
        @Argument(help: "Run directories (results.json + samples.jsonl) or run ids (a unique prefix is enough).")
        var runs: [String]

        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: "Local data of a spec suite, for its items' texts (default: the Hub cache).")
        var data: String?

        func validate() throws {
            guard !runs.isEmpty else { throw ValidationError("give at least one run directory or run id") }
        }

        func load() async throws -> [ExportedRun] {
            do {
                return try await ExportedRun.load(runs, store: storeOptions.location, data: data)
            } catch let error as ExportLoadError {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
    }

    struct EEE: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eee",
            abstract: "Write each run as an Every Eval Ever (schema 0.3.0) record and its instance-level samples.",
            discussion: """
                Files go to DIR/data/culturelens_SUITE/DEVELOPER/MODEL/UUID.json and UUID_samples.jsonl, the \
                datastore's layout. Every figure with a 95% interval becomes an evaluation result with its \
                uncertainty; every results.json section is carried whole in eval_library.additional_details. \
                Secrets in the endpoint and settings are removed. See docs/export.md.
                """
        )

        @OptionGroup var source: Runs

        @Option(name: .long, help: "Output directory.")
        var output: String

        @Option(name: .long, help: "source_metadata.source_organization_name: who ran the evaluation.")
        var organization: String = ""

        @Option(
            name: .long,
            help: "Evaluator's relationship to the model: first_party, third_party, collaborative, other."
        )
        var evaluatorRelationship: String = "third_party"

        @Option(name: .long, help: "Developer folder for model names without a 'developer/' prefix.")
        var developer: String?

        func validate() throws {
            guard EveryEvalEverRecord.Options.relationships.contains(evaluatorRelationship) else {
                throw ValidationError(
                    "--evaluator-relationship must be one of \(EveryEvalEverRecord.Options.relationships.joined(separator: ", "))"
                )
            }
        }

        func run() async throws {
            let options = EveryEvalEverRecord.Options(
                organization: organization,
                evaluatorRelationship: evaluatorRelationship,
                developer: developer
            )
            for exported in try await source.load() {
                if let note = exported.note { printError("note: \(note); references are option indices") }
                let record = EveryEvalEverRecord(
                    run: exported.run,
                    items: exported.items.isEmpty ? nil : exported.items,
                    options: options
                )
                do {
                    try record.write(into: URL(fileURLWithPath: output))
                } catch {
                    printError("error: cannot write under \(output): \(error.localizedDescription)")
                    throw ExitCode(1)
                }
                print(
                    "\(exported.run.metadata.id): \(output)/\(record.aggregatePath) (\(exported.run.samples.count) samples)"
                )
            }
        }
    }

    struct Preferences: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "preferences",
            abstract: "Write preference pairs where the model missed: wrong answers, survey answers off the majority.",
            discussion: """
                One JSON object per line in TRL's field names (dpo: prompt, chosen, rejected; kto: prompt, \
                completion, label), each with culture, item_id, variant, source, licence, non_commercial, reason and \
                run_id. chosen is the gold option or the culture's majority answer, rejected the model's answer. \
                Failed items (refusal, parse, HTTP) are counted, never exported. --licence-filter commercial drops \
                items whose licence is non-commercial (an NC licence). See docs/export.md.
                """
        )

        @OptionGroup var source: Runs

        @Option(name: .long, help: "Row format: dpo (prompt/chosen/rejected) or kto (prompt/completion/label).")
        var format: PreferencePairs.Format = .dpo

        @Option(name: .long, help: "Output file (JSON Lines).")
        var output: String

        @Option(name: .long, help: "all (non-commercial items marked) or commercial (non-commercial items dropped).")
        var licenceFilter: PreferencePairs.LicenceFilter = .all

        func run() async throws {
            let runs = try await source.load()
            for exported in runs {
                if let note = exported.note { printError("note: \(note); its samples are left out") }
            }
            let pairs = PreferencePairs(runs: runs.map { ($0.run, $0.items) }, filter: licenceFilter)
            let url = URL(fileURLWithPath: output)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try pairs.jsonl(format).write(to: url, options: .atomic)
            } catch {
                printError("error: cannot write \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            let counts = pairs.counts
            let failed = counts.failed.values.reduce(0, +)
            print(
                "preferences: \(output) (\(pairs.rowCount(format)) \(format.rawValue) rows from \(counts.pairs) pairs; "
                    + "\(counts.samples) samples: \(counts.agreed) agreed, \(failed) failed, "
                    + "\(counts.unanswered) unanswered, \(counts.unknownItems) unknown items)"
            )
            if failed > 0 {
                let kinds = counts.failed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                print("failed, not exported: \(kinds.joined(separator: ", "))")
            }
            if counts.nonCommercial > 0 { print("non-commercial pairs (marked): \(counts.nonCommercial)") }
            if counts.droppedByLicence > 0 { print("dropped by --licence-filter: \(counts.droppedByLicence)") }
        }
    }
}
