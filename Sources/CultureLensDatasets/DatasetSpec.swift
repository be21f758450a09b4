public import CultureLensCore
import CultureLensFormats
import CultureLensStatistics
import Foundation
import Yams

/// A declarative description of a benchmark dataset: where its files are, how to read them into items, how to
/// prompt and how to score. Written in YAML (see `docs/specs.md`); adding a dataset of a known task kind needs
/// one spec file and no Swift code.
public struct DatasetSpec: Sendable, Hashable, Codable {
    /// Suite name, e.g. `culturalbench-easy`.
    public var id: String
    /// One-line description.
    public var title: String
    /// Version of the spec's content; part of the suite hash.
    public var version: String = "1"
    /// How to cite the dataset.
    public var citation: String
    /// Licence of the data (SPDX-like id).
    public var licence: String
    /// Free-form notes (caveats, deviations from the paper).
    public var notes: String?
    /// Where the official files live.
    public var source: SourceSpec?
    /// How files become records.
    public var loader: LoaderSpec
    /// What kind of task the records are.
    public var task: TaskSpec
    /// Which record fields fill which item fields.
    public var fields: FieldsSpec
    /// Which culture each item is about.
    public var culture: CultureSpec
    /// The language of each item's text (default: constant `en`).
    public var language: LanguageSpec?
    /// Rows to leave out (e.g. BLEnD's official filter); counted as filtered, not as bad rows.
    public var filters: [FilterSpec] = []
    /// Prompt templates; none means CultureLens's default rendering.
    public var prompts: [PromptSpec] = []
    /// The scoring rule and its parameters.
    public var scoring: ScoringSpec
    /// Item order.
    public var order: OrderSpec?
    /// Warnings found when the spec was read (``decode(yaml:file:)``); not part of the spec's text. Errors are
    /// thrown instead.
    public var diagnostics: [Diagnostic] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, title, version, citation, licence, notes, source, loader, task, fields, culture, language, filters
        case prompts, scoring, order
    }

    // MARK: - Reading

    /// Decodes and validates a spec from YAML text.
    /// - Parameter file: The name used in errors and diagnostics.
    /// - Returns: The spec, with the warnings found while reading it in ``diagnostics``.
    /// - Throws: ``SpecError`` naming the file, the line (when the key is in the text) and the offending key.
    public static func decode(yaml: String, file: String = "spec") throws(SpecError) -> DatasetSpec {
        var spec: DatasetSpec
        do {
            spec = try YAMLDecoder().decode(DatasetSpec.self, from: yaml)
        } catch let error as SpecError {
            throw located(error, file: file, yaml: yaml)
        } catch let error as DecodingError {
            let field = JSONLReader.fieldPath(JSONLReader.describe(error).path)
            throw located(SpecError(Self.describe(error), field: field), file: file, yaml: yaml)
        } catch {
            throw SpecError("\(file): not a valid YAML spec: \(error)", file: file)
        }
        do {
            try spec.validate()
        } catch {
            throw located(error, file: file, yaml: yaml)
        }
        spec.diagnostics = spec.warnings(file: file, locator: YAMLLocator(yaml: yaml))
        return spec
    }

    /// `error` with `file` and the line of its field in `yaml` (`file:line: message`).
    static func located(_ error: SpecError, file: String, yaml: String) -> SpecError {
        let line = error.field.flatMap { YAMLLocator(yaml: yaml).line(of: $0) }
        let location = line.map { "\(file):\($0)" } ?? file
        return SpecError("\(location): \(error.message)", field: error.field, file: file, line: line)
    }

    /// What is valid but worth a warning in `results.json`: a Hub source that is not pinned to a commit and
    /// checksums, so the data can change between two runs of the same spec.
    func warnings(file: String, locator: YAMLLocator) -> [Diagnostic] {
        guard let source, source.repo != nil else { return [] }
        let revision = source.revision ?? "main"
        let unchecked = source.files.filter { $0.sha256 == nil }.count
        guard !DatasetFile(repo: "a/b", revision: revision, path: "x").isPinned || unchecked > 0 else { return [] }
        let field = source.revision == nil ? "source" : "source.revision"
        return [
            Diagnostic(
                .warning,
                "not pinned: revision '\(revision)'"
                    + (unchecked > 0 ? " and \(unchecked) of \(source.files.count) file(s) without sha256" : "")
                    + "; the data can change between runs (pin a commit and sha256 sums in a copy of the spec)",
                file: file,
                line: locator.line(of: field),
                field: field
            )
        ]
    }

    /// Reads, decodes and validates a spec file.
    public static func load(contentsOf url: URL) throws(SpecError) -> DatasetSpec {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw SpecError("cannot read the spec \(url.path): \(error.localizedDescription)")
        }
        return try decode(yaml: text, file: url.path)
    }

    /// Checks what the types alone cannot: ids, paths, the fields each task kind needs, prompt ids.
    public func validate() throws(SpecError) {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw SpecError("id '\(id)' must be non-empty letters, digits, '-', '_' or '.'")
        }
        _ = try FieldPath(fields.question)
        for path in fields.allPaths { _ = try FieldPath(path) }
        switch task.kind {
        case .mcq:
            guard fields.choices != nil else { throw SpecError("task kind mcq needs fields.choices") }
            guard fields.answer != nil else { throw SpecError("task kind mcq needs fields.answer") }
        case .binaryJudgement:
            guard let choices = task.choices, choices.count >= 2 else {
                throw SpecError("task kind binary-judgement needs task.choices (the answer words, e.g. [True, False])")
            }
            guard fields.answer != nil else { throw SpecError("task kind binary-judgement needs fields.answer") }
        case .shortAnswer:
            guard let references = fields.references, !references.isEmpty else {
                throw SpecError("task kind short-answer needs fields.references")
            }
        case .surveyDistribution:
            guard fields.choices != nil else { throw SpecError("task kind survey-distribution needs fields.choices") }
            guard fields.distributions != nil else {
                throw SpecError("task kind survey-distribution needs fields.distributions")
            }
        case .agreeDisagree:
            break
        }
        if culture.field == nil, culture.value == nil {
            throw SpecError("culture needs either 'field' or 'value'")
        }
        var seen = Set<String>()
        for prompt in prompts {
            guard seen.insert(prompt.id).inserted else { throw SpecError("duplicate prompt id '\(prompt.id)'") }
            if let messages = prompt.messages {
                guard prompt.template == nil, prompt.fromFile == nil else {
                    throw SpecError(
                        "prompt '\(prompt.id)': 'messages' holds the whole conversation; drop 'template'/'from_file'"
                    )
                }
                guard let last = messages.last, last.role == .user else {
                    throw SpecError(
                        "prompt '\(prompt.id)': the last of 'messages' must have role user (the question answered)"
                    )
                }
            } else {
                guard prompt.template != nil || prompt.fromFile != nil else {
                    throw SpecError("prompt '\(prompt.id)' needs 'template', 'from_file' or 'messages'")
                }
            }
            if prompt.perCulture, task.kind != .surveyDistribution {
                throw SpecError("prompt '\(prompt.id)': per_culture needs task kind survey-distribution")
            }
        }
        if !prompts.isEmpty, !prompts.contains(where: \.isDefault) {
            throw SpecError("at least one prompt must be a default prompt")
        }
        if let each = loader.each, each.isEmpty { throw SpecError("loader.each is empty") }
        for file in [loader.file] + (loader.join ?? []).map(\.file) {
            let variables = Self.placeholders(in: file)
            for variable in variables where !(loader.each?.allSatisfy { $0[variable] != nil } ?? false) {
                throw SpecError("file pattern '\(file)' uses {\(variable)} but not every loader.each row defines it")
            }
        }
        guard let rule = ScoringRules.rule(named: scoring.rule) else {
            let known = ScoringRules.names.joined(separator: ", ")
            throw SpecError("unknown scoring rule '\(scoring.rule)' (expected one of: \(known))", field: "scoring.rule")
        }
        try rule.validate(self)
    }

    /// The `{name}` placeholders in a file pattern.
    static func placeholders(in pattern: String) -> [String] {
        var names: [String] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The ids of the prompts run when none is named.
    public var defaultPromptIDs: [String] { prompts.filter(\.isDefault).map(\.id) }

    /// The dataset files the spec reads, as ``DatasetFile`` values for a ``DatasetSource``.
    public var declaredFiles: [DatasetFile] {
        guard let source, let repo = source.repo else { return [] }
        return source.files.map {
            DatasetFile(
                repo: repo,
                revision: source.revision ?? "main",
                path: $0.path,
                sha256: $0.sha256,
                size: $0.size
            )
        }
    }

    static func describe(_ error: DecodingError) -> String {
        let (path, message) = JSONLReader.describe(error)
        let field = JSONLReader.fieldPath(path)
        return field.map { "key '\($0)': \(message)" } ?? message
    }
}

