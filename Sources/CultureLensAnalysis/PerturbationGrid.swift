import CultureLensCore
import Foundation

/// Why a `--perturb`, `--grid` or `--steer` specification was rejected.
public struct PerturbationSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what would be accepted.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The presentation variants a robustness run evaluates: which factors are perturbed (`--perturb
/// order,labels,format,template,scale,language,reasoning`) and how their levels are combined (`--grid`).
///
/// **Design.** The default is *one factor at a time* around the plain prompt: the default variant, then every
/// non-default level of each factor with all other factors at their default. Its cost is linear in the number of
/// levels (1 + Σ(levels − 1) prompts per item), and each variant differs from the plain prompt in exactly one way,
/// so a per-factor effect can be read off directly. `full` is the cross product of the factors' levels (Π levels
/// prompts per item): it shows interactions (numbers *and* reversed order) at multiplicative cost. Either way the
/// default variant comes first and exactly once, so its requests are cache hits after a plain `run`.
///
/// **Levels**, in this order (the first is the default):
/// - `order`: original, reversed, then every cyclic rotation 1…K−1 for the largest option count K in the suite
///   (items with fewer options wrap: their duplicate presentations are recognised by prompt text and counted once).
///   For two-option suites reversed is rotation 1, so only reversed is listed.
/// - `labels`: letters, numbers, lowercase, none (options listed with dashes and answered by text).
/// - `format`: identifier, text (answer with the option's full text).
/// - `template`: the instruction paraphrases 0…`PromptBuilder.templateCount − 1`.
/// - `scale`: ascending (original), descending (reversed), and neutral option off (forced choice) when some item
///   has a neutral option. With `order` also perturbed, descending is already an order level and is not repeated.
/// - `language`: the item's own language, then each translation some item carries (sorted BCP-47 tags).
/// - `reasoning`: answer-first, reason-first (always scored by generation).
///
/// The variant list is deterministic: factors are taken in the canonical order above whatever order they were
/// written in, and duplicates (same id) are dropped keeping the first.
public struct PerturbationGrid: Sendable, Hashable, Codable {
    /// A perturbed aspect of the prompt.
    public enum Factor: String, Sendable, Hashable, Codable, CaseIterable {
        case order, labels, format, template, scale, language, reasoning
    }

    /// How factor levels are combined.
    public enum Design: String, Sendable, Hashable, Codable, CaseIterable {
        /// One factor at a time around the default (linear cost).
        case oneFactor = "one-factor"
        /// Cross product of all levels (multiplicative cost).
        case full
    }

    /// Perturbed factors, in canonical order, without repeats.
    public var factors: [Factor]
    /// Combination design.
    public var design: Design

    /// Creates a grid; `factors` are put in canonical order and de-duplicated.
    public init(factors: [Factor], design: Design = .oneFactor) {
        let wanted = Set(factors)
        self.factors = Factor.allCases.filter { wanted.contains($0) }
        self.design = design
    }

