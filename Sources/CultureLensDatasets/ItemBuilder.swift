import CultureLensCore
import CultureLensFormats
import Foundation

/// Turns one loaded record into items, following a spec's field mapping, task kind, culture and language mapping,
/// and prompts (one item per selected prompt × language × persona culture).
struct ItemBuilder {
    var spec: DatasetSpec
    var prompts: [PromptSpec]
    /// Prompt-template files: path → template id → column → text.
    var promptTables: [String: [String: [String: String]]]
    /// Whether several files are read (item ids then carry the file's first variable).
    var multiFile: Bool

    /// The items of one record.
    /// - Throws: ``RowError`` naming the field that is missing or malformed.
    func items(for record: SpecLoader.Record, scope: DataValue) throws -> [Item] {
        let fields = spec.fields
        // A row whose question is empty in its own language but translated can still be asked in translation
        // (BLEnD has such rows); without a translation it is malformed.
        let ownQuestion: String?
        do {
            ownQuestion = try requiredText(fields.question, in: scope)
        } catch let error as RowError {
            guard fields.translations?.isEmpty == false, !prompts.isEmpty else { throw error }
            ownQuestion = nil
        }
        let rawID = try fields.id.map { try requiredText($0, in: scope) } ?? String(record.row)
        var prefix = ""
        if multiFile, let variable = DatasetSpec.placeholders(in: spec.loader.file).first,
            let value = record.variables[variable]
        {
            prefix = value + "/"
        }
        let baseID = prefix + rawID

        let (culture, countryName) = try resolveCulture(scope)
        let language = try resolveLanguage(scope)
        let topic =
            try fields.topic.map { try FieldPath($0).value(in: scope)?.text ?? "" }.flatMap { $0.isEmpty ? nil : $0 }
            ?? "general"
        let group = try fields.group.map { try requiredText($0, in: scope) }.map { prefix + $0 }

        var metadata: [String: String] = ["source_row": String(record.row)]
        if multiFile { metadata["source_file"] = URL(fileURLWithPath: record.file).lastPathComponent }
        if let countryName { metadata["country_name"] = countryName }
        for (name, path) in fields.metadata ?? [:] {
            let values = try FieldPath(path).values(in: scope).compactMap(\.text)
            if !values.isEmpty { metadata[name] = values.joined(separator: "; ") }
        }

        var translations: [String: String] = [:]
        for (tag, path) in fields.translations ?? [:] {
            if let text = try FieldPath(path).value(in: scope)?.text?.trimmingWhitespace(.whitespacesAndNewlines),
                !text.isEmpty
            {
                translations[tag] = text
            }
        }

        // Kind-specific parts.
        var kind: Item.Kind
        var choices: [String] = []
        var gold: [Int] = []
        var references: [String] = []
        var distributions: [String: [Double]]?
        switch spec.task.kind {
        case .mcq:
            kind = .multipleChoice
            choices = try readChoices(scope)
            gold = [try mcqGold(scope, choices: choices)]
        case .binaryJudgement:
            kind = .judgement
            choices = spec.task.choices ?? []
            gold = [try judgementGold(scope, choices: choices)]
            // The gold class as its canonical answer word ("neutral" and "Neither" are one class), for breakdowns.
            if metadata["gold_label"] == nil, let index = gold.first {
                metadata["gold_label"] = choices[index].lowercased()
            }
        case .agreeDisagree:
            kind = .judgement
            choices = spec.task.choices ?? ["Agree", "Disagree"]
        case .shortAnswer:
            kind = .shortAnswer
            references = try readReferences(scope)
        case .surveyDistribution:
            kind = .survey
            choices = try readChoices(scope)
            distributions = try readDistributions(scope, optionCount: choices.count)
        }

        guard let question = ownQuestion ?? translations.sorted(by: { $0.key < $1.key }).first?.value else {
            throw RowError(field: fields.question, message: "empty, and no translation to ask instead")
        }
        let base = Item(
            id: baseID,
            kind: kind,
            stem: question,
            choices: choices,
            gold: gold,
            humanDistributions: distributions,
            culture: culture,
            language: language,
            topic: topic,
            provenance: Provenance(source: spec.id, licence: spec.licence),
            referenceAnswers: references,
            group: group,
            translations: translations.mapValues { Item.Text(stem: $0, choices: choices) },
            metadata: metadata
        )
        guard !prompts.isEmpty else { return [base] }

        var items: [Item] = []
        for prompt in prompts {
            let languages = prompt.languages ?? ["local"]
            var seenLanguages = Set<String>()
            for requested in languages {
                let tag = requested == "local" ? language : requested
                guard seenLanguages.insert(tag).inserted else { continue }
                if tag == language, ownQuestion == nil { continue }
                var item = base
                if tag != language {
                    guard let translated = translations[tag] else { continue }
                    item.stem = translated
                    item.language = tag
                    item.translations = ownQuestion.map { [language: Item.Text(stem: $0, choices: choices)] } ?? [:]
                }
                let column = templateColumn(prompt, tag: tag, local: tag == language)
                let text = try templateText(prompt, record: record, column: column)
                var suffix = spec.prompts.count > 1 ? "/" + prompt.id : ""
                if languages.count > 1 { suffix += "/" + (tag == language ? "local" : tag) }
                item.id = baseID + suffix
                item.metadata["prompt"] = prompt.id
                if languages.count > 1 { item.metadata["language_variant"] = tag == language ? "local" : tag }
                item.promptTemplate = PromptTemplate(
                    text: text,
                    optionFormat: prompt.optionFormat,
                    system: prompt.system,
                    turns: prompt.messages.map { turns in
                        turns.dropLast().map { ChatMessage(role: $0.role, text: $0.template) }
                    }.flatMap { $0.isEmpty ? nil : $0 }
                )
                if prompt.response == .longForm {
                    item.kind = .shortAnswer
                    item.choices = []
                    item.gold = []
                    item.referenceAnswers = []
                    item.translations = item.translations.mapValues { Item.Text(stem: $0.stem, choices: []) }
                    item.metadata["response"] = "long-form"
                }
                if prompt.perCulture {
                    for key in (distributions ?? [:]).keys.sorted() {
                        var personaItem = item
                        personaItem.id = item.id + "/" + key
                        personaItem.culture = key
                        personaItem.metadata["persona"] = key
                        personaItem.promptTemplate?.variables["country"] = CultureCatalog.culture(for: key)?.name ?? key
                        items.append(personaItem)
                    }
                } else {
                    items.append(item)
                }
            }
        }
        guard !items.isEmpty || ownQuestion != nil else {
            throw RowError(
                field: fields.question,
                message: "empty, and none of the prompts' languages has a translation"
            )
        }
        return items
    }

