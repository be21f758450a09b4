import ArgumentParser
import CultureLensApp
import CultureLensCore
import Foundation

/// `culturelens status RUN`: a run's progress; for enqueued runs, across workers.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a run's progress: results so far and, for enqueued runs, done/claimed/pending per worker."
    )

    @Argument(help: ArgumentHelp("Run id (as printed by `culturelens run`), or a unique prefix of it.", valueName: "run"))
    var runID: String

    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .long, help: "List every enqueued item with its lease.")
    var items = false

    struct Output: Encodable {
        var run: RunRecord
        var results: Int
        var failed: Int
        var queue: WorkProgress?
        var items: [WorkItemStatus]?
    }

    func run() async throws {
        let output = try await storeOptions.withOpenedStore { opened in
            do {
                let matches = try await opened.store.runs().filter { $0.id == self.runID || $0.id.hasPrefix(self.runID) }
                guard let record = matches.first(where: { $0.id == self.runID }) ?? (matches.count == 1 ? matches.first : nil) else {
                    printError(matches.isEmpty ? "no run \(self.runID) in \(opened.location)" : "run prefix \(self.runID) is ambiguous")
                    throw ExitCode(1)
                }
                let results = try await opened.store.results(runID: record.id)
                let progress = try await opened.queue?.progress(runID: record.id)
                let statuses = items ? try await opened.queue?.itemStatuses(runID: record.id) : nil
                return Output(
                    run: record,
                    results: results.count,
                    failed: results.filter { $0.failure != nil }.count,
                    queue: progress,
                    items: statuses
                )
            } catch let exit as ExitCode {
                throw exit
            } catch {
                printError("error: cannot read run \(self.runID): \(error)")
                throw ExitCode(1)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.dateEncodingStrategy = .iso8601
            FileHandle.standardOutput.write(try encoder.encode(output) + Data("\n".utf8))
        } else {
            print(Self.table(output), terminator: "")
        }
    }

    static func table(_ output: Output) -> String {
        let run = output.run
        let expected = run.itemCount * max(1, run.variants?.count ?? 1)
        var text = "run \(run.id) · \(run.suite) · \(run.model) · \(run.status.rawValue)\n"
        text += "results \(output.results)/\(expected) · failed \(output.failed)\n"
        guard let queue = output.queue else { return text }
        text += "queue: \(queue.total) items · done \(queue.done) · claimed \(queue.claimed) · expired \(queue.expired)"
            + " · pending \(queue.pending) · reclaimed \(queue.reclaimed)\n"
        if !queue.workers.isEmpty {
            let rows = queue.workers.map { worker -> [String] in
                let seen = worker.lastSeen.map { age(queue.asOf.timeIntervalSince($0)) } ?? "–"
                return [worker.id, String(worker.done), String(worker.claimed), String(worker.expired), seen]
            }
            text += Self.columns([["worker", "done", "claimed", "expired", "last seen"]] + rows)
        }
        if let items = output.items {
            let rows = items.map { item -> [String] in
                let state: String
                if let by = item.doneBy {
                    state = "done by \(by)"
                } else if let expiry = item.leaseExpiresAt, let worker = item.worker {
                    state = expiry > queue.asOf ? "claimed by \(worker)" : "expired (\(worker))"
                } else {
                    state = "pending"
                }
                return [String(item.itemIndex), item.itemID, item.variant, state, String(item.claims)]
            }
            text += Self.columns([["#", "item", "variant", "state", "claims"]] + rows)
        }
        return text
    }

    private static func age(_ seconds: Double) -> String {
        seconds < 120 ? String(format: "%.0f s ago", max(0, seconds)) : String(format: "%.0f min ago", seconds / 60)
    }

    private static func columns(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
