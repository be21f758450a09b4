import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensModels
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `culturelens datasets list|fetch|info`: the benchmark data files on the Hugging Face Hub and the local cache.
struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List, download and describe the benchmark data files (Hugging Face Hub, cached locally).",
        discussion: """
            Files are cached under $CULTURELENS_HOME/datasets/{repo}/{revision}/{path}. Environment: HF_ENDPOINT \
            (default https://huggingface.co), HF_TOKEN (sent as a bearer token; needed for gated datasets), \
            HF_HUB_OFFLINE=1 (use the cache only). A run can use local files instead with --data PATH.
            """,
        subcommands: [DatasetsListCommand.self, DatasetsFetchCommand.self, DatasetsInfoCommand.self],
        defaultSubcommand: DatasetsListCommand.self
    )
}

struct DatasetsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the known dataset files and whether each is cached."
    )

    func run() throws {
        let cache = DatasetCache.defaultDirectory()
        let rows = DatasetRegistry.names.flatMap { name in
            (DatasetRegistry.files[name] ?? []).map { file in
                [
                    name,
                    DatasetRegistry.licences[name] ?? "?",
                    file.repo,
                    file.isPinned ? String(file.revision.prefix(12)) : file.revision + " (unpinned)",
                    file.path,
                    DatasetCache.isCached(file, in: cache) ? "cached" : "not cached",
                ]
            }
        }
        printTable(header: ["dataset", "licence", "repo", "revision", "file", "status"], rows: rows)
        print("cache: \(cache.path)")
    }
}

struct DatasetsFetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download datasets into the cache (resuming interrupted downloads).",
        discussion: "Exit codes: 0 ok; 1 a download failed; 2 usage error."
    )

    @Argument(help: "Dataset names (see `culturelens datasets list`).")
    var names: [String]

    @Flag(name: .long, help: "Download again even if a verified copy is cached (for unpinned revisions).")
    var force = false

    func validate() throws {
        guard !names.isEmpty else {
            throw ValidationError("name at least one dataset: \(DatasetRegistry.names.joined(separator: ", "))")
        }
        for name in names where DatasetRegistry.files[name] == nil {
            throw ValidationError(
                "unknown dataset '\(name)'. Choices: \(DatasetRegistry.names.joined(separator: ", "))"
            )
        }
    }

    func run() async throws {
        let failures = try await withHubDatasetSource { source in
            var failures = 0
            for name in names {
                for file in DatasetRegistry.files[name] ?? [] {
                    let progress = DownloadProgressLine(label: "\(name): \(file.path)")
                    do {
                        let url = try await source.fetch(file, force: force) { bytes, total in
                            progress.update(bytes: bytes, total: total)
                        }
                        progress.finish()
                        let size = fileSize(url).map(formatBytes) ?? "?"
                        if file.sha256 == nil {
                            let digest = (try? DatasetCache.sha256Hex(ofFileAt: url)) ?? "?"
                            print(
                                "\(name): \(file.path) → \(url.path) (\(size); not verified: no pinned sha256; this copy has sha256 \(digest))"
                            )
                        } else {
                            print("\(name): \(file.path) → \(url.path) (\(size), sha256 verified)")
                        }
                    } catch let error as DatasetError {
                        progress.finish()
                        printError("error: \(name): \(error.message)")
                        failures += 1
                    } catch is CancellationError {
                        progress.finish()
                        throw ExitCode(130)
                    }
                }
            }
            return failures
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

struct DatasetsInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a dataset's repo, revision, files, sizes and cache paths."
    )

    @Argument(help: "Dataset name (see `culturelens datasets list`).")
    var name: String

    func validate() throws {
        guard DatasetRegistry.files[name] != nil else {
            throw ValidationError(
                "unknown dataset '\(name)'. Choices: \(DatasetRegistry.names.joined(separator: ", "))"
            )
        }
    }

    func run() throws {
        let files = DatasetRegistry.files[name] ?? []
        let configuration = HubDatasetSource.Configuration.fromEnvironment()
        print("dataset:  \(name)")
        print("licence:  \(DatasetRegistry.licences[name] ?? "unknown")")
        for repo in Set(files.map(\.repo)).sorted() {
            print("repo:     \(repo)  (\(configuration.endpoint)/datasets/\(repo))")
        }
        for revision in Set(files.map(\.revision)).sorted() {
            let pinned = files.first { $0.revision == revision }?.isPinned ?? false
            print(
                "revision: \(revision)\(pinned ? "" : "  (unpinned: the content can change; no sha256 to verify against)")"
            )
        }
        if configuration.offline { print("offline:  HF_HUB_OFFLINE is set; nothing will be downloaded") }
        for file in files {
            let cacheURL = configuration.cacheURL(for: file)
            print("")
            print("file:     \(file.path)")
            print("  url:    \(configuration.resolveURL(for: file))")
            print("  size:   \(file.size.map { "\(formatBytes($0)) (\($0) bytes)" } ?? "unknown")")
            print("  sha256: \(file.sha256 ?? "not pinned")")
            print("  cache:  \(cacheURL.path)")
            if FileManager.default.fileExists(atPath: cacheURL.path) {
                let size = fileSize(cacheURL).map(formatBytes) ?? "?"
                let verified = DatasetCache.isCached(file, in: configuration.cacheDirectory)
                print("  status: cached, \(size)\(verified ? "" : " (does not match the expected size or sha256)")")
            } else if let partial = fileSize(URL(fileURLWithPath: cacheURL.path + ".partial")) {
                print(
                    "  status: partly downloaded (\(formatBytes(partial))); `culturelens datasets fetch \(name)` resumes"
                )
            } else {
                print("  status: not cached; `culturelens datasets fetch \(name)` downloads it")
            }
        }
    }
}

// MARK: - Output helpers

private func printTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    for row in all {
        let cells = row.enumerated().map { index, cell in
            index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }
        print(cells.joined(separator: "  "))
    }
}

private func fileSize(_ url: URL) -> Int64? {
    (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
}

private func formatBytes(_ bytes: Int64) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    if bytes < 1024 * 1024 { return String(format: "%.1f kB", Double(bytes) / 1024) }
    return String(format: "%.2f MB", Double(bytes) / (1024 * 1024))
}

/// One download progress line on stderr, at most every 100 ms; silent when stderr is not a terminal.
private final class DownloadProgressLine: Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let state = Mutex<(last: ContinuousClock.Instant?, drawn: Bool)>((nil, false))

    init(label: String) { self.label = label }

    func update(bytes: Int64, total: Int64?) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = state.withLock { state -> Bool in
            if let last = state.last, now - last < .milliseconds(100), bytes != total { return false }
            state.last = now
            state.drawn = true
            return true
        }
        guard draw else { return }
        var line = "\r\u{1B}[2K\(label): \(formatBytes(bytes))"
        if let total, total > 0 {
            line += " of \(formatBytes(total)) (\(Int(Double(bytes) / Double(total) * 100))%)"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
