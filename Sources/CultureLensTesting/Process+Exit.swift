import Foundation

extension Process {
    /// Starts the process and waits until it exits, without blocking a thread of Swift's cooperative pool.
    ///
    /// `waitUntilExit()` (and reading a pipe to its end) blocks the calling thread. In an async test that thread
    /// belongs to the cooperative pool, which has one thread per core: on CI's two cores, two tests waiting for
    /// child processes (Chromium, `swift package dump-package`, a fetch script) left no thread to answer the
    /// requests of the in-process HTTP servers other tests were talking to, and those tests timed out.
    /// Send output to files, not pipes, so the child never blocks on a full pipe either.
    public func runUntilExit() async throws {
        let exited = AsyncStream<Void> { continuation in
            terminationHandler = { _ in continuation.finish() }
        }
        try run()
        for await _ in exited {}
    }
}
