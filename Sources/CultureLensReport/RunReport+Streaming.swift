import CultureLensAnalysis
public import CultureLensCore
import CultureLensDatasets
import CultureLensStatistics
public import Foundation

extension RunReport {
    /// Writes `results.json` and `samples.jsonl` of `report`'s run into `directory` (created if needed) from
    /// `store`, with `report`'s settings, diagnostics and figures and the summary counted from the store, reading
    /// the results a page at a time: each sample line is written as its result is read, and the summary
    /// is counted as it goes (``RunSummary/Accumulator``), so memory does not grow with the run.
    ///
    /// The files are byte for byte what `RunReport(run:suite:results:settings:)` with ``write(to:metrics:)`` writes
    /// for the results of ``ResultStore/results(runID:)``; each is written atomically. Should a store list a
    /// run's results in another order than the report's own sort, the export falls back to reading them all.
    /// - Returns: The run's summary.
    @discardableResult
    public static func write(
        _ report: RunReport,
        suite: Suite,
        store: some ResultStore,
        metrics: BenchmarkMetrics? = nil,
        to directory: URL,
        pageSize: Int = 1000
    ) async throws -> RunSummary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let run = report.run
        // Positions rather than a dictionary of items: the suite is held once however many items it has.
        var positions: [String: Int] = [:]
        positions.reserveCapacity(suite.items.count)
        for (index, item) in suite.items.enumerated() where positions[item.id] == nil { positions[item.id] = index }

        let encoder = ResultsDocument.encoder(pretty: false)
        let writer = try AtomicFileWriter(url: directory.appendingPathComponent(ResultsDocument.samplesFileName))
        var accumulator = RunSummary.Accumulator()
        var previous: (Int, String)?
        do {
            try await store.forEachResult(runID: run.id, pageSize: pageSize) { result in
                // The in-memory report sorts with Swift's string order; a store's byte order only differs from it
                // for strings that are not in normalisation form C, and then the streamed order would not match.
                let key = (result.itemIndex, result.variant)
                if let previous, key < previous { throw OutOfOrder() }
                previous = key
                accumulator.add(result)
                let item = positions[result.itemID].map { suite.items[$0] }
                try writer.append(try sampleLine(result, item: item, encoder: encoder))
                try writer.append(byte: 0x0A)
            }
        } catch is OutOfOrder {
            writer.discard()
            var full = report
            full.items = Dictionary(suite.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let results = try await store.results(runID: run.id)
            full.results = results.sorted { ($0.itemIndex, $0.variant) < ($1.itemIndex, $1.variant) }
            full.summary = RunSummary(results: results, itemCount: run.itemCount)
            try full.write(to: directory, metrics: metrics)
            return full.summary
        }
        let summary = accumulator.summary(itemCount: run.itemCount)
        var streamed = report
        streamed.summary = summary
        try streamed.document(metrics: metrics).write(into: directory)
        try writer.commit()
        return summary
    }

    private struct OutOfOrder: Error {}
}
