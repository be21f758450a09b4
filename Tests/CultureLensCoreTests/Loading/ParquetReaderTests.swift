import Foundation
import PropertyBased
import Testing

@testable import CultureLensCore
@testable import CultureLensDatasets
@testable import CultureLensFormats

/// The Parquet fixtures in `Fixtures/parquet`, written by `make_fixtures.py` (pyarrow) from invented rows.
enum ParquetFixtures {
    static let directory = LoadingFixtures.packageRoot
        .appendingPathComponent("Tests/CultureLensCoreTests/Fixtures/parquet")

    static func url(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }

    /// The Global-MMLU columns, in the Hub file's order.
    static let globalMMLUColumns = [
        "sample_id", "subject", "subject_category", "question", "option_a", "option_b", "option_c", "option_d",
        "answer", "required_knowledge", "time_sensitive", "reference", "culture", "region", "country",
        "cultural_sensitivity_label", "is_annotated",
    ]

    static func globalMMLURow(_ texts: [String?], annotated: Bool?) -> DataValue {
        let values = texts.map { $0.map(DataValue.string) ?? .null } + [annotated.map(DataValue.bool) ?? .null]
        return .object(zip(globalMMLUColumns, values).map { ($0, $1) })
    }

    /// `make_fixtures.py`'s GMMLU_ROWS.
    static let globalMMLURows: [DataValue] = [
        globalMMLURow(
            [
                "world_religions/test/0", "world_religions", "Humanities",
                "Which month of the Islamic calendar is the month of fasting?",
                "Ramadan", "Muharram", "Shawwal", "Rajab", "A", "cultural", "No", nil, "Arab", "Middle East", nil, "CS",
            ],
            annotated: true
        ),
        globalMMLURow(
            [
                "world_religions/test/1", "world_religions", "Humanities",
                "What is usually said in Japan before eating, as in 「いただきます」?",
                "Itadakimasu", "Oyasumi", "Ittekimasu", "Tadaima", "A", "cultural", "No", nil, "Japanese", "Asia",
                "Japan", "CS",
            ],
            annotated: true
        ),
        globalMMLURow(
            [
                "elementary_mathematics/test/2", "elementary_mathematics", "STEM",
                "How many 🍎 are in 3 baskets of 4 🍎 each?",
                "7", "12", "34", "1", "B", "none", "No", nil, nil, nil, nil, "CA",
            ],
            annotated: false
        ),
        globalMMLURow(
            [
                "college_physics/test/3", "college_physics", "STEM", "What is the SI unit of electric charge?",
                "Volt", "Ampere", "Coulomb", "Ohm", "C", "none", "No", "https://example.org/si", nil, nil, nil, "CA",
            ],
            annotated: nil
        ),
        globalMMLURow(
            [
                "high_school_geography/test/4", "high_school_geography", "Social Sciences",
                "Which sea borders Egypt to the north?",
                "The Red Sea", "The Black Sea", "The Caspian Sea", "The Mediterranean Sea", "D", "regional", "No", nil,
                "", "Africa", "Egypt", "CS",
            ],
            annotated: true
        ),
        globalMMLURow(
            [
                "high_school_geography/test/5", "high_school_geography", "Social Sciences", "ما هي عاصمة المغرب؟",
                "الرباط", "فاس", "مراكش", "طنجة", "A", "regional", "Yes", nil, "Maghrebi", "Africa", "Morocco", "CS",
            ],
            annotated: false
        ),
    ]

    static let typesColumns = [
        "id", "i32", "i64", "f32", "f64", "flag", "text", "tags", "scores", "day", "raw", "fixed",
    ]

    /// `make_fixtures.py`'s types_table(), as the reader gives it: `point` (a struct) is skipped; dates are days;
    /// binary that is not UTF-8 is base64.
    static let typesRows: [DataValue] = {
        let long = String(repeating: "ありがとう ", count: 50) + "end"
        let rows: [[DataValue]] = [
            [
                .number(0), .number(1), .number(0), .number(1.5), .number(0.1), .bool(true), .string("👋🏽 hello"),
                .array([.string("a"), .string("b")]), .array([.number(1), .number(2), .number(3)]), .number(0),
                .string("AP8="), .string("abc"),
            ],
            [
                .number(1), .number(-2), .number(-1), .null, .number(-2.5e-300), .bool(false), .string("日本語"),
                .array([]), .null, .number(19782), .string("abc"), .string("\u{01}\u{02}\u{03}"),
            ],
            [
                .number(2), .null, .number(1_234_567_890_123), .number(-0.25), .null, .null, .string(""), .null,
                .array([]), .null, .null, .null,
            ],
            [
                .number(3), .number(2_147_483_647), .null, .number(Double(Float(0.1))), .number(1e300), .bool(true),
                .null, .array([.string("日本"), .null]), .array([.number(4)]), .number(-1), .string(""),
                .string("xyz"),
            ],
            [
                .number(4), .number(-2_147_483_648), .number(-5), .number(0), .number(3), .bool(false), .string(long),
                .array([.string("x")]), .array([.null, .number(5)]), .number(10957), .string("4oI="),
                .string("//79"),
            ],
        ]
        return rows.map { .object(zip(typesColumns, $0).map { ($0, $1) }) }
    }()