    // MARK: - Fields

    func requiredText(_ path: String, in scope: DataValue) throws -> String {
        guard let value = try FieldPath(path).value(in: scope) else {
            throw RowError(field: path, message: "missing")
        }
        guard let text = value.text else {
            throw RowError(field: path, message: "expected text, found \(value.kindName)")
        }
        let trimmed = text.trimmingWhitespace(.whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RowError(field: path, message: "empty") }
        return trimmed
    }

    func readChoices(_ scope: DataValue) throws -> [String] {
        guard let spec = spec.fields.choices else { throw RowError(field: nil, message: "no choices field") }
        var choices: [String]
        switch spec {
        case .fields(let paths):
            choices = try paths.map { try requiredText($0, in: scope) }
        case .list(let path):
            guard let value = try FieldPath(path).value(in: scope) else {
                throw RowError(field: path, message: "missing")
            }
            choices = try Self.list(value, field: path)
        }
        guard choices.count >= 2 else {
            throw RowError(field: spec.paths.first, message: "expected at least 2 options, found \(choices.count)")
        }
        return choices
    }

    /// A list of option texts from a list value, an object (values in key order), or text holding a JSON or
    /// Python list.
    static func list(_ value: DataValue, field: String) throws -> [String] {
        switch value {
        case .array(let elements):
            return try elements.enumerated().map { index, element in
                guard let text = element.text else {
                    throw RowError(field: "\(field)[\(index)]", message: "expected text, found \(element.kindName)")
                }
                return text
            }
        case .object(let entries):
            return try list(.array(entries.sorted { $0.key < $1.key }.map(\.value)), field: field)
        case .string(let text):
            let trimmed = text.trimmingWhitespace(.whitespacesAndNewlines)
            if let data = trimmed.data(using: .utf8),
                let parsed = try? JSONDecoder().decode(DataValue.self, from: data),
                parsed != value
            {
                return try list(parsed, field: field)
            }
            do {
                let parsed = DataValue(python: try PythonLiteral.parse(trimmed))
                guard parsed != value else { throw RowError(field: field, message: "expected a list of options") }
                return try list(parsed, field: field)
            } catch let error as RowError {
                throw error
            } catch {
                throw RowError(field: field, message: "expected a list of options (JSON or Python), got: \(error)")
            }
        default:
            throw RowError(field: field, message: "expected a list of options, found \(value.kindName)")
        }
    }

