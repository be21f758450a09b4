import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensModels

/// The CLI's side of the App layer's scoped resources: the documented messages and exit codes when a store or a
/// model cannot be opened. Opening and closing themselves are the App layer's (`withStore`, `withModelSession`).
extension StoreOptions {
    /// Runs `body` with the store `--store` names, closed on every path; prints `cannot open the store at ...` and
    /// exits 1 when it cannot be opened.
    func withOpenedStore<T>(_ body: (OpenedStore) async throws -> T) async throws -> T {
        do {
            return try await withStore(at: location, body)
        } catch let error as StoreOpeningError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

extension ModelOptions {
    /// Runs `body` with the model these options name, closed on every path; prints `error: ...` and exits 1 when
    /// the model cannot be opened (a missing local model, an endpoint where no API answers).
    func withSession<T>(
        concurrency: Int,
        runDirectory: (String, ModelAPI, ScoringMode) -> String,
        _ body: (ModelSession) async throws -> T
    ) async throws -> T {
        var opened = false
        do {
            return try await withModelSession(settings, concurrency: concurrency, runDirectory: runDirectory) {
                opened = true
                return try await body($0)
            }
        } catch let error as LocalModelError where !opened {
            printError("error: \(error.message)")
            throw ExitCode(1)
        } catch let failure as ModelFailure where !opened {
            printError("error: cannot use \(endpointDescription): \(failure.detail)")
            throw ExitCode(1)
        }
    }
}