extension DatasetSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        version = try container.decodeIfPresent(String.self, forKey: .version) ?? "1"
        citation = try container.decodeIfPresent(String.self, forKey: .citation) ?? ""
        licence = try container.decodeIfPresent(String.self, forKey: .licence) ?? "unknown"
        notes = try container.decodeIfPresent(String.self, forKey: .notes)
        source = try container.decodeIfPresent(SourceSpec.self, forKey: .source)
        loader = try container.decode(LoaderSpec.self, forKey: .loader)
        task = try container.decode(TaskSpec.self, forKey: .task)
        fields = try container.decode(FieldsSpec.self, forKey: .fields)
        culture = try container.decodeIfPresent(CultureSpec.self, forKey: .culture) ?? CultureSpec(value: "global")
        language = try container.decodeIfPresent(LanguageSpec.self, forKey: .language)
        filters = try container.decodeIfPresent([FilterSpec].self, forKey: .filters) ?? []
        prompts = try container.decodeIfPresent([PromptSpec].self, forKey: .prompts) ?? []
        scoring = try container.decodeIfPresent(ScoringSpec.self, forKey: .scoring) ?? ScoringSpec(rule: .accuracy)
        order = try container.decodeIfPresent(OrderSpec.self, forKey: .order)
    }
}

/// A spec could not be read or is inconsistent.
public struct SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong (prefixed with the file once ``DatasetSpec/decode(yaml:file:)`` has named it).
    public var message: String
    /// The spec key at fault, as a dotted path (`scoring.subset`), when one is.
    public var field: String?
    /// The spec file, once known.
    public var file: String?
    /// The 1-based line of ``field`` in ``file``, when it could be found.
    public var line: Int?

    /// Creates an error.
    public init(_ message: String, field: String? = nil, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.field = field
        self.file = file
        self.line = line
    }

    public var description: String { message }
}