    /// Parses a `--perturb` list such as `order,labels` (`all` for every factor; empty for none).
    /// - Throws: ``PerturbationSpecError`` naming the unknown factor and the accepted ones.
    public static func parse(_ specification: String, design: Design = .oneFactor) throws(PerturbationSpecError)
        -> PerturbationGrid
    {
        var factors: [Factor] = []
        for raw in specification.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if name.isEmpty { continue }
            if name == "all" {
                factors.append(contentsOf: Factor.allCases)
                continue
            }
            guard let factor = Factor(rawValue: name) else {
                let choices = Factor.allCases.map(\.rawValue).joined(separator: ", ")
                throw PerturbationSpecError("unknown perturbation '\(name)'. Choices: \(choices), all")
            }
            factors.append(factor)
        }
        return PerturbationGrid(factors: factors, design: design)
    }

    /// The factors of this grid that cannot be applied to `suite`, and so are left out of every variant.
    ///
    /// Option order and label schemes (and the descending scale, which is a reordering) change the prompt only
    /// where the options are rendered from fields. A dataset prompt without `{options}` carries its options inside
    /// the question text (BLEnD's multiple-choice prompt): a perturbed variant would send the very same prompt yet
    /// map its answer back through the perturbed order, so those factors are not applicable to such a suite.
    public func inapplicableFactors(for suite: Suite) -> [Factor] {
        guard !Self.rendersOptions(suite) else { return [] }
        return factors.filter(Self.optionFactors.contains)
    }

    /// The factors that act only on how options are shown: reordering (the descending scale too) and relabelling.
    static let optionFactors: Set<Factor> = [.order, .labels, .scale]

    /// Whether every multiple-choice or survey item of `suite` shows its options from fields (the default rendering,
    /// or a dataset template with `{options}`).
    static func rendersOptions(_ suite: Suite) -> Bool {
        suite.items.allSatisfy { item in
            guard item.kind == .multipleChoice || item.kind == .survey, let template = item.promptTemplate else {
                return true
            }
            return template.text.contains("{options}")
        }
    }

    /// The levels of `factor` for `suite`, each as a change to a variant; the first level leaves it unchanged. An
    /// inapplicable factor (``inapplicableFactors(for:)``) has only its unchanged level.
    func levels(of factor: Factor, for suite: Suite) -> [(name: String, apply: (inout PromptVariant) -> Void)] {
        if Self.optionFactors.contains(factor), !Self.rendersOptions(suite) {
            return [("original", { _ in })]
        }
        switch factor {
        case .order:
            let maxCount = suite.items.map(\.choices.count).max() ?? 0
            var levels: [(String, (inout PromptVariant) -> Void)] = [("original", { _ in })]
            guard maxCount >= 2 else { return levels }
            levels.append(("reversed", { $0.order = .reversed }))
            if maxCount >= 3 {
                for shift in 1..<maxCount { levels.append(("rot\(shift)", { $0.order = .rotation(shift) })) }
            }
            return levels
        case .labels:
            return PromptVariant.Labels.allCases.map { scheme in (scheme.rawValue, { $0.labels = scheme }) }
        case .format:
            return PromptVariant.AnswerFormat.allCases.map { format in (format.rawValue, { $0.answerFormat = format }) }
        case .template:
            return (0..<PromptBuilder.templateCount).map { index in ("template\(index)", { $0.template = index }) }
        case .scale:
            var levels: [(String, (inout PromptVariant) -> Void)] = [("ascending", { _ in })]
            if !factors.contains(.order) { levels.append(("descending", { $0.order = .reversed })) }
            if suite.items.contains(where: { $0.neutralIndex != nil }) {
                levels.append(("neutral-off", { $0.dropNeutral = true }))
            }
            return levels
        case .language:
            var tags = Set<String>()
            for item in suite.items {
                for tag in item.translations.keys where tag != item.language { tags.insert(tag) }
            }
            return [("own", { _ in })] + tags.sorted().map { tag in (tag, { $0.language = tag }) }
        case .reasoning:
            return PromptVariant.Reasoning.allCases.map { reasoning in
                (reasoning.rawValue, { $0.reasoning = reasoning })
            }
        }
    }

    /// The variants to evaluate on `suite`: the default first and exactly once, then the perturbed ones.
    public func variants(for suite: Suite) -> [PromptVariant] {
        var result: [PromptVariant] = [.default]
        var seen: Set<String> = [PromptVariant.default.id]
        func add(_ variant: PromptVariant) {
            if seen.insert(variant.id).inserted { result.append(variant) }
        }
        switch design {
        case .oneFactor:
            for factor in factors {
                for level in levels(of: factor, for: suite).dropFirst() {
                    var variant = PromptVariant.default
                    level.apply(&variant)
                    add(variant)
                }
            }
        case .full:
            var combinations: [PromptVariant] = [.default]
            for factor in factors {
                let factorLevels = levels(of: factor, for: suite)
                combinations = combinations.flatMap { base in
                    factorLevels.map { level in
                        var variant = base
                        level.apply(&variant)
                        return variant
                    }
                }
            }
            combinations.forEach(add)
        }
        return result
    }

    /// For a one-factor-at-a-time variant, the factor it perturbs (`nil` for the default and for variants that
    /// differ from the default in several ways).
    public func factor(of variant: PromptVariant, in suite: Suite) -> Factor? {
        guard variant.id != PromptVariant.default.id else { return nil }
        var matches: [Factor] = []
        for factor in factors {
            for level in levels(of: factor, for: suite).dropFirst() {
                var candidate = PromptVariant.default
                level.apply(&candidate)
                if candidate.id == variant.id { matches.append(factor) }
            }
        }
        return matches.count == 1 ? matches[0] : nil
    }
}