    func mcqGold(_ scope: DataValue, choices: [String]) throws -> Int {
        guard let path = spec.fields.answer else { throw RowError(field: nil, message: "no answer field") }
        guard let value = try FieldPath(path).value(in: scope), !value.isEmpty else {
            throw RowError(field: path, message: "missing answer")
        }
        let format = spec.fields.answerFormat ?? .letter
        let index: Int?
        switch format {
        case .letter:
            index = value.text.flatMap(Self.letterIndex)
        case .index:
            index = value.number.flatMap { $0.rounded() == $0 ? Int($0) : nil }
        case .index1:
            index = value.number.flatMap { $0.rounded() == $0 ? Int($0) - 1 : nil }
        case .text:
            let text = value.text?.trimmingWhitespace(.whitespaces).lowercased()
            index = choices.firstIndex { $0.trimmingWhitespace(.whitespaces).lowercased() == text }
        case .label:
            let text = value.text?.trimmingWhitespace(.whitespaces).lowercased() ?? ""
            let mapped = spec.fields.labels?.first { $0.key.lowercased() == text }?.value
            index = mapped.flatMap { word in choices.firstIndex { $0.lowercased() == word.lowercased() } }
        case .letterOrIndex:
            if case .number(let number) = value {
                index = number.rounded() == number ? Int(number) : nil
            } else if let text = value.text, let number = Int(text.trimmingWhitespace(.whitespaces)) {
                index = number
            } else {
                index = value.text.flatMap(Self.letterIndex)
            }
        }
        guard let index, choices.indices.contains(index) else {
            throw RowError(
                field: path,
                message:
                    "answer '\(value.text ?? value.kindName)' (\(format.rawValue)) is not one of the \(choices.count) options"
            )
        }
        return index
    }

    /// `A` → 0, `(b)` → 1, `C.` → 2.
    static func letterIndex(_ text: String) -> Int? {
        let core = text.trimmingWhitespace(.whitespaces).trimmingCharacters(
            in: CharacterSet(charactersIn: "()[].:")
        )
        guard core.count == 1, let scalar = core.uppercased().unicodeScalars.first, ("A"..."Z").contains(scalar) else {
            return nil
        }
        return Int(scalar.value) - 65
    }

    func judgementGold(_ scope: DataValue, choices: [String]) throws -> Int {
        guard let path = spec.fields.answer else { throw RowError(field: nil, message: "no answer field") }
        guard let value = try FieldPath(path).value(in: scope), let raw = value.text else {
            throw RowError(field: path, message: "missing gold label")
        }
        let lowered = raw.trimmingWhitespace(.whitespacesAndNewlines).lowercased()
        let word = spec.fields.labels?.first { $0.key.lowercased() == lowered }?.value ?? raw
        if let index = LabelDistribution.position(ofToken: word, labels: choices, kind: .words) { return index }
        let known = spec.fields.labels.map { Array($0.keys).sorted() } ?? choices
        throw RowError(field: path, message: "gold label '\(raw)' is not one of: \(known.joined(separator: ", "))")
    }