/// Throws when the YAML mapping being decoded holds a key `Keys` does not know (so typos are not ignored).
func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: Keys.Type) throws {
    guard let container = try? decoder.container(keyedBy: AnyCodingKey.self) else { return }
    let known = Set(Keys.allCases.map(\.stringValue))
    for key in container.allKeys where !known.contains(key.stringValue) {
        let path = (decoder.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        throw SpecError(
            "unknown key '\(path)' (expected one of: \(known.sorted().joined(separator: ", ")))"
        )
    }
}

// MARK: - Source

/// Where a dataset's official files live (Hugging Face Hub layout).
public struct SourceSpec: Sendable, Hashable, Codable {
    /// Hub dataset repo id, e.g. `kellycyy/CulturalBench`.
    public var repo: String?
    /// Pinned commit id, or a branch name (not pinned: the content can change).
    public var revision: String?
    /// The files, with their sha256 when known.
    public var files: [SourceFile] = []
    /// A page about the dataset.
    public var homepage: String?
    /// The name `culturelens datasets` lists the files under (default: the spec id); specs reading the same
    /// dataset share it (`culturalbench` for the easy and hard specs).
    public var dataset: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case repo, revision, files, homepage, dataset }
}

extension SourceSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        repo = try container.decodeIfPresent(String.self, forKey: .repo)
        revision = try container.decodeIfPresent(String.self, forKey: .revision)
        files = try container.decodeIfPresent([SourceFile].self, forKey: .files) ?? []
        homepage = try container.decodeIfPresent(String.self, forKey: .homepage)
        dataset = try container.decodeIfPresent(String.self, forKey: .dataset)
    }
}

/// One official file.
public struct SourceFile: Sendable, Hashable, Codable {
    /// Path inside the repo; may hold `{Var}` placeholders filled from `loader.each`.
    public var path: String
    /// Expected sha256 (lower-case hex), when known.
    public var sha256: String?
    /// Expected size in bytes, when known.
    public var size: Int64?

}

// MARK: - Loader

