import CultureLensFormats
import Foundation

extension EveryEvalEverRecord {
    /// One figure of `results.json` with its interval, found by ``figures(in:path:)``.
    struct Figure: Hashable {
        /// Dotted path in `results.json`, array elements named by their `key`/`id`/`factor`/`variant`/`country`/`name` (e.g.
        /// `summary.per_culture.JP.accuracy`): the `evaluation_result_id`.
        var path: String
        /// What is measured (e.g. `accuracy`, `similarity`, `flip_rate`).
        var metric: String
        var value: Double
        var n: Int?
        var low: Double?
        var high: Double?
        var successes: Int?
        var name: String?
        var note: String?
    }

    /// The keys under which a figure object holds its value; `mean` and `ece` count only with an interval.
    static let valueKeys = ["value", "similarity", "mean", "ece"]

    /// Metrics for which lower is better.
    static let lowerIsBetter: Set<String> = [
        "flip_rate", "mean_pairwise_jsd", "spread", "ece", "refusal_rate", "variant_sd", "mean_position_spread",
        "absolute_shift", "overconfidence", "between_variant", "within_prompt", "format_spread",
    ]

    /// Every section as a JSON value, `summary` first, then the others by key.
    var sectionValues: [(key: String, value: DataValue)] {
        sections.filter { $0.key.hasPrefix("results.") }.sorted { lhs, rhs in
            (lhs.key == "results.summary" ? 0 : 1, lhs.key) < (rhs.key == "results.summary" ? 0 : 1, rhs.key)
        }.compactMap { key, text in
            DataValue.parseJSON(Data(text.utf8)).map { (key: String(key.dropFirst("results.".count)), value: $0) }
        }
    }

    /// `evaluation_results`: every figure of every section, in section order then document order.
    var evaluationResults: [DataValue] {
        var seen: Set<String> = []
        var results: [DataValue] = []
        for (key, value) in sectionValues {
            for var figure in Self.figures(in: value, path: [key], under: key) {
                var path = figure.path
                var copy = 2
                while !seen.insert(path).inserted {
                    path = "\(figure.path)#\(copy)"
                    copy += 1
                }
                figure.path = path
                results.append(result(figure))
            }
        }
        return results
    }

    /// Figures in `value`: objects with a numeric value key and an `n` (`mean` and `ece` also need `ci_low`).
    /// `under` is the last object key on the path (array elements keep their array's key).
    static func figures(in value: DataValue, path: [String], under: String) -> [Figure] {
        switch value {
        case .array(let elements):
            return elements.enumerated().flatMap { index, element in
                let name = ["key", "id", "factor", "variant", "country", "name"].lazy.compactMap { element[$0]?.text }
                    .first
                return figures(in: element, path: path + [name ?? String(index)], under: under)
            }
        case .object(let entries):
            if let figure = figure(value, path: path, under: under) { return [figure] }
            return entries.flatMap { figures(in: $0.value, path: path + [$0.key], under: $0.key) }
        default:
            return []
        }
    }

    static func figure(_ value: DataValue, path: [String], under: String) -> Figure? {
        // A figure over no observations says nothing (an accuracy of 0 with the interval 0–1): left out.
        guard let n = value["n"]?.number, n == n.rounded(), n > 0 else { return nil }
        for key in valueKeys {
            guard case .number(let number)? = value[key], number.isFinite else { continue }
            let low = value["ci_low"].flatMap(\.number)
            let high = value["ci_high"].flatMap(\.number)
            if key == "mean" || key == "ece", low == nil { continue }
            // The figure's own name for what it measures, else its value key, else the key it sits under.
            let metric: String
            if case .string(let named)? = value["metric"] {
                metric = named
            } else if key == "value" || key == "mean" {
                metric = under
            } else {
                metric = key
            }
            return Figure(
                path: path.joined(separator: "."),
                metric: metric,
                value: number,
                n: Int(n),
                low: low,
                high: high,
                successes: value["successes"].flatMap(\.number).map { Int($0) },
                name: value["name"]?.text,
                note: value["note"]?.text
            )
        }
        return nil
    }

    /// One `evaluation_results` entry.
    func result(_ figure: Figure) -> DataValue {
        let suite = run.metadata.suite
        let isAccuracy = figure.metric == "accuracy"
        let isProportion = isAccuracy || figure.successes != nil
        var config: [String: DataValue] = [
            "evaluation_description": .string(figure.path),
            "metric_id": .string(isAccuracy ? "accuracy" : "culturelens.\(figure.metric)"),
            "metric_name": .string(figure.metric),
            "lower_is_better": .bool(Self.lowerIsBetter.contains(figure.metric)),
            "score_type": .string("continuous"),
            "min_score": isProportion ? .number(0) : .null,
            "max_score": isProportion ? .number(1) : .null,
        ]
        if isAccuracy { config["metric_kind"] = .string("accuracy") }
        if isProportion { config["metric_unit"] = .string("proportion") }
        var uncertainty: [String: DataValue] = [:]
        if let n = figure.n { uncertainty["num_samples"] = .number(Double(n)) }
        if let low = figure.low, let high = figure.high {
            var interval: [String: DataValue] = [
                "lower": .number(low),
                "upper": .number(high),
                "confidence_level": .number(0.95),
            ]
            if figure.successes != nil { interval["method"] = .string("wilson") }
            uncertainty["confidence_interval"] = DataValue(interval)
        }
        var details: [String: String] = [:]
        if let successes = figure.successes { details["successes"] = String(successes) }
        if let name = figure.name { details["name"] = name }
        if let note = figure.note { details["note"] = note }
        var score: [String: DataValue] = ["score": .number(figure.value)]
        if !uncertainty.isEmpty { score["uncertainty"] = DataValue(uncertainty) }
        if !details.isEmpty { score["details"] = DataValue(details.mapValues(DataValue.string)) }
        return DataValue([
            "evaluation_result_id": .string(figure.path),
            "evaluation_name": .string(figure.path == Self.accuracyPath ? suite : "\(suite)/\(figure.path)"),
            "source_data": DataValue([
                "dataset_name": .string(suite),
                "source_type": .string("other"),
                "additional_details": DataValue(
                    [
                        "suite_version": run.metadata.suiteVersion,
                        "spec_hash": run.metadata.specHash,
                    ].filter { !$0.value.isEmpty }.mapValues(DataValue.string)
                ),
            ]),
            "metric_config": DataValue(config),
            "score_details": DataValue(score),
        ])
    }

    /// The overall accuracy's `evaluation_result_id`, to which the scored samples point.
    static let accuracyPath = "summary.accuracy"
}
