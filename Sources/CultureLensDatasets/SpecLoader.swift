import CultureLensCore
import CultureLensFormats
import CultureLensStatistics
import Foundation

/// What to do with a malformed row.
public enum BadRowPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stop with an error naming the file, the line (or row index) and the field.
    case fail
    /// Leave the row out and count it in the results.
    case skip
}

/// What loading a spec's data did: rows read, left out by the spec's filters, skipped as malformed.
public struct LoadReport: Sendable, Hashable, Codable {
    /// The files read, as local paths.
    public var files: [String]
    /// Records read (before filters).
    public var rowsRead: Int
    /// Records left out by the spec's filters (e.g. BLEnD's official filter), by reason.
    public var rowsFiltered: Int
    /// Filtered records by the filter's reason.
    public var filteredBy: [String: Int]
    /// Malformed records skipped under `--on-bad-row skip`.
    public var rowsSkipped: Int
    /// The first skipped records' errors (file:line: field: message), at most ``maximumListedErrors``.
    public var skipped: [String]
    /// Items built.
    public var items: Int

    /// How many skipped-row errors are listed.
    public static let maximumListedErrors = 50

    /// An empty report.
    public init() {
        files = []
        rowsRead = 0
        rowsFiltered = 0
        filteredBy = [:]
        rowsSkipped = 0
        skipped = []
        items = 0
    }
}

/// A spec's data loaded into a suite.
public struct LoadedSuite: Sendable {
    /// The spec.
    public var spec: DatasetSpec
    /// The prompts selected (ids; empty when the spec has none).
    public var prompts: [String]
    /// The suite; its name is the spec id, with `:prompt` when one prompt of several was selected.
    public var suite: Suite
    /// What loading did.
    public var report: LoadReport
    /// The spec's warnings, the malformed rows skipped (the first ``LoadReport/maximumListedErrors``) and the culture
    /// names not in the catalogue, sorted: what `results.json` lists under `diagnostics`.
    public var diagnostics: [Diagnostic] = []
    /// For re-scoring: source row index → item position, when every row gave exactly one item from one file;
    /// `nil` when responses must address items by position.
    public var itemPositionBySourceRow: [Int: Int]?

    /// The first `limit` items (all when `nil`), never splitting a group of items scored together: a group that
    /// would be cut is left out whole.
    public func prefix(_ limit: Int?) -> LoadedSuite {
        guard let limit, limit < suite.items.count else { return self }
        var sizes: [String: Int] = [:]
        for item in suite.items { if let group = item.group { sizes[group, default: 0] += 1 } }
        var kept: [Item] = []
        var taken: [String: Int] = [:]
        for item in suite.items {
            guard kept.count < limit else { break }
            kept.append(item)
            if let group = item.group { taken[group, default: 0] += 1 }
        }
        let partial = Set(taken.filter { sizes[$0.key] != $0.value }.keys)
        var copy = self
        copy.suite.items = kept.filter { item in item.group.map { !partial.contains($0) } ?? true }
        return copy
    }

    /// The item position a re-scoring response's `index` addresses.
    public func itemPosition(forResponseIndex index: Int) -> Int? {
        if let itemPositionBySourceRow { return itemPositionBySourceRow[index] }
        return suite.items.indices.contains(index) ? index : nil
    }
}

/// Reads a ``DatasetSpec``'s files through a ``DatasetSource`` and builds its items.
public struct SpecLoader: Sendable {
    /// The spec.
    public var spec: DatasetSpec
    /// Where files come from.
    public var source: any DatasetSource
    /// Malformed rows: fail or skip.
    public var onBadRow: BadRowPolicy

    /// Creates a loader.
    public init(spec: DatasetSpec, source: any DatasetSource, onBadRow: BadRowPolicy = .fail) {
        self.spec = spec
        self.source = source
        self.onBadRow = onBadRow
    }

    /// One record with where it came from.
    struct Record {
        var value: DataValue
        var file: String
        var line: Int?
        var row: Int
        var variables: [String: String]
    }

