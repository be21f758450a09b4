public import CultureLensCore
import CultureLensDatasets
public import Foundation
import Synchronization

/// A ``DatasetSource`` serving bytes held in memory, for tests of loaders and suites.
///
/// Files are matched by repo and path (any revision). On first use each file is written to a private temporary
/// directory (removed by ``removeFiles()``). A file whose expected sha256 or size does not match the bytes fails as
/// the Hub source would, so checksum handling can be tested without a server.
public final class InMemoryDatasetSource: DatasetSource {
    private struct State {
        var contents: [String: Data] = [:]
        var requests: [DatasetFile] = []
    }

    private let state = Mutex(State())
    /// The directory files are materialised in.
    public let directory: URL

    /// Creates a source holding `contents`, keyed by the files they stand for.
    public init(_ contents: [DatasetFile: Data] = [:]) {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("culturelens-datasets-\(UUID().uuidString)", isDirectory: true)
        state.withLock { state in
            for (file, data) in contents { state.contents[Self.key(file)] = data }
        }
    }

    /// Adds or replaces the bytes of `file`.
    public func set(_ data: Data, for file: DatasetFile) {
        state.withLock { $0.contents[Self.key(file)] = data }
    }

    /// Adds or replaces the text of `file` (UTF-8).
    public func set(_ text: String, for file: DatasetFile) {
        set(Data(text.utf8), for: file)
    }

    /// Every file asked for so far, in order.
    public var requests: [DatasetFile] { state.withLock { $0.requests } }

    public func localURL(for file: DatasetFile) async throws -> URL {
        try file.validate()
        let data = state.withLock { state -> Data? in
            state.requests.append(file)
            return state.contents[Self.key(file)]
        }
        guard let data else {
            throw DatasetError(kind: .notFound, message: "\(file) is not in the in-memory dataset source")
        }
        let url = DatasetCache.url(for: file, in: directory)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try data.write(to: url, options: .atomic)
        } catch {
            throw DatasetError(kind: .io, message: "cannot write \(url.path): \(error.localizedDescription)")
        }
        try DatasetCache.verify(url, against: file)
        return url
    }

    /// Deletes the materialised files.
    public func removeFiles() {
        try? FileManager.default.removeItem(at: directory)
    }

    private static func key(_ file: DatasetFile) -> String { file.repo + "\u{0}" + file.path }
}
