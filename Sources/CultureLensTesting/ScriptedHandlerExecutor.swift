import Dispatch

/// Runs a ``ScriptedHTTPServer``'s handler tasks on a thread of their own instead of Swift's cooperative pool.
///
/// The pool has one thread per core. On CI's two cores, tests doing CPU-bound work or waiting synchronously kept
/// both threads busy for tens of seconds, so a server's answer task waited that long to run and clients timed out on
/// answers that were never late by the server's own logic (`connectionCloseRequestIsHonoured`, the Hub downloader's
/// read timeouts). A private serial queue targets an overcommitting global queue, which gets a thread even when the
/// pool is saturated. A `.delay` suspends the task (`Task.sleep`) and frees the queue for other requests meanwhile.
final class ScriptedHandlerExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "ScriptedHTTPServer.handlers")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