/// File formats a loader reads.
public enum DataFormat: String, Sendable, Hashable, Codable {
    /// RFC 4180 CSV with a header row; every field is a string.
    case csv
    /// One JSON document: an array of records, or an object whose values are records (the key is `$key`).
    case json
    /// One JSON object per line.
    case jsonl
    /// Apache Parquet (as Hugging Face and pyarrow write it): one record per row, keyed by column name; see
    /// ``ParquetReader`` for the types, encodings and codecs read.
    case parquet
}

/// How files become records.
public struct LoaderSpec: Sendable, Hashable, Codable {
    /// The format.
    public var format: DataFormat
    /// The file's path (relative to `--data` or to the Hub repo); `{Var}` placeholders are filled from `each`.
    public var file: String
    /// For `json`: a field path to the records inside the document (default: the document itself).
    public var records: String?
    /// One row of variables per file to read, e.g. `[{Region: Algeria, language: ar}, ...]`. Each record gets the
    /// variables as `$Region`, `$language`... Without `each`, one file.
    public var each: [[String: String]]?
    /// Further files whose records are attached to each main record by key.
    public var join: [JoinSpec]?
    /// Top-level fields stored as text holding a literal to parse first: `python` (Python repr, e.g.
    /// GlobalOpinionQA's `defaultdict(...)`) or `json`.
    public var parse: [String: LiteralSyntax]?

    enum CodingKeys: String, CodingKey, CaseIterable { case format, file, records, each, join, parse }
}

extension LoaderSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(DataFormat.self, forKey: .format)
        file = try container.decode(String.self, forKey: .file)
        records = try container.decodeIfPresent(String.self, forKey: .records)
        each = try container.decodeIfPresent([[String: String]].self, forKey: .each)
        join = try container.decodeIfPresent([JoinSpec].self, forKey: .join)
        parse = try container.decodeIfPresent([String: LiteralSyntax].self, forKey: .parse)
    }
}

/// The syntax of a literal stored in a text field.
public enum LiteralSyntax: String, Sendable, Hashable, Codable {
    /// A Python literal (`repr()` output: lists, dicts, `defaultdict(<class 'list'>, {...})`).
    case python
    /// JSON.
    case json
}

/// A second file joined onto the main records.
public struct JoinSpec: Sendable, Hashable, Codable {
    /// The name the joined record is reachable under in field paths (`ann.annotations[].answers[]`).
    public var name: String
    /// The file (placeholders as in ``LoaderSpec/file``).
    public var file: String
    /// Its format.
    public var format: DataFormat
    /// Field path of the key in the joined records; omit for a JSON object keyed by id (the key is the object key).
    public var key: String?
    /// Field path of the key in the main record.
    public var on: String

    enum CodingKeys: String, CodingKey, CaseIterable { case name, file, format, key, on }
}

extension JoinSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        file = try container.decode(String.self, forKey: .file)
        format = try container.decode(DataFormat.self, forKey: .format)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        on = try container.decode(String.self, forKey: .on)
    }
}

// MARK: - Task

/// The task kinds CultureLens knows how to prompt and score.
public enum TaskKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Pick one of the listed options (letters).
    case mcq
    /// Answer with one of a few words (True/False, Yes/No/Neither); gold is one word.
    case binaryJudgement = "binary-judgement"
    /// Answer in a few words, matched against reference answers.
    case shortAnswer = "short-answer"
    /// A survey question with human answer distributions per culture; no right answer.
    case surveyDistribution = "survey-distribution"
    /// Agree or disagree with a statement; no right answer.
    case agreeDisagree = "agree-disagree"
}

/// The task.
public struct TaskSpec: Sendable, Hashable, Codable {
    /// The kind.
    public var kind: TaskKind
    /// Answer words for `binary-judgement` (e.g. `[True, False]`) and `agree-disagree` (default `[Agree, Disagree]`).
    public var choices: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, choices }
}

extension TaskSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(TaskKind.self, forKey: .kind)
        choices = try container.decodeIfPresent([String].self, forKey: .choices)
    }
}

// MARK: - Fields

/// How a gold answer is written in the data.
public enum AnswerFormat: String, Sendable, Hashable, Codable {
    /// A letter: `A` is the first choice (also `(B)`, `b`).
    case letter
    /// A 0-based index.
    case index
    /// A 1-based index.
    case index1
    /// The text of the right choice.
    case text
    /// A label word mapped through `fields.labels` onto a judgement word.
    case label
    /// A letter or a 0-based index, whichever it is (the generic JSONL format: `"B"` or `1`).
    case letterOrIndex = "letter-or-index"
}