    /// Loads the data and builds the suite.
    /// - Parameter prompts: Prompt ids to run; `nil` for the spec's default prompts.
    /// - Throws: ``SpecError`` for an unknown prompt; ``DatasetError`` when a file is missing; ``LoadError`` for a
    ///   malformed file, or a malformed row under ``BadRowPolicy/fail``.
    public func load(prompts selection: [String]? = nil) async throws -> LoadedSuite {
        let selectedPrompts = try selectPrompts(selection)
        var report = LoadReport()
        let diagnostics = DiagnosticCollector()
        diagnostics.emit(contentsOf: spec.diagnostics)
        var records: [Record] = []
        var promptTables: [String: [String: [String: String]]] = [:]  // file → key → column → text
        var fileCount = 0
        for variables in spec.loader.each ?? [[:]] {
            let path = Self.fill(spec.loader.file, variables)
            let url = try await localURL(for: path)
            fileCount += 1
            report.files.append(url.path)
            var fileRecords = try readRecords(
                url: url,
                format: Self.format(of: url, declared: spec.loader.format),
                recordsPath: spec.loader.records,
                report: &report,
                diagnostics: diagnostics
            )
            for index in fileRecords.indices {
                for (name, value) in variables { fileRecords[index].variables[name] = value }
            }
            for join in spec.loader.join ?? [] {
                let joinURL = try await localURL(for: Self.fill(join.file, variables))
                report.files.append(joinURL.path)
                let table = try joinTable(join, url: joinURL)
                let on = try FieldPath(join.on)
                for index in fileRecords.indices {
                    let key = on.value(in: scope(fileRecords[index]))?.text
                    let joined = key.flatMap { table[$0] } ?? .null
                    if case .object(var entries) = fileRecords[index].value {
                        entries.append((join.name, joined))
                        fileRecords[index].value = .object(entries)
                    }
                }
            }
            for prompt in selectedPrompts {
                guard let fromFile = prompt.fromFile else { continue }
                let promptPath = Self.fill(fromFile.file, variables)
                if promptTables[promptPath] == nil {
                    let promptURL = try await localURL(for: promptPath)
                    report.files.append(promptURL.path)
                    promptTables[promptPath] = try promptTable(url: promptURL, keyColumn: fromFile.keyColumn)
                }
            }
            report.rowsRead += fileRecords.count
            records += fileRecords
        }

        // The spec's filters (e.g. BLEnD's official filter) leave rows out; they are counted, not errors.
        var kept: [Record] = []
        for record in records {
            if let reason = try filterReason(record) {
                report.rowsFiltered += 1
                report.filteredBy[reason, default: 0] += 1
            } else {
                kept.append(record)
            }
        }
        if let seed = spec.order?.shuffleSeed {
            var generator = SplitMix64(seed: seed)
            generator.shuffle(&kept)
        }

        var items: [Item] = []
        var itemsPerRecord: [(row: Int, count: Int)] = []
        var seenIDs = Set<String>()
        let builder = ItemBuilder(
            spec: spec,
            prompts: selectedPrompts,
            promptTables: promptTables,
            multiFile: fileCount > 1
        )
        // Building is a pure function of each record: build on every core, then check ids and apply the bad-row
        // policy in record order exactly as before.
        let builtItems = Parallel.map(kept) { record in
            Result { () throws -> (items: [Item], unresolvedCulture: String?) in
                let scope = scope(record)
                return (try builder.items(for: record, scope: scope), builder.unresolvedCulture(scope))
            }
        }
        var unresolved: [String: (count: Int, first: Record)] = [:]
        for (record, outcome) in zip(kept, builtItems) {
            do {
                let (built, unresolvedCulture) = try outcome.get()
                if let name = unresolvedCulture {
                    unresolved[name, default: (0, record)].count += 1
                }
                for item in built where !seenIDs.insert(item.id).inserted {
                    throw RowError(field: spec.fields.id, message: "duplicate item id '\(item.id)'")
                }
                items += built
                itemsPerRecord.append((record.row, built.count))
            } catch let error as RowError {
                let loadError = LoadError(
                    file: record.file,
                    line: record.line,
                    row: record.row,
                    field: error.field,
                    message: error.message
                )
                try skip(loadError, &report, diagnostics)
            }
        }
        if spec.order?.interleave ?? true { items = Self.interleaved(items) }
        report.items = items.count
        if report.rowsSkipped > report.skipped.count {
            diagnostics.emit(
                Diagnostic(
                    .warning,
                    "\(report.rowsSkipped - report.skipped.count) more malformed row(s) skipped; only the first "
                        + "\(report.skipped.count) are listed"
                )
            )
        }
        for (name, entry) in unresolved {
            diagnostics.emit(
                Diagnostic(
                    .warning,
                    "unknown culture '\(name)' in \(entry.count) row(s), "
                        + (spec.culture.unresolved == .fallback
                            ? "counted as '\(spec.culture.fallback ?? spec.culture.value ?? "global")'"
                            : "kept as written")
                        + " (add it to the spec's culture.map to attribute it to a known culture)",
                    file: entry.first.file,
                    line: entry.first.line,
                    field: spec.culture.field
                )
            )
        }

        var positionByRow: [Int: Int]?
        if fileCount == 1, itemsPerRecord.allSatisfy({ $0.count == 1 }) {
            var map: [Int: Int] = [:]
            let positionByID = Dictionary(
                items.enumerated().map { ($1.id, $0) },
                uniquingKeysWith: { first, _ in first }
            )
            for item in items {
                if let row = item.metadata["source_row"].flatMap(Int.init), let position = positionByID[item.id] {
                    map[row] = position
                }
            }
            positionByRow = map
        }
        let selectedIDs = selectedPrompts.map(\.id)
        let name =
            selection != nil && selectedIDs.count == 1 && spec.prompts.count > 1
            ? "\(spec.id):\(selectedIDs[0])" : spec.id
        let suite = Suite(
            name: name,
            title: spec.title,
            version: spec.version,
            source: spec.source?.repo ?? "user spec",
            licence: spec.licence,
            items: items
        )
        return LoadedSuite(
            spec: spec,
            prompts: selectedIDs,
            suite: suite,
            report: report,
            diagnostics: diagnostics.diagnostics,
            itemPositionBySourceRow: positionByRow
        )
    }

