import CultureLensCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Draws one progress line on stderr (done/total, rate, ETA, cache hits, errors, retries), at most every 100 ms;
/// silent when stderr is not a terminal so logs and CI output stay clean.
final class ProgressRenderer: Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let state = Mutex<(last: ContinuousClock.Instant?, latest: RunProgress?)>((nil, nil))

    func update(_ progress: RunProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = state.withLock { state -> Bool in
            state.latest = progress
            if let last = state.last, now - last < .milliseconds(100), progress.done < progress.total { return false }
            state.last = now
            return true
        }
        if draw { write(progress) }
    }

    func finish() {
        guard enabled, let latest = state.withLock({ $0.latest }) else { return }
        write(latest)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func write(_ progress: RunProgress) {
        let eta = progress.eta.map { String(format: "%.0fs", $0) } ?? "–"
        let rate = String(format: "%.1f", progress.rate)
        let line = "\r\u{1B}[2K\(progress.done)/\(progress.total) items · \(rate)/s · ETA \(eta) · cache \(progress.cacheHits)"
            + " · errors \(progress.errors) · retries \(progress.retries)"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