/// The options of an item: a list of fields, one per option, or one field holding a list (a JSON/Python list
/// value, or an object whose values are the options in key order).
public enum ChoicesSpec: Sendable, Hashable, Codable {
    /// One field per option, in order.
    case fields([String])
    /// One field holding all options.
    case list(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            self = .fields(list)
        } else {
            self = .list(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .fields(let paths): try container.encode(paths)
        case .list(let path): try container.encode(path)
        }
    }

    var paths: [String] {
        switch self {
        case .fields(let paths): paths
        case .list(let path): [path]
        }
    }
}

/// Which record fields fill which item fields. Values are field paths (see ``FieldPath``).
public struct FieldsSpec: Sendable, Hashable, Codable {
    /// The item id (default: the 0-based row index).
    public var id: String?
    /// The question, statement or story.
    public var question: String
    /// The same question in other languages, by BCP-47 tag (`en: Translation`). Empty values are ignored.
    public var translations: [String: String]?
    /// The options (mcq, survey-distribution).
    public var choices: ChoicesSpec?
    /// The gold answer.
    public var answer: String?
    /// How the gold answer is written (default: `letter` for mcq, `label` for judgements).
    public var answerFormat: AnswerFormat?
    /// Gold label → answer word, matched without regard to case (`neutral: Neither`).
    public var labels: [String: String]?
    /// Reference answers for short-answer items (paths may flatten with `[]`).
    public var references: [String]?
    /// Human answer distributions for survey items: an object from culture name to numbers, one per choice.
    public var distributions: String?
    /// The topic.
    public var topic: String?
    /// Items scored together (e.g. the four True/False rows of one CulturalBench-Hard question).
    public var group: String?
    /// Further attributes kept on each item (name → path), for breakdowns and as prompt template variables.
    public var metadata: [String: String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, question, translations, choices, answer, labels, references, distributions, topic, group, metadata
        case answerFormat = "answer_format"
    }

    /// Every path named, for validation.
    var allPaths: [String] {
        var paths = [id, answer, distributions, topic, group].compactMap { $0 }
        paths += choices?.paths ?? []
        paths += references ?? []
        paths += translations.map { Array($0.values) } ?? []
        paths += metadata.map { Array($0.values) } ?? []
        return paths
    }
}

extension FieldsSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        question = try container.decode(String.self, forKey: .question)
        translations = try container.decodeIfPresent([String: String].self, forKey: .translations)
        choices = try container.decodeIfPresent(ChoicesSpec.self, forKey: .choices)
        answer = try container.decodeIfPresent(String.self, forKey: .answer)
        answerFormat = try container.decodeIfPresent(AnswerFormat.self, forKey: .answerFormat)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels)
        references = try container.decodeIfPresent([String].self, forKey: .references)
        distributions = try container.decodeIfPresent(String.self, forKey: .distributions)
        topic = try container.decodeIfPresent(String.self, forKey: .topic)
        group = try container.decodeIfPresent(String.self, forKey: .group)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)
    }
}

// MARK: - Culture and language

/// A condition on a record field.
public struct ConditionSpec: Sendable, Hashable, Codable {
    /// Field path.
    public var field: String
    /// Values (compared without regard to case and surrounding whitespace).
    public var `in`: [String]

    enum CodingKeys: String, CodingKey, CaseIterable { case field, `in` }

    /// Creates a condition.
    public init(field: String, in values: [String]) {
        self.field = field
        self.in = values
    }
}

extension ConditionSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        self.in = try container.decode([String].self, forKey: .in)
    }
}

/// What to do with a culture name ``CultureCatalog`` does not know.
public enum UnresolvedCulturePolicy: String, Sendable, Hashable, Codable {
    /// The row is malformed (an error naming the field, or skipped with `--on-bad-row skip`).
    case error
    /// Keep the raw value as the culture key.
    case keep
    /// Use ``CultureSpec/fallback``.
    case fallback
}