    /// `make_fixtures.py`'s pages_table(): row `i` is `{n: i, word: "w{i % 37}-語" (null every 11th row),
    /// flag: i % 3 == 0}`.
    static func pagesRow(_ index: Int) -> DataValue {
        .object([
            ("n", .number(Double(index))),
            ("word", index % 11 == 0 ? .null : .string("w\(index % 37)-語")),
            ("flag", .bool(index % 3 == 0)),
        ])
    }
}

struct ParquetReaderTests {
    // MARK: Reading the fixtures

    @Test(
        arguments: [
            // (file, row groups): pyarrow's defaults (Snappy, dictionary, page v1); uncompressed PLAIN; page v2
            // with two rows per row group.
            ("gmmlu-snappy-dict.parquet", 1),
            ("gmmlu-plain-uncompressed.parquet", 1),
            ("gmmlu-v2-rowgroups.parquet", 3),
        ]
    )
    func globalMMLUFixturesReadBackExactly(file: String, rowGroups: Int) throws {
        let reader = try ParquetReader(contentsOf: ParquetFixtures.url(file))
        #expect(reader.rowCount == 6)
        #expect(reader.rowGroupCount == rowGroups)
        #expect(reader.columns.map(\.name) == ParquetFixtures.globalMMLUColumns)
        #expect(reader.skippedColumns.isEmpty)
        #expect(reader.columns.allSatisfy { $0.isOptional && !$0.isList })
        #expect(reader.columns[3].type == "BYTE_ARRAY (STRING)")
        #expect(reader.columns[16].type == "BOOLEAN")
        let rows = try reader.rows()
        #expect(rows.count == ParquetFixtures.globalMMLURows.count)
        for (index, (row, expected)) in zip(rows, ParquetFixtures.globalMMLURows).enumerated() {
            #expect(row == expected, "row \(index)")
        }
    }

    @Test(arguments: ["types-v1-snappy.parquet", "types-v2-plain.parquet"])
    func everyTypeAndListsReadBack(file: String) throws {
        let reader = try ParquetReader(contentsOf: ParquetFixtures.url(file))
        #expect(reader.columns.map(\.name) == ParquetFixtures.typesColumns)
        // The struct column is not read; it is named.
        #expect(reader.skippedColumns == ["point"])
        #expect(reader.columns.filter(\.isList).map(\.name) == ["tags", "scores"])
        #expect(reader.columns.first { $0.name == "id" }?.isOptional == false)
        let rows = try reader.rows()
        #expect(rows.count == 5)
        for (index, (row, expected)) in zip(rows, ParquetFixtures.typesRows).enumerated() {
            #expect(row == expected, "row \(index)")
        }
    }

    /// Several pages per column chunk, and the writer's fallback from dictionary to plain pages mid-chunk.
    @Test func manyPagesAndDictionaryFallback() throws {
        let reader = try ParquetReader(contentsOf: ParquetFixtures.url("pages.parquet"))
        #expect(reader.rowGroupCount == 3)
        let rows = try reader.rows()
        #expect(rows.count == 300)
        #expect(rows == (0..<300).map(ParquetFixtures.pagesRow))
    }

