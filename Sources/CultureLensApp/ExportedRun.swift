public import CultureLensCore
import CultureLensDatasets
public import CultureLensReport
public import Foundation

/// A run to export, with the items of its suite: what `export eee` and `export preferences` read.
public struct ExportedRun: Sendable {
    /// The run, every sample loaded.
    public var run: ReportRun
    /// The items of the run's suite by id; empty when the suite could not be loaded (``note`` says why).
    public var items: [String: Item]
    /// Why ``items`` is empty, if it is.
    public var note: String?

    /// Loads each reference: a run directory (`results.json` + `samples.jsonl`, as `report` reads it) or a run id
    /// (or unique prefix) in the store at `store`, opened only when a reference is not a directory. The suite is the
    /// built-in one of the run's name, else loaded as `run` loads it (spec data from `data` or the Hub cache).
    /// - Throws: ``ExportLoadError`` naming the reference that could not be read.
    public static func load(_ references: [String], store: StoreLocation, data: String?) async throws
        -> [ExportedRun]
    {
        var runs: [String: ReportRun] = [:]
        var stored: [String] = []
        for reference in references {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory), isDirectory.boolValue {
                do {
                    runs[reference] = try ReportRun.load(directory: URL(fileURLWithPath: reference))
                } catch {
                    throw ExportLoadError(message: "cannot read run directory \(reference): \(error)")
                }
            } else {
                stored.append(reference)
            }
        }
        if !stored.isEmpty {
            do {
                try await withStore(at: store) { opened in
                    for reference in stored {
                        guard let record = try await opened.store.run(matching: reference) else {
                            throw ExportLoadError(message: "no run '\(reference)' in \(store) and no such directory")
                        }
                        var run = ReportRun(run: record, results: try await opened.store.results(runID: record.id))
                        // The robustness card `run` stored with the run.
                        if let card = try await opened.store.runAttachment(
                            id: record.id,
                            name: ReportRun.cardAttachment
                        ) {
                            run.attachCard(card)
                        }
                        runs[reference] = run
                    }
                }
            } catch let error as StoreOpeningError {
                throw ExportLoadError(message: error.description)
            } catch let error as AmbiguousRunReference {
                throw ExportLoadError(message: error.description)
            }
        }
        var suites: [String: (items: [String: Item], note: String?)] = [:]
        var exported: [ExportedRun] = []
        for reference in references {
            guard let run = runs[reference] else { continue }
            let name = run.metadata.suite
            if suites[name] == nil { suites[name] = await items(ofSuite: name, data: data) }
            let suite = suites[name] ?? ([:], nil)
            exported.append(ExportedRun(run: run, items: suite.items, note: suite.note))
        }
        return exported
    }

    /// The items of the suite `name` by id, or none and why.
    static func items(ofSuite name: String, data: String?) async -> (items: [String: Item], note: String?) {
        let suite: Suite
        if let builtIn = SuiteCatalog.suite(named: name) {
            suite = builtIn
        } else {
            do {
                suite = try await SuiteResolver.load(name, data: data, onBadRow: .skip).suite
            } catch {
                return ([:], "suite \(name) could not be loaded (\(error)); pass its data with --data")
            }
        }
        return (Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }), nil)
    }
}

/// A run reference that could not be read.
public struct ExportLoadError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the reference.
    public var message: String

    public var description: String { message }
}