/// Which culture an item is about: a field (names such as `North_Korea`, `UK`, `south_sudan` go through
/// ``CultureCatalog/culture(for:)``; `map` overrides), or a constant.
public struct CultureSpec: Sendable, Hashable, Codable {
    /// Field path of the culture name or code (`$Region` for a file-pattern variable).
    public var field: String?
    /// A constant culture code (e.g. `global` for items about no single culture).
    public var value: String?
    /// Raw value → culture code, consulted before the catalogue (exact match, then without regard to case).
    public var map: [String: String]?
    /// What to do with an unknown name (default `error`).
    public var unresolved: UnresolvedCulturePolicy = .error
    /// The code used for unknown or empty names when `unresolved` is `fallback`.
    public var fallback: String?
    /// Rows whose culture field is a distractor (NormAd's neutral rows) get culture ``unattributed``; the raw value
    /// stays in the item's `country_name` metadata for prompts.
    public var unattributedWhen: ConditionSpec?

    /// The culture code of items deliberately attributed to no culture.
    public static let unattributed = "unattributed"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case field, value, map, unresolved, fallback
        case unattributedWhen = "unattributed_when"
    }
}

extension CultureSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        value = try container.decodeIfPresent(String.self, forKey: .value)
        map = try container.decodeIfPresent([String: String].self, forKey: .map)
        unresolved = try container.decodeIfPresent(UnresolvedCulturePolicy.self, forKey: .unresolved) ?? .error
        fallback = try container.decodeIfPresent(String.self, forKey: .fallback)
        unattributedWhen = try container.decodeIfPresent(ConditionSpec.self, forKey: .unattributedWhen)
    }
}

/// The language of an item's text: a field (mapped through `map`), or a constant BCP-47 tag.
public struct LanguageSpec: Sendable, Hashable, Codable {
    /// Field path.
    public var field: String?
    /// Constant tag.
    public var value: String?
    /// Raw value → BCP-47 tag (exact, then without regard to case); unmapped values are used as they are.
    public var map: [String: String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case field, value, map }
}

extension LanguageSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        value = try container.decodeIfPresent(String.self, forKey: .value)
        map = try container.decodeIfPresent([String: String].self, forKey: .map)
    }
}

// MARK: - Filters

/// A rule that leaves a row out when it holds. Give exactly one of `sum` (with `at_least`), `empty`, or
/// `field` (with `in`).
public struct FilterSpec: Sendable, Hashable, Codable {
    /// Field paths whose numbers are added up.
    public var sum: [String]?
    /// Leave the row out when the sum is at least this.
    public var atLeast: Double?
    /// Leave the row out when this path reaches nothing, or only empty values.
    public var empty: String?
    /// Leave the row out when this field's text is one of `in`.
    public var field: String?
    /// Values for `field`.
    public var `in`: [String]?
    /// Why (shown in the load report).
    public var reason: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sum, empty, field, `in`, reason
        case atLeast = "at_least"
    }

    /// Creates a filter.
    public init(
        sum: [String]? = nil,
        atLeast: Double? = nil,
        empty: String? = nil,
        field: String? = nil,
        in values: [String]? = nil,
        reason: String? = nil
    ) {
        self.sum = sum
        self.atLeast = atLeast
        self.empty = empty
        self.field = field
        self.in = values
        self.reason = reason
    }
}

extension FilterSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sum = try container.decodeIfPresent([String].self, forKey: .sum)
        atLeast = try container.decodeIfPresent(Double.self, forKey: .atLeast)
        empty = try container.decodeIfPresent(String.self, forKey: .empty)
        field = try container.decodeIfPresent(String.self, forKey: .field)
        self.in = try container.decodeIfPresent([String].self, forKey: .in)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        let given = [sum != nil, empty != nil, field != nil].filter { $0 }.count
        guard given == 1 else { throw SpecError("a filter needs exactly one of 'sum', 'empty' or 'field'") }
        if sum != nil, atLeast == nil { throw SpecError("a 'sum' filter needs 'at_least'") }
        if field != nil, self.in == nil { throw SpecError("a 'field' filter needs 'in'") }
    }
}

// MARK: - Prompts

/// A prompt template read from a CSV file of templates (BLEnD's `prompts/{Region}_prompts.csv`).
public struct PromptFileSpec: Sendable, Hashable, Codable {
    /// The file (placeholders as in ``LoaderSpec/file``).
    public var file: String
    /// The column holding template ids.
    public var keyColumn: String
    /// The template id to take.
    public var key: String
    /// Language → column holding the template in that language; `local` stands for the item's own language.
    public var columns: [String: String]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case file, key, columns
        case keyColumn = "key_column"
    }
}