    func readReferences(_ scope: DataValue) throws -> [String] {
        var seen = Set<String>()
        var references: [String] = []
        for path in spec.fields.references ?? [] {
            for value in try FieldPath(path).values(in: scope) {
                let texts: [String]
                if case .array(let elements) = value {
                    texts = elements.compactMap(\.text)
                } else {
                    texts = value.text.map { [$0] } ?? []
                }
                for text in texts {
                    let trimmed = text.trimmingWhitespace(.whitespacesAndNewlines)
                    if !trimmed.isEmpty, seen.insert(trimmed).inserted { references.append(trimmed) }
                }
            }
        }
        guard !references.isEmpty else {
            throw RowError(field: spec.fields.references?.first, message: "no reference answers")
        }
        return references
    }

    /// Per-culture human distributions: each culture's numbers, one per option, normalised to sum 1. A culture
    /// whose numbers are all 0 has no data on this question and is left out. Keys are culture codes when the
    /// name is a known culture, else the name as written (e.g. "Pakistan (Non-national sample)").
    func readDistributions(_ scope: DataValue, optionCount: Int) throws -> [String: [Double]] {
        guard let path = spec.fields.distributions else {
            throw RowError(field: nil, message: "no distributions field")
        }
        guard let value = try FieldPath(path).value(in: scope) else { throw RowError(field: path, message: "missing") }
        guard case .object(let entries) = value else {
            throw RowError(field: path, message: "expected a mapping from culture to numbers, found \(value.kindName)")
        }
        var result: [String: [Double]] = [:]
        for entry in entries {
            guard case .array(let elements) = entry.value else {
                throw RowError(
                    field: path,
                    message: "'\(entry.key)': expected a list of numbers, found \(entry.value.kindName)"
                )
            }
            var numbers: [Double] = []
            for (index, element) in elements.enumerated() {
                guard case .number(let number) = element, number.isFinite, number >= 0 else {
                    throw RowError(
                        field: path,
                        message:
                            "'\(entry.key)'[\(index)]: expected a non-negative number, found \(element.text ?? element.kindName)"
                    )
                }
                numbers.append(number)
            }
            guard numbers.count == optionCount else {
                throw RowError(
                    field: path,
                    message: "'\(entry.key)' has \(numbers.count) value(s) but the question has \(optionCount) options"
                )
            }
            let total = numbers.reduce(0, +)
            guard total > 0 else { continue }
            var key = entry.key
            if let culture = CultureCatalog.culture(for: entry.key), result[culture.code] == nil { key = culture.code }
            guard result[key] == nil else {
                throw RowError(field: path, message: "culture '\(entry.key)' appears twice")
            }
            result[key] = numbers.map { $0 / total }
        }
        return result
    }

    // MARK: - Culture and language

    /// The item's culture code, and the display name of the raw culture value (for prompts).
    func resolveCulture(_ scope: DataValue) throws -> (code: String, name: String?) {
        let mapping = spec.culture
        if let value = mapping.value, mapping.field == nil { return (value, nil) }
        guard let field = mapping.field else { return (mapping.value ?? "global", nil) }
        let raw = try Self.cultureText(field, in: scope)
        let resolved = code(forCulture: raw)
        let displayName = resolved.flatMap { CultureCatalog.culture(for: $0)?.name } ?? Self.displayName(raw)
        if try isUnattributed(scope) { return (CultureSpec.unattributed, raw.isEmpty ? nil : displayName) }
        if let resolved { return (resolved, displayName) }
        switch mapping.unresolved {
        case .keep where !raw.isEmpty:
            return (raw, displayName)
        case .fallback, .keep:
            guard let fallback = mapping.fallback ?? mapping.value else {
                throw RowError(field: field, message: "empty culture and no culture.fallback")
            }
            return (fallback, raw.isEmpty ? nil : displayName)
        case .error:
            throw RowError(
                field: field,
                message: raw.isEmpty
                    ? "empty culture"
                    : "unknown culture '\(raw)' (add it to the spec's culture.map, or set culture.unresolved)"
            )
        }
    }

