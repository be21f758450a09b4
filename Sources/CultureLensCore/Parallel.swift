import Dispatch
import Foundation
import Synchronization

/// Spreads start-up work that is a pure function of each element over the cores.
///
/// Loading a data file and hashing its suite happen before a run's first request, one element at a time; on a
/// 5,000-row file that was most of the start-up. The work blocks the calling thread until every chunk is done
/// (`DispatchQueue.concurrentPerform`), which is what start-up wants: nothing else can proceed without the result.
package enum Parallel {
    /// Below this many elements the work stays on the calling thread: splitting costs more than it saves.
    static let defaultThreshold = 1_000

    /// Contiguous ranges covering `0..<count`, one per core (at most 8), or one range below `threshold`.
    static func chunks(count: Int, threshold: Int = defaultThreshold) -> [Range<Int>] {
        guard count >= threshold else { return count > 0 ? [0..<count] : [] }
        let pieces = min(max(1, ProcessInfo.processInfo.activeProcessorCount), 8)
        let size = (count + pieces - 1) / pieces
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// `work` of each chunk of `0..<count`, in chunk order.
    package static func mapChunks<Output: Sendable>(
        count: Int,
        threshold: Int = defaultThreshold,
        _ work: @Sendable (Range<Int>) -> Output
    ) -> [Output] {
        let ranges = chunks(count: count, threshold: threshold)
        guard ranges.count > 1 else { return ranges.map(work) }
        let outputs = Mutex([Output?](repeating: nil, count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { index in
            let output = work(ranges[index])
            outputs.withLock { $0[index] = output }
        }
        // concurrentPerform returns after every iteration has run, so every slot is filled.
        return outputs.withLock { $0.compactMap { $0 } }
    }

    /// `transform` of each element, in order.
    package static func map<Element: Sendable, Output: Sendable>(
        _ elements: [Element],
        threshold: Int = defaultThreshold,
        _ transform: @Sendable (Element) -> Output
    ) -> [Output] {
        mapChunks(count: elements.count, threshold: threshold) { range in elements[range].map(transform) }
            .flatMap { $0 }
    }
}
