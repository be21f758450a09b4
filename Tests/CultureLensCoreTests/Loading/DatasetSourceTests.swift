import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import CultureLensTesting
import Foundation
import Testing

struct DatasetSourceTests {
    static let opinions = DatasetFile(
        repo: "Anthropic/llm_global_opinions",
        revision: "main",
        path: "data/global_opinions.csv"
    )

    @Test func registryListsTheOfficialFiles() throws {
        // Derived from the spec files: every spec with a Hub source, under its source.dataset name.
        let expected = Set(BuiltinSpecs.all.filter { $0.source?.repo != nil }.map { $0.source?.dataset ?? $0.id })
        #expect(DatasetRegistry.names == expected.sorted())
        #expect(
            Set(DatasetRegistry.names).isSuperset(of: [
                "blend", "civics", "culturalbench", "global-mmlu", "globalopinionqa", "normad",
            ])
        )
        #expect(DatasetRegistry.files["blend"]?.map(\.path) == ["data/mc_questions_hf/mc_questions_file.json"])
        #expect(
            DatasetRegistry.files["culturalbench"]?.map(\.path) == ["CulturalBench-Easy.csv", "CulturalBench-Hard.csv"]
        )
        #expect(DatasetRegistry.files["globalopinionqa"] == [Self.opinions])
        #expect(DatasetRegistry.files["normad"]?.first?.repo == "akhilayerukola/NormAd")
        #expect(DatasetRegistry.files["civics"]?.first?.repo == "CIVICS-dataset/CIVICS")
        for name in DatasetRegistry.names {
            #expect(DatasetRegistry.licences[name] != nil, "\(name)")
            for file in DatasetRegistry.files[name] ?? [] {
                try file.validate()
                #expect(DatasetRegistry.name(of: file) == name)
                // Nothing is pinned yet (see DatasetRegistry): a later spec file pins revisions and sha256.
                #expect(!file.isPinned && file.sha256 == nil)
            }
        }
        #expect(DatasetRegistry.name(of: DatasetFile(repo: "x/y", path: "z")) == nil)
    }

    @Test(arguments: [
        DatasetFile(repo: "../etc", path: "passwd"),
        DatasetFile(repo: "owner/name/extra", path: "a.csv"),
        DatasetFile(repo: "owner/name", revision: "..", path: "a.csv"),
        DatasetFile(repo: "owner/name", path: "/abs/a.csv"),
        DatasetFile(repo: "owner/name", path: "data/../../a.csv"),
        DatasetFile(repo: "owner/name", path: "data//a.csv"),
        DatasetFile(repo: "owner/name", path: "a\\b.csv"),
        DatasetFile(repo: "owner/name", path: ""),
        DatasetFile(repo: "owner/name", path: "a.csv", sha256: "abc"),
    ])
    func unsafeFilesAreRejected(file: DatasetFile) {
        #expect(throws: DatasetError.self) { try file.validate() }
    }

    @Test func pinnedRevisionsAreFullCommitIDs() {
        #expect(DatasetFile(repo: "a/b", revision: String(repeating: "ab12", count: 10), path: "f").isPinned)
        #expect(!DatasetFile(repo: "a/b", revision: "main", path: "f").isPinned)
        #expect(!DatasetFile(repo: "a/b", revision: "abc1234", path: "f").isPinned)
        #expect(Self.opinions.cacheRelativePath == "Anthropic/llm_global_opinions/main/data/global_opinions.csv")
        #expect(Self.opinions.description == "Anthropic/llm_global_opinions@main:data/global_opinions.csv")
    }

    @Test func localSourceFindsFilesByPathBasenameOrCacheLayout() async throws {
        let root = try LoadingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let fileManager = FileManager.default

        // Only the basename present.
        try Data("x".utf8).write(to: root.appendingPathComponent("global_opinions.csv"))
        let source = LocalDatasetSource(path: root.path)
        #expect(try await source.localURL(for: Self.opinions).lastPathComponent == "global_opinions.csv")

        // The full path wins over the basename.
        try fileManager.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try Data("y".utf8).write(to: root.appendingPathComponent("data/global_opinions.csv"))
        #expect(
            try await source.localURL(for: Self.opinions).path
                == root.appendingPathComponent("data/global_opinions.csv").path
        )

        // The cache layout.
        let normad = DatasetFile(repo: "akhilayerukola/NormAd", path: "normad_etiquette_final_data.csv")
        let cached = root.appendingPathComponent(normad.cacheRelativePath)
        try fileManager.createDirectory(at: cached.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("z".utf8).write(to: cached)
        #expect(try await source.localURL(for: normad).path == cached.path)

        // Missing: the error lists where it looked.
        let missing = DatasetFile(repo: "kellycyy/CulturalBench", path: "CulturalBench-Hard.csv")
        do {
            _ = try await source.localURL(for: missing)
            Issue.record("found a file that is not there")
        } catch let error as DatasetError {
            #expect(error.kind == .notFound)
            #expect(error.message.contains("CulturalBench-Hard.csv"))
            #expect(error.message.contains(root.path))
        }

        // A single file is used for any request.
        let single = LocalDatasetSource(path: root.appendingPathComponent("global_opinions.csv").path)
        #expect(try await single.localURL(for: missing).lastPathComponent == "global_opinions.csv")

        // A path that does not exist.
        await #expect(throws: DatasetError.self) {
            try await LocalDatasetSource(path: root.appendingPathComponent("nope").path).localURL(for: missing)
        }
    }

    @Test(.requiresTestData("blend"), .requiresTestData("civics")) func localSourceFindsTheSharedBLEnDAndCIVICSCopies() async throws {
        let blend = LocalDatasetSource(path: LoadingFixtures.url("blend").path)
        let questions = DatasetFile(repo: "nayeon212/BLEnD", path: "data/questions/South_Korea_questions.csv")
        let url = try await blend.localURL(for: questions)
        #expect(try CSVTable(contentsOf: url).rows.count == 500)

        let civics = LocalDatasetSource(path: LoadingFixtures.url("civics").path)
        let file = try #require(DatasetRegistry.files["civics"]?.first)
        #expect(try await civics.localURL(for: file).lastPathComponent == "civics_dataset.json")
    }

    @Test func localSourceCanVerifyChecksums() async throws {
        let root = try LoadingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let bytes = Data("question,selections\n".utf8)
        try bytes.write(to: root.appendingPathComponent("global_opinions.csv"))
        var file = Self.opinions
        file.sha256 = Hashing.sha256Hex(of: bytes)
        file.size = Int64(bytes.count)
        #expect(
            try await LocalDatasetSource(path: root.path, verifyChecksums: true).localURL(for: file).lastPathComponent
                == "global_opinions.csv"
        )
        file.sha256 = String(repeating: "0", count: 64)
        do {
            _ = try await LocalDatasetSource(path: root.path, verifyChecksums: true).localURL(for: file)
            Issue.record("accepted a wrong checksum")
        } catch let error as DatasetError {
            #expect(error.kind == .checksumMismatch)
            #expect(error.message.contains(String(repeating: "0", count: 64)))
            #expect(error.message.contains(Hashing.sha256Hex(of: bytes)))
        }
        // Unverified by default: a user's own copy may be a deliberate variant.
        #expect(
            try await LocalDatasetSource(path: root.path).localURL(for: file).lastPathComponent == "global_opinions.csv"
        )
    }

    @Test func streamingHashMatchesOneShotHash() throws {
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hasher = StreamingSHA256()
        hasher.update(data.prefix(12345))
        hasher.update(data.dropFirst(12345))
        #expect(hasher.hexDigest() == Hashing.sha256Hex(of: data))
        #expect(hasher.byteCount == 100_000)
        #expect(StreamingSHA256().hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func inMemorySourceServesBytesAndChecksSums() async throws {
        let source = InMemoryDatasetSource()
        defer { source.removeFiles() }
        source.set("question,selections,options,source\n", for: Self.opinions)
        let url = try await source.localURL(for: Self.opinions)
        #expect(try String(contentsOf: url, encoding: .utf8) == "question,selections,options,source\n")
        #expect(source.requests == [Self.opinions])

        var wrong = Self.opinions
        wrong.sha256 = String(repeating: "a", count: 64)
        await #expect(throws: DatasetError.self) { try await source.localURL(for: wrong) }
        await #expect(throws: DatasetError.self) {
            try await source.localURL(for: DatasetFile(repo: "x/y", path: "missing.csv"))
        }
    }

    @Test func cacheDirectoryFollowsCultureLensHome() {
        #expect(
            DatasetCache.defaultDirectory(environment: ["CULTURELENS_HOME": "/tmp/clhome"]).path
                == "/tmp/clhome/datasets"
        )
        #expect(DatasetCache.defaultDirectory(environment: [:]).path.hasSuffix("/.culturelens/datasets"))
    }
}