extension PromptFileSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        keyColumn = try container.decode(String.self, forKey: .keyColumn)
        key = try container.decode(String.self, forKey: .key)
        columns = try container.decode([String: String].self, forKey: .columns)
    }
}

/// What a prompt asks the model for.
public enum PromptResponse: String, Sendable, Hashable, Codable {
    /// The task's answer (a label, a word, or a short answer): scored by the task's rule.
    case answer
    /// Free long-form text with no right answer (e.g. CIVICS' refusal analysis): generated, never scored;
    /// refusals are counted.
    case longForm = "long-form"
}

/// One prompt template. Variables in braces are filled per item (see ``PromptTemplate``).
public struct PromptSpec: Sendable, Hashable, Codable {
    /// Id, unique in the spec; `culturelens run SPEC:ID` runs only this prompt.
    public var id: String
    /// The template text.
    public var template: String?
    /// Or the template read from a file of templates.
    public var fromFile: PromptFileSpec?
    /// How each option line is written (default `{label}. {text}`).
    public var optionFormat: String?
    /// Languages to ask in: `local` (the item's own language) and/or BCP-47 tags of ``FieldsSpec/translations``.
    /// Default `[local]`. When a translation is missing, or equals the local language, that language is skipped.
    public var languages: [String]?
    /// Survey items only: one item per culture with a human distribution, the template's `{country}` naming it
    /// (cross-national prompting).
    public var perCulture: Bool = false
    /// What the prompt asks for.
    public var response: PromptResponse = .answer
    /// Whether the prompt runs when the suite is named without `:ID` (default true).
    public var isDefault: Bool = true
    /// A system message template, sent before the conversation (filled like ``template``).
    public var system: String?
    /// The whole conversation instead of ``template``: earlier turns (e.g. few-shot examples) and, last, the
    /// user message asking the item's question.
    public var messages: [PromptMessageSpec]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, template, languages, response, system, messages
        case fromFile = "from_file"
        case optionFormat = "option_format"
        case perCulture = "per_culture"
        case isDefault = "default"
    }
}

extension PromptSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        template = try container.decodeIfPresent(String.self, forKey: .template)
        fromFile = try container.decodeIfPresent(PromptFileSpec.self, forKey: .fromFile)
        optionFormat = try container.decodeIfPresent(String.self, forKey: .optionFormat)
        languages = try container.decodeIfPresent([String].self, forKey: .languages)
        perCulture = try container.decodeIfPresent(Bool.self, forKey: .perCulture) ?? false
        response = try container.decodeIfPresent(PromptResponse.self, forKey: .response) ?? .answer
        isDefault = try container.decodeIfPresent(Bool.self, forKey: .isDefault) ?? true
        system = try container.decodeIfPresent(String.self, forKey: .system)
        messages = try container.decodeIfPresent([PromptMessageSpec].self, forKey: .messages)
    }
}

/// One turn of a prompt's ``PromptSpec/messages``: a role and a template filled like ``PromptSpec/template``.
public struct PromptMessageSpec: Sendable, Hashable, Codable {
    /// `system`, `user` or `assistant`.
    public var role: ChatMessage.Role
    /// The template text.
    public var template: String

    enum CodingKeys: String, CodingKey, CaseIterable { case role, template }
}

extension PromptMessageSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try container.decode(String.self, forKey: .role)
        guard let role = ChatMessage.Role(rawValue: raw) else {
            // A DecodingError (not a SpecError), so the message names the key's whole path.
            let known = ChatMessage.Role.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .role,
                in: container,
                debugDescription: "unknown role '\(raw)' (expected one of: \(known))"
            )
        }
        self.role = role
        template = try container.decode(String.self, forKey: .template)
    }
}

// MARK: - Scoring

/// Two subsets of items named by a metadata field.
public struct SubsetSpec: Sendable, Hashable, Codable {
    /// The metadata name holding the subset label.
    public var field: String
    /// Label of the first subset (e.g. `CS`).
    public var first: String
    /// Label of the second subset (e.g. `CA`).
    public var second: String
    /// Display names, by label.
    public var names: [String: String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case field, first, second, names }
}