/// Which countries `--steer` asks the model to impersonate.
public enum SteeringTargets: Sendable, Hashable, Codable {
    /// Every country with human answers in the suite.
    case all
    /// These culture codes (or names), in the order given.
    case countries([String])

    /// Parses `countries=US,JP,NG` (or a bare `US,JP,NG`) and `all`.
    /// - Throws: ``PerturbationSpecError`` on an empty list or a name ``CultureCatalog`` does not know.
    public static func parse(_ specification: String) throws(PerturbationSpecError) -> SteeringTargets {
        guard let names = listedNames(specification) else { return .all }
        var codes: [String] = []
        for name in names {
            guard let culture = CultureCatalog.culture(for: name) else {
                throw PerturbationSpecError(
                    "unknown country '\(name)' in --steer (use ISO 3166-1 codes such as US, JP, NG)"
                )
            }
            if !codes.contains(culture.code) { codes.append(culture.code) }
        }
        guard !codes.isEmpty else { throw PerturbationSpecError("--steer needs `all` or `countries=US,JP,...`") }
        return .countries(codes)
    }

    /// The names a `--steer` specification lists (`countries=US,JP` or a bare `US,JP`; blanks dropped), `nil` for
    /// `all`.
    static func listedNames(_ specification: String) -> [String]? {
        let trimmed = specification.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "all" { return nil }
        var list = Substring(trimmed)
        if list.lowercased().hasPrefix("countries=") { list = list.dropFirst("countries=".count) }
        return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The target culture codes for `suite`: the given list, or every country with human answers.
    public func codes(for suite: Suite) -> [String] {
        switch self {
        case .countries(let codes): codes
        case .all: SurveyData(suite: suite).countries
        }
    }
}

/// The persona variants of a steerability run: each target country under each persona wording.
public struct SteeringPlan: Sendable, Hashable, Codable {
    /// Target culture codes.
    public var countries: [String]
    /// Persona wordings used, `0..<templates` (at least 2).
    public var templates: Int

    /// Creates a plan.
    public init(countries: [String], templates: Int = 2) {
        self.countries = countries
        self.templates = max(1, min(templates, PromptBuilder.personaTemplateCount))
    }

    /// Persona variants, template-major: every country under wording 0, then under wording 1, …
    public var variants: [PromptVariant] {
        (0..<templates).flatMap { template in
            countries.map { PromptVariant(persona: $0, personaTemplate: template) }
        }
    }
}

extension PromptVariant {
    /// The same presentation with sample index 0.
    public var firstSample: PromptVariant {
        var copy = self
        copy.sample = 0
        return copy
    }

    /// `variants` each repeated for sample indices 0..<`samples` (sample-major within a variant).
    public static func expand(_ variants: [PromptVariant], samples: Int) -> [PromptVariant] {
        guard samples > 1 else { return variants }
        return variants.flatMap { variant in
            (0..<samples).map { index in
                var copy = variant
                copy.sample = index
                return copy
            }
        }
    }
}