    /// Items interleaved round-robin across cultures (in order of first appearance), keeping each culture's order,
    /// so that `--limit N` spans many cultures. Items of one group move together.
    static func interleaved(_ items: [Item]) -> [Item] {
        var order: [String] = []
        var queues: [String: [[Item]]] = [:]
        var lastGroup: (culture: String, group: String)?
        for item in items {
            if queues[item.culture] == nil { order.append(item.culture) }
            if let group = item.group, let last = lastGroup, last.culture == item.culture, last.group == group {
                queues[item.culture, default: []][queues[item.culture, default: []].count - 1].append(item)
            } else {
                queues[item.culture, default: []].append([item])
            }
            lastGroup = item.group.map { (item.culture, $0) }
        }
        var result: [Item] = []
        var round = 0
        while result.count < items.count {
            for culture in order where round < queues[culture, default: []].count {
                result += queues[culture, default: []][round]
            }
            round += 1
        }
        return result
    }

    // MARK: - Files

    func selectPrompts(_ selection: [String]?) throws(SpecError) -> [PromptSpec] {
        guard let selection else { return spec.prompts.filter(\.isDefault) }
        return try selection.map { (id: String) throws(SpecError) -> PromptSpec in
            guard let prompt = spec.prompts.first(where: { $0.id == id }) else {
                let known = spec.prompts.map(\.id)
                throw SpecError(
                    "suite \(spec.id) has no prompt '\(id)'"
                        + (known.isEmpty
                            ? " (it has no named prompts)" : "; its prompts: \(known.joined(separator: ", "))")
                )
            }
            return prompt
        }
    }

    func localURL(for path: String) async throws -> URL {
        let repo = spec.source?.repo ?? "local/data"
        let revision = spec.source?.revision ?? "main"
        let declared = spec.source?.files.first { Self.matches(pattern: $0.path, path) }
        let file = DatasetFile(
            repo: repo,
            revision: revision,
            path: path,
            sha256: declared?.path == path ? declared?.sha256 : nil,
            size: declared?.path == path ? declared?.size : nil
        )
        return try await source.localURL(for: file)
    }

    /// The format a file is read in: the one its extension names (`.csv`, `.json`, `.jsonl`, `.parquet`), else the
    /// declared one, so that `--data FILE` may hold another format than the official file's.
    static func format(of url: URL, declared: DataFormat) -> DataFormat {
        DataFormat(rawValue: url.pathExtension.lowercased()) ?? declared
    }

    static func matches(pattern: String, _ path: String) -> Bool {
        guard pattern.contains("{") else { return pattern == path }
        let parts = pattern.split(separator: "{", omittingEmptySubsequences: false)
        guard let prefix = parts.first, path.hasPrefix(prefix) else { return false }
        let suffix = pattern.split(separator: "}", omittingEmptySubsequences: false).last ?? ""
        return path.hasSuffix(suffix)
    }

    /// A malformed row under the bad-row policy: thrown under ``BadRowPolicy/fail``; under ``BadRowPolicy/skip``
    /// counted, and the first ``LoadReport/maximumListedErrors`` listed in the report and as diagnostics.
    func skip(_ error: LoadError, _ report: inout LoadReport, _ diagnostics: DiagnosticCollector) throws(LoadError) {
        guard onBadRow == .skip else { throw error }
        report.rowsSkipped += 1
        guard report.skipped.count < LoadReport.maximumListedErrors else { return }
        report.skipped.append(error.description)
        diagnostics.emit(
            Diagnostic(
                .warning,
                "malformed row skipped" + (error.row.map { " (row \($0))" } ?? "") + ": " + error.message,
                file: error.file,
                line: error.line,
                field: error.field
            )
        )
    }