    @Test func unsupportedCodecIsNamed() throws {
        let error = #expect(throws: LoadError.self) {
            try ParquetReader(contentsOf: ParquetFixtures.url("gzip.parquet"), file: "gzip.parquet")
        }
        #expect(error?.file == "gzip.parquet")
        #expect(error?.field == "sample_id")
        #expect(
            error?.message.hasPrefix("compression codec GZIP is not supported") == true,
            "\(String(describing: error))"
        )
    }

    // MARK: Through the spec loader

    /// The built-in spec reads the Hub's own file at its own path (`en/test-00000-of-00001.parquet`).
    @Test func globalMMLUSpecLoadsTheHubFile() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "global-mmlu"))
        #expect(spec.loader.format == .parquet)
        #expect(spec.loader.file == "en/test-00000-of-00001.parquet")
        let directory = try LoadingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let english = directory.appendingPathComponent("en")
        try FileManager.default.createDirectory(at: english, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: ParquetFixtures.url("gmmlu-snappy-dict.parquet"),
            to: english.appendingPathComponent("test-00000-of-00001.parquet")
        )
        let loaded = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: directory.path)).load()
        try Self.expectGlobalMMLUItems(loaded)
    }

    /// `--data FILE` with any of the fixtures gives the same items.
    @Test(arguments: ["gmmlu-snappy-dict.parquet", "gmmlu-plain-uncompressed.parquet", "gmmlu-v2-rowgroups.parquet"])
    func globalMMLUSpecLoadsADataFile(file: String) async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "global-mmlu"))
        let source = LocalDatasetSource(path: ParquetFixtures.url(file).path)
        try Self.expectGlobalMMLUItems(try await SpecLoader(spec: spec, source: source).load())
    }

    static func expectGlobalMMLUItems(_ loaded: LoadedSuite) throws {
        #expect(loaded.report.rowsRead == 6)
        #expect(loaded.report.rowsSkipped == 0)
        let items = Dictionary(uniqueKeysWithValues: loaded.suite.items.map { ($0.id, $0) })
        #expect(items.count == 6)
        // (id, culture, gold, label, topic)
        let expected: [(String, String, Int, String, String)] = [
            ("world_religions/test/0", "global", 0, "CS", "world_religions"),
            ("world_religions/test/1", "JP", 0, "CS", "world_religions"),
            ("elementary_mathematics/test/2", "global", 1, "CA", "elementary_mathematics"),
            ("college_physics/test/3", "global", 2, "CA", "college_physics"),
            ("high_school_geography/test/4", "EG", 3, "CS", "high_school_geography"),
            ("high_school_geography/test/5", "MA", 0, "CS", "high_school_geography"),
        ]
        for (id, culture, gold, label, topic) in expected {
            let item = try #require(items[id], "item \(id)")
            #expect(item.kind == .multipleChoice)
            #expect(item.culture == culture, "\(id)")
            #expect(item.gold == [gold], "\(id)")
            #expect(item.topic == topic)
            #expect(item.metadata["cultural_sensitivity_label"] == label, "\(id)")
            #expect(item.choices.count == 4)
        }
        let arabic = try #require(items["high_school_geography/test/5"])
        #expect(arabic.stem == "ما هي عاصمة المغرب؟")
        #expect(arabic.choices == ["الرباط", "فاس", "مراكش", "طنجة"])
        #expect(arabic.metadata["region"] == "Africa")
        let apples = try #require(items["elementary_mathematics/test/2"])
        #expect(apples.stem == "How many 🍎 are in 3 baskets of 4 🍎 each?")
        // A null region is absent from the metadata, not an empty string.
        #expect(try #require(items["college_physics/test/3"]).metadata["region"] == nil)
        #expect(loaded.suite.items.filter { $0.metadata["cultural_sensitivity_label"] == "CS" }.count == 4)
    }

    /// The format follows a `.parquet` extension whatever the spec declares (`mcq-jsonl` declares JSON Lines), and
    /// a list column serves as the options.
    @Test func parquetExtensionOverridesTheDeclaredFormat() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "mcq-jsonl"))
        #expect(spec.loader.format == .jsonl)
        let source = LocalDatasetSource(path: ParquetFixtures.url("mcq-items.parquet").path)
        let loaded = try await SpecLoader(spec: spec, source: source).load()
        let items = Dictionary(uniqueKeysWithValues: loaded.suite.items.map { ($0.id, $0) })
        #expect(items.count == 3)
        let malaysia = try #require(items["p1"])
        #expect(malaysia.culture == "MY")
        #expect(malaysia.choices == ["Nasi lemak", "Pho", "Paella"])
        #expect(malaysia.gold == [0])
        #expect(malaysia.topic == "food")
        let emirates = try #require(items["p2"])
        #expect(emirates.culture == "AE")
        #expect(emirates.choices == ["دبي", "الدوحة", "مسقط", "الرياض"])
        #expect(emirates.topic == "general")
        let japan = try #require(items["p3"])
        #expect(japan.culture == "global")
        #expect(japan.gold == [1])
        #expect(japan.stem == "🎍 Kadomatsu decorations are put up for which holiday?")
    }

    /// The spec loader turns a malformed Parquet file into a `LoadError` naming the file.
    @Test func specLoaderReportsAMalformedFile() async throws {
        let spec = try #require(BuiltinSpecs.spec(named: "global-mmlu"))
        let directory = try LoadingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("cut.parquet")
        let bytes = try ParquetFixtures.bytes("gmmlu-snappy-dict.parquet")
        try Data(bytes.prefix(bytes.count - 100)).write(to: url)
        for policy in BadRowPolicy.allCases {
            do {
                _ = try await SpecLoader(spec: spec, source: LocalDatasetSource(path: url.path), onBadRow: policy)
                    .load()
                Issue.record("loaded a truncated file")
            } catch let error as LoadError {
                #expect(error.file == url.path)
                #expect(error.message.contains("truncated"), "\(error)")
            }
        }
    }

    // MARK: Malformed files

    @Test func truncatedFilesAreReportedAsTruncated() throws {
        let bytes = try ParquetFixtures.bytes("gmmlu-snappy-dict.parquet")
        for length in [0, 3, 4, 11, 100, bytes.count / 2, bytes.count - 1] {
            let error = #expect(throws: LoadError.self, "length \(length)") {
                try ParquetReader(bytes: Array(bytes.prefix(length)), file: "cut.parquet").rows()
            }
            #expect(error?.file == "cut.parquet")
            #expect(error?.message.contains("truncated") == true, "length \(length): \(String(describing: error))")
        }
    }

    @Test func badMagicIsNotParquet() throws {
        var bytes = try ParquetFixtures.bytes("gmmlu-snappy-dict.parquet")
        bytes[0] = UInt8(ascii: "X")
        let error = #expect(throws: LoadError.self) { try ParquetReader(bytes: bytes, file: "x.parquet") }
        #expect(error?.description == "x.parquet: not a Parquet file: it does not start with the magic bytes PAR1")
        let csv = Array("sample_id,question\n1,What?\n".utf8)
        let csvError = #expect(throws: LoadError.self) { try ParquetReader(bytes: csv, file: "data.parquet") }
        #expect(csvError?.message.hasPrefix("not a Parquet file") == true)
    }

    @Test(arguments: [UInt32.max, 0, 6000, 5682])
    func corruptFooterLengthIsReported(length: UInt32) throws {
        var bytes = try ParquetFixtures.bytes("gmmlu-snappy-dict.parquet")
        let at = bytes.count - 8
        for offset in 0..<4 { bytes[at + offset] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(offset))) }
        let error = #expect(throws: LoadError.self) { try ParquetReader(bytes: bytes, file: "f.parquet").rows() }
        #expect(error?.file == "f.parquet")
        #expect(error?.message.hasPrefix("corrupt footer") == true, "\(String(describing: error))")
    }

    @Test func corruptFooterContentIsReported() throws {
        var bytes = try ParquetFixtures.bytes("gmmlu-snappy-dict.parquet")
        let reader = try ParquetReader(bytes: bytes, file: "f.parquet")
        // A list header claiming far more elements than bytes follow (the footer's schema list is near its start).
        bytes[reader.dataEnd + 2] = 0xFF
        bytes[reader.dataEnd + 3] = 0xFF
        let error = #expect(throws: LoadError.self) { try ParquetReader(bytes: bytes, file: "f.parquet").rows() }
        #expect(error?.message.hasPrefix("corrupt footer") == true, "\(String(describing: error))")
    }

    /// A page whose Snappy block is damaged: the error names the column, the row group and the page.
    @Test func corruptPageIsReported() throws {
        let original = try ParquetFixtures.bytes("gmmlu-snappy-dict.parquet")
        let reader = try ParquetReader(bytes: original, file: "p.parquet")
        let question = try #require(reader.metadata.rowGroups[0].columns[3].metaData)
        #expect(question.path == ["question"])
        // The data page: its header, then the Snappy block, whose first byte is the uncompressed length.
        let pageStart = Int(question.dataPageOffset)
        var thrift = ThriftCompactReader(ByteCursor(original, range: pageStart..<reader.dataEnd))
        _ = try ParquetReader.PageHeader(reading: &thrift)
        let bodyStart = thrift.cursor.position

        var wrongLength = original
        wrongLength[bodyStart] ^= 0x01
        let lengthError = #expect(throws: LoadError.self) {
            try ParquetReader(bytes: wrongLength, file: "p.parquet").rows()
        }
        #expect(lengthError?.field == "question")
        #expect(
            lengthError?.message.hasPrefix("row group 0 (rows 0..<6): page at byte \(pageStart): Snappy: ") == true,
            "\(String(describing: lengthError))"
        )

        var badHeader = original
        badHeader[pageStart] = 0xFF
        let headerError = #expect(throws: LoadError.self) {
            try ParquetReader(bytes: badHeader, file: "p.parquet").rows()
        }
        #expect(headerError?.field == "question")
        #expect(
            headerError?.message.contains("page at byte \(pageStart)") == true,
            "\(String(describing: headerError))"
        )
    }

    @Test func invalidUTF8InAStringColumnIsAnError() throws {
        // The uncompressed PLAIN file stores the strings as they are: break the first question's first byte.
        var bytes = try ParquetFixtures.bytes("gmmlu-plain-uncompressed.parquet")
        let needle = Array("Which month".utf8)
        let start = try #require(
            (0..<(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
        )
        bytes[start] = 0xFF
        let error = #expect(throws: LoadError.self) { try ParquetReader(bytes: bytes, file: "u.parquet").rows() }
        #expect(error?.field == "question")
        #expect(error?.message.hasSuffix("a string value is not valid UTF-8") == true, "\(String(describing: error))")
    }

    // MARK: Levels

    @Test func hybridDecoderReadsRunsAndBitPackedGroups() throws {
        // RLE run: header 5 << 1 = 10, value 3 (one byte for width 2); then one bit-packed group of 8 values of
        // width 2 (header 1 << 1 | 1 = 3): 0,1,2,3,0,1,2,3 packed LSB first = 0b11100100 twice.
        let bytes: [UInt8] = [10, 3, 3, 0b1110_0100, 0b1110_0100]
        var cursor = ByteCursor(bytes)
        let values = try ParquetReader.decodeHybrid(&cursor, bitWidth: 2, count: 11)
        #expect(values == [3, 3, 3, 3, 3, 0, 1, 2, 3, 0, 1])
        var short = ByteCursor([10])
        #expect(throws: ParquetReader.FormatError.self) {
            try ParquetReader.decodeHybrid(&short, bitWidth: 2, count: 5)
        }
        #expect(ParquetReader.bitWidth(0) == 0 && ParquetReader.bitWidth(1) == 1 && ParquetReader.bitWidth(3) == 2)
    }

    // MARK: Properties

    /// Arbitrary damage to a valid file (byte changes, bit flips, insertions, deletions, truncation): the reader
    /// either reads rows or throws a `LoadError` naming the file; it never traps.
    @Test(arguments: [
        "gmmlu-snappy-dict.parquet", "gmmlu-v2-rowgroups.parquet", "types-v1-snappy.parquet", "types-v2-plain.parquet",
        "pages.parquet",
    ])
    func damagedFilesParseOrThrowLoadError(file: String) async throws {
        let original = try ParquetFixtures.bytes(file)
        let damaged = Generator<[UInt8], Shrink.None<[UInt8]>> { rng in
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                guard !bytes.isEmpty else { break }
                let position = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                case 2: bytes[position] = [0x00, 0x7F, 0x80, 0xFF][Int.random(in: 0..<4, using: &rng)]
                case 3: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
                case 4: bytes.remove(at: position)
                default: bytes.removeLast(Int.random(in: 1...min(bytes.count, 64), using: &rng))
                }
            }
            return bytes
        }
        await propertyCheck(count: 400, input: damaged) { bytes in
            do throws(LoadError) {
                let reader = try ParquetReader(bytes: bytes, file: "damaged.parquet")
                let rows = try reader.rows()
                #expect(rows.count == reader.rowCount)
            } catch {
                #expect(error.file == "damaged.parquet")
                #expect(!error.message.isEmpty)
            }
        }
    }

    /// Random bytes after a valid magic number never trap either.
    @Test func randomBytesParseOrThrowLoadError() async {
        await propertyCheck(count: 500, input: LoadingGen.bytes(maxLength: 200)) { body in
            let bytes = Array("PAR1".utf8) + body + Array("PAR1".utf8)
            do throws(LoadError) {
                _ = try ParquetReader(bytes: bytes, file: "r.parquet").rows()
            } catch {
                #expect(error.file == "r.parquet")
            }
        }
    }
}