extension SubsetSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        first = try container.decode(String.self, forKey: .first)
        second = try container.decode(String.self, forKey: .second)
        names = try container.decodeIfPresent([String: String].self, forKey: .names)
    }
}

/// The scoring rule and its parameters.
public struct ScoringSpec: Sendable, Hashable, Codable {
    /// The rule's name (one of ``ScoringRules/all``).
    public var rule: ScoringRuleName
    /// Breakdowns reported in `metrics`: `culture`, `topic`, `language`, `prompt`, or a metadata name.
    public var by: [String] = ["culture"]
    /// Log base of the Jensen–Shannon distance (`e` or `2`; default `e`, SciPy's default).
    public var logBase: String?
    /// Bootstrap replicates for CIs of means (default 2000).
    public var replicates: Int?
    /// Bootstrap seed (default 20250101).
    public var seed: UInt64?
    /// Subsets for `subset-gap`.
    public var subset: SubsetSpec?
    /// Another suite whose headline figure is compared with this one's for the same model (e.g. the
    /// CulturalBench easy–hard gap), when a run of it is in the store.
    public var pairedWith: String?
    /// Survey similarity: respondents per culture and question, for the noise floor (unknown when absent).
    public var respondents: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rule, by, replicates, seed, subset, respondents
        case logBase = "log_base"
        case pairedWith = "paired_with"
    }

    /// The log base (default e).
    public var base: LogBase { logBase.flatMap(LogBase.init(name:)) ?? .e }
    /// Bootstrap replicates.
    public var bootstrapReplicates: Int { replicates ?? 2000 }
    /// Bootstrap seed.
    public var bootstrapSeed: UInt64 { seed ?? 20_250_101 }
}

extension ScoringSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = ScoringRuleName(rawValue: try container.decode(String.self, forKey: .rule))
        guard ScoringRules.rule(named: name) != nil else {
            // A DecodingError (not a SpecError), so the message names the key's whole path.
            throw DecodingError.dataCorruptedError(
                forKey: .rule,
                in: container,
                debugDescription: "unknown scoring rule '\(name)' (expected one of: "
                    + ScoringRules.names.joined(separator: ", ") + ")"
            )
        }
        rule = name
        by = try container.decodeIfPresent([String].self, forKey: .by) ?? ["culture"]
        logBase = try container.decodeIfPresent(String.self, forKey: .logBase)
        replicates = try container.decodeIfPresent(Int.self, forKey: .replicates)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
        subset = try container.decodeIfPresent(SubsetSpec.self, forKey: .subset)
        pairedWith = try container.decodeIfPresent(String.self, forKey: .pairedWith)
        respondents = try container.decodeIfPresent(Int.self, forKey: .respondents)
        if let respondents, respondents < 1 { throw SpecError("scoring.respondents must be at least 1") }
        if let logBase, LogBase(name: logBase) == nil {
            throw SpecError("scoring.log_base must be 'e' or '2', not '\(logBase)'")
        }
        if let replicates, replicates < 1 { throw SpecError("scoring.replicates must be at least 1") }
    }
}

extension LogBase {
    /// `e` (also `ln`, `natural`) or `2` (also `bits`).
    public init?(name: String) {
        switch name.lowercased() {
        case "e", "ln", "natural", "nats": self = .e
        case "2", "bits", "two": self = .two
        default: return nil
        }
    }

    /// `e` or `2`.
    public var name: String {
        switch self {
        case .e: "e"
        case .two: "2"
        }
    }
}

// MARK: - Order

/// Item order. Rows are read in file order; `shuffle_seed` shuffles them (seeded, reproducible), which matters
/// for files sorted by label (NormAd); items are then interleaved round-robin across cultures (unless
/// `interleave: false`) so that `--limit N` still spans many cultures.
public struct OrderSpec: Sendable, Hashable, Codable {
    /// Seed of the row shuffle; no shuffle when absent.
    public var shuffleSeed: UInt64?
    /// Round-robin across cultures (default true).
    public var interleave: Bool = true

    enum CodingKeys: String, CodingKey, CaseIterable {
        case interleave
        case shuffleSeed = "shuffle_seed"
    }
}

extension OrderSpec {
    public init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shuffleSeed = try container.decodeIfPresent(UInt64.self, forKey: .shuffleSeed)
        interleave = try container.decodeIfPresent(Bool.self, forKey: .interleave) ?? true
    }
}