    /// The culture field's text, trimmed.
    static func cultureText(_ field: String, in scope: DataValue) throws -> String {
        try FieldPath(field).value(in: scope)?.text?.trimmingWhitespace(.whitespacesAndNewlines) ?? ""
    }

    /// The code a culture name resolves to: the spec's culture.map (exact, then without regard to case), then the
    /// catalogue; `nil` when it resolves to none.
    func code(forCulture raw: String) -> String? {
        if let map = spec.culture.map {
            if let code = map[raw] { return code }
            if let code = map.first(where: { $0.key.lowercased() == raw.lowercased() })?.value { return code }
        }
        return raw.isEmpty ? nil : CultureCatalog.culture(for: raw)?.code
    }

    /// Whether culture.unattributed_when holds for the record (NormAd's neutral rows).
    func isUnattributed(_ scope: DataValue) throws -> Bool {
        guard let condition = spec.culture.unattributedWhen else { return false }
        let text = try FieldPath(condition.field).value(in: scope)?.text?.trimmingWhitespace(.whitespaces)
            .lowercased()
        guard let text else { return false }
        return condition.in.contains { $0.lowercased() == text }
    }

    /// The record's culture name when it is not empty, not unattributed and resolves to no known culture (kept as
    /// written or replaced by the fallback, as the spec says): reported as a diagnostic, once per name.
    func unresolvedCulture(_ scope: DataValue) -> String? {
        guard let field = spec.culture.field, let raw = try? Self.cultureText(field, in: scope), !raw.isEmpty,
            code(forCulture: raw) == nil, (try? isUnattributed(scope)) == false
        else { return nil }
        return raw
    }

    /// `south_sudan` → `South Sudan`.
    static func displayName(_ raw: String) -> String {
        raw.replacingOccurrences(of: "_", with: " ").split(separator: " ").map { word in
            word.prefix(1).uppercased() + word.dropFirst()
        }.joined(separator: " ")
    }

    func resolveLanguage(_ scope: DataValue) throws -> String {
        guard let mapping = spec.language else { return "en" }
        guard let field = mapping.field else { return mapping.value ?? "en" }
        let raw = try FieldPath(field).value(in: scope)?.text?.trimmingWhitespace(.whitespaces) ?? ""
        if raw.isEmpty {
            guard let value = mapping.value else { throw RowError(field: field, message: "empty language") }
            return value
        }
        if let map = mapping.map {
            if let tag = map[raw] { return tag }
            if let tag = map.first(where: { $0.key.lowercased() == raw.lowercased() })?.value { return tag }
        }
        return raw
    }

    // MARK: - Templates

    func templateColumn(_ prompt: PromptSpec, tag: String, local: Bool) -> String? {
        guard let columns = prompt.fromFile?.columns else { return nil }
        return columns[tag] ?? (local ? columns["local"] : nil) ?? columns["en"]
    }

    func templateText(_ prompt: PromptSpec, record: SpecLoader.Record, column: String?) throws -> String {
        if let template = prompt.template { return template }
        if let last = prompt.messages?.last { return last.template }
        guard let fromFile = prompt.fromFile, let column else {
            throw RowError(field: nil, message: "prompt '\(prompt.id)' has no template")
        }
        let path = SpecLoader.fill(fromFile.file, record.variables)
        guard let row = promptTables[path]?[fromFile.key] else {
            throw RowError(field: fromFile.keyColumn, message: "prompt file \(path) has no template '\(fromFile.key)'")
        }
        guard let text = row[column], !text.isEmpty else {
            throw RowError(
                field: column,
                message: "prompt file \(path) has no text for '\(fromFile.key)' in column '\(column)'"
            )
        }
        return text
    }
}
