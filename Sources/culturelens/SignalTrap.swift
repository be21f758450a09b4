import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Turns the first SIGINT/SIGTERM into a graceful stop and the second into an immediate exit.
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    init(onFirst: @escaping @Sendable () -> Void, onSecond: @escaping @Sendable () -> Void) {
        let count = Counter()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 {
                    printError("\nstopping: finishing the requests in flight (press Ctrl-C again to quit at once)")
                    onFirst()
                } else {
                    onSecond()
                }
            }
            source.resume()
            return source
        }
    }

    /// Restores default signal handling.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

private final class Counter: Sendable {
    private let value = Mutex(0)

    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}