    /// `pattern` with `{name}` replaced from `variables`.
    static func fill(_ pattern: String, _ variables: [String: String]) -> String {
        PromptTemplate.fill(pattern, with: variables)
    }

    func readRecords(
        url: URL,
        format: DataFormat,
        recordsPath: String?,
        parseLiterals: Bool = true,
        report: inout LoadReport,
        diagnostics: DiagnosticCollector
    ) throws -> [Record] {
        let file = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError(file: file, message: "cannot read the file: \(error.localizedDescription)")
        }
        var records: [Record] = []
        switch format {
        case .csv:
            let parsed = try CSVParser.parse(Array(data), file: file)
            guard let header = parsed.first else {
                throw LoadError(file: file, message: "empty file: expected a header row")
            }
            for (index, record) in parsed.dropFirst().enumerated() {
                guard record.fields.count == header.fields.count else {
                    let error = LoadError(
                        file: file,
                        line: record.line,
                        row: index,
                        message: "record has \(record.fields.count) field(s) but the header has \(header.fields.count)"
                    )
                    try skip(error, &report, diagnostics)
                    continue
                }
                let object = DataValue.object(zip(header.fields, record.fields).map { ($0, .string($1)) })
                records.append(Record(value: object, file: file, line: record.line, row: index, variables: [:]))
            }
        case .jsonl:
            let lines = JSONLReader.lines(of: data)
            // Decoding is independent per line, and was the largest part of a big file's load: decode on every
            // core (one decoder per chunk), then handle the outcomes in file order exactly as before.
            let decoded = Parallel.mapChunks(count: lines.count) { range in
                let decoder = JSONDecoder()
                return lines[range].map { line in
                    Result {
                        try DataValue.parseJSON(line.content) ?? decoder.decode(DataValue.self, from: line.content)
                    }
                }
            }.flatMap { $0 }
            for (offset, line) in lines.enumerated() {
                do {
                    let value = try decoded[offset].get()
                    records.append(Record(value: value, file: file, line: line.line, row: offset, variables: [:]))
                } catch {
                    let (path, message) = JSONLReader.describe(error)
                    let loadError = LoadError(
                        file: file,
                        line: line.line,
                        row: offset,
                        field: JSONLReader.fieldPath(path),
                        message: message
                    )
                    try skip(loadError, &report, diagnostics)
                }
            }
        case .parquet:
            // A malformed Parquet file is malformed as a whole (pages and footers, not rows), so its errors are thrown
            // whatever the bad-row policy.
            let rows = try ParquetReader(bytes: Array(data), file: file).rows()
            for (index, row) in rows.enumerated() {
                records.append(Record(value: row, file: file, line: nil, row: index, variables: [:]))
            }
        case .json:
            var document: DataValue
            do {
                document = try JSONDecoder().decode(DataValue.self, from: data)
            } catch {
                // A `.json` file holding JSON Lines (common on the Hub) is read as JSON Lines.
                let lines = JSONLReader.lines(of: data)
                if lines.count > 1, (try? JSONDecoder().decode(DataValue.self, from: lines[0].content)) != nil {
                    return try readRecords(
                        url: url,
                        format: .jsonl,
                        recordsPath: nil,
                        parseLiterals: parseLiterals,
                        report: &report,
                        diagnostics: diagnostics
                    )
                }
                let (_, message) = JSONLReader.describe(error)
                throw LoadError(file: file, message: message)
            }
            if let recordsPath {
                guard let inner = try FieldPath(recordsPath).value(in: document) else {
                    throw LoadError(file: file, field: recordsPath, message: "the document has no '\(recordsPath)'")
                }
                document = inner
            }
            switch document {
            case .array(let elements):
                for (index, element) in elements.enumerated() {
                    records.append(Record(value: element, file: file, line: nil, row: index, variables: [:]))
                }
            case .object(let entries):
                for (index, entry) in entries.enumerated() {
                    records.append(
                        Record(value: entry.value, file: file, line: nil, row: index, variables: ["key": entry.key])
                    )
                }
            default:
                throw LoadError(
                    file: file,
                    message: "expected an array or an object of records, found \(document.kindName)"
                )
            }
        }
        // Literal-valued fields (GlobalOpinionQA's Python reprs) are parsed here, so errors name the row and field.
        guard parseLiterals, let parse = spec.loader.parse, !parse.isEmpty else { return records }
        var parsed: [Record] = []
        for var record in records {
            do {
                record.value = try Self.parseLiterals(record.value, parse)
                parsed.append(record)
            } catch let error as RowError {
                let loadError = LoadError(
                    file: file,
                    line: record.line,
                    row: record.row,
                    field: error.field,
                    message: error.message
                )
                try skip(loadError, &report, diagnostics)
            }
        }
        return parsed
    }

    static func parseLiterals(_ value: DataValue, _ parse: [String: LiteralSyntax]) throws -> DataValue {
        guard case .object(var entries) = value else { return value }
        for index in entries.indices {
            guard let syntax = parse[entries[index].key], case .string(let text) = entries[index].value else {
                continue
            }
            switch syntax {
            case .python:
                do {
                    entries[index].value = DataValue(python: try PythonLiteral.parse(text))
                } catch {
                    throw RowError(field: entries[index].key, message: "not a Python literal: \(error)")
                }
            case .json:
                do {
                    entries[index].value = try JSONDecoder().decode(DataValue.self, from: Data(text.utf8))
                } catch {
                    throw RowError(
                        field: entries[index].key,
                        message: "not JSON: \(JSONLReader.describe(error).message)"
                    )
                }
            }
        }
        return .object(entries)
    }

    func joinTable(_ join: JoinSpec, url: URL) throws -> [String: DataValue] {
        var scratch = LoadReport()
        let records = try SpecLoader(spec: spec, source: source, onBadRow: .fail)
            .readRecords(
                url: url,
                format: join.format,
                recordsPath: nil,
                parseLiterals: false,
                report: &scratch,
                diagnostics: DiagnosticCollector()
            )
        var table: [String: DataValue] = [:]
        let keyPath = try join.key.map { (key: String) throws(SpecError) in try FieldPath(key) }
        for record in records {
            let key = keyPath.map { $0.value(in: record.value)?.text } ?? record.variables["key"]
            if let key { table[key] = record.value }
        }
        return table
    }

    func promptTable(url: URL, keyColumn: String) throws -> [String: [String: String]] {
        let table = try CSVTable(contentsOf: url)
        try table.requireColumns([keyColumn])
        var result: [String: [String: String]] = [:]
        for row in table.rows {
            guard let key = row[keyColumn] else { continue }
            result[key] = Dictionary(
                zip(table.header, row.fields).map { ($0, $1) },
                uniquingKeysWith: { first, _ in first }
            )
        }
        return result
    }

    /// The record with its variables (`$row`, `$key`, `$Region`...) as top-level `$name` fields.
    func scope(_ record: Record) -> DataValue {
        guard case .object(var entries) = record.value else {
            return .object([("$value", record.value), ("$row", .number(Double(record.row)))])
        }
        entries.append(("$row", .number(Double(record.row))))
        if let line = record.line { entries.append(("$line", .number(Double(line)))) }
        for (name, value) in record.variables.sorted(by: { $0.key < $1.key }) {
            entries.append(("$" + name, .string(value)))
        }
        return .object(entries)
    }

    func filterReason(_ record: Record) throws -> String? {
        let scope = scope(record)
        for filter in spec.filters {
            var holds = false
            if let sum = filter.sum, let atLeast = filter.atLeast {
                var total = 0.0
                for path in sum {
                    for value in try FieldPath(path).values(in: scope) { total += value.number ?? 0 }
                }
                holds = total >= atLeast
            } else if let empty = filter.empty {
                holds = try FieldPath(empty).values(in: scope).allSatisfy(\.isEmpty)
            } else if let field = filter.field, let values = filter.in {
                let text = try FieldPath(field).value(in: scope)?.text?.trimmingCharacters(in: .whitespaces)
                    .lowercased()
                holds = text.map { text in values.contains { $0.lowercased() == text } } ?? false
            }
            if holds { return filter.reason ?? Self.describe(filter) }
        }
        return nil
    }

    static func describe(_ filter: FilterSpec) -> String {
        if let sum = filter.sum, let atLeast = filter.atLeast {
            return "\(sum.joined(separator: " + ")) >= \(atLeast.formatted())"
        }
        if let empty = filter.empty { return "\(empty) is empty" }
        return "\(filter.field ?? "") in [\((filter.in ?? []).joined(separator: ", "))]"
    }
}

/// A malformed row: the field and what is wrong (the loader adds the file and line).
struct RowError: Error {
    var field: String?
    var message: String
}

extension Double {
    fileprivate func formatted() -> String {
        rounded() == self ? String(Int(self)) : String(self)
    }
}
