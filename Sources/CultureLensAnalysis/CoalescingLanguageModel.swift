import CultureLensCore
import Foundation
import Synchronization

/// A ``LanguageModel`` wrapper that sends each distinct request once per invocation ("single flight" plus a
/// memo of the replies).
///
/// A perturbation grid can render the same prompt under two variant ids (a rotation that wraps around on an item
/// with fewer options, a translation the item lacks, dropping a neutral option it does not have). The runner
/// checks the store's cache before sending, but two identical requests in flight at once both miss it, and a
/// reply reaches the store only after it is scored; this wrapper lets every later identical request reuse the
/// first one's reply (or wait for it) instead of paying for it again. Failed requests are forgotten, so they are
/// tried again.
public final class CoalescingLanguageModel: LanguageModel {
    private let base: any LanguageModel
    private let replies = Mutex<[ModelRequest: Task<ModelReply, any Error>]>([:])
    private let sent = Mutex(0)

    /// Wraps `base`.
    public init(_ base: any LanguageModel) { self.base = base }

    public var identity: ModelIdentity { base.identity }

    /// Requests actually passed on to the wrapped model.
    public var requestsSent: Int { sent.withLock { $0 } }

    public func send(_ request: ModelRequest) async throws -> ModelReply {
        let base = base
        let (task, created) = replies.withLock { table -> (Task<ModelReply, any Error>, Bool) in
            if let existing = table[request] { return (existing, false) }
            let task = Task { try await base.send(request) }
            table[request] = task
            return (task, true)
        }
        if created { sent.withLock { $0 += 1 } }
        do {
            return try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                if created { task.cancel() }
            }
        } catch {
            if created { _ = replies.withLock { $0.removeValue(forKey: request) } }
            throw error
        }
    }
}
