import CultureLensCore
import CultureLensFormats
import Foundation

/// One line of a re-scoring responses file: `{"index": N}` or `{"item_id": "ID"}` plus exactly one of `samples`
/// (option indices drawn from the model, K ≥ 1), `distribution` (probabilities over the options in canonical order)
/// or `answer` (raw model text, read with the same answer extraction as `run`).
public struct ExternalResponse: Sendable, Hashable, Decodable {
    /// Which item: the 0-based row of the source data file, or the item's position (see
    /// ``LoadedSuite/itemPosition(forResponseIndex:)``); `nil` when the line names its item by ``itemID``.
    public var index: Int?
    /// Which item, by its id in the suite (e.g. `v3-f063`); `nil` when the line gives ``index``.
    public var itemID: String?
    /// Option indices of K samples.
    public var samples: [Int]?
    /// A probability distribution over the options.
    public var distribution: [Double]?
    /// Raw model text.
    public var answer: String?

    enum CodingKeys: String, CodingKey {
        case index, samples, distribution, answer
        case itemID = "item_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decodeIfPresent(Int.self, forKey: .index)
        itemID = try container.decodeIfPresent(String.self, forKey: .itemID)
        samples = try container.decodeIfPresent([Int].self, forKey: .samples)
        distribution = try container.decodeIfPresent([Double].self, forKey: .distribution)
        answer = try container.decodeIfPresent(String.self, forKey: .answer)
        let given = [samples != nil, distribution != nil, answer != nil].filter { $0 }.count
        guard given == 1 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [],
                    debugDescription: given == 0
                        ? "expected one of \"samples\", \"distribution\" or \"answer\""
                        : "give exactly one of \"samples\", \"distribution\" or \"answer\", not \(given)"
                )
            )
        }
    }
}

/// Scores responses gathered elsewhere (other tools, provider batch jobs) against a suite's items, producing the
/// same ``ItemResult`` values a `run` would.
public enum ResponseRescorer {
    /// Reads a responses JSONL file and scores each line.
    /// - Parameters:
    ///   - data: The file's bytes.
    ///   - file: Its name, for errors.
    ///   - suite: The suite.
    ///   - position: Maps a response's `index` to an item position, or `nil` when nothing is there. A response
    ///     keyed by `item_id` is looked up among the suite's item ids instead.
    ///   - runID: The run id stamped on the results.
    /// - Throws: ``LoadError`` naming the file, line and field of the first malformed line.
    public static func score(
        _ data: Data,
        file: String,
        suite: Suite,
        position: (Int) -> Int?,
        runID: String
    ) throws(LoadError) -> [ItemResult] {
        let records = try JSONLReader.decode(ExternalResponse.self, from: data, file: file)
        var results: [ItemResult] = []
        var seen: [Int: Int] = [:]
        let builder = PromptBuilder()
        var positionsByID: [String: Int] = [:]
        for record in records {
            func fail(_ field: String?, _ message: String) -> LoadError {
                LoadError(file: file, line: record.line, row: record.index, field: field, message: message)
            }
            let response = record.value
            let itemPosition: Int
            switch (response.index, response.itemID) {
            case (let index?, nil):
                guard let found = position(index), suite.items.indices.contains(found) else {
                    throw fail("index", "no item at index \(index) (the suite has \(suite.items.count) items)")
                }
                itemPosition = found
            case (nil, let id?):
                if positionsByID.isEmpty {
                    for (offset, item) in suite.items.enumerated() where positionsByID[item.id] == nil {
                        positionsByID[item.id] = offset
                    }
                }
                guard let found = positionsByID[id] else {
                    let examples = suite.items.prefix(2).map(\.id).joined(separator: ", ")
                    throw fail("item_id", "no item with id '\(id)' in suite \(suite.name) (ids look like \(examples))")
                }
                itemPosition = found
            case (nil, nil):
                throw fail("index", "missing: give \"index\" (a number) or \"item_id\" (an item id)")
            case (.some, .some):
                throw fail("item_id", "give \"index\" or \"item_id\", not both")
            }
            if let line = seen[itemPosition] {
                let key = response.itemID.map { "item_id '\($0)'" } ?? "index \(response.index ?? itemPosition)"
                throw fail(response.itemID == nil ? "index" : "item_id", "\(key) was already answered on line \(line)")
            }
            seen[itemPosition] = record.line
            let item = suite.items[itemPosition]
            let prompt = builder.render(item)
            var result = ItemResult.unanswered(runID: runID, item: item, index: itemPosition, prompt: prompt.displayText)
            let optionCount = item.choices.count
            if let answer = response.answer {
                let outcome = ItemScorer(mode: .generate).score(
                    ModelResponse(text: answer, firstTokenTopLogprobs: nil, finishReason: nil),
                    prompt: prompt,
                    item: item
                )
                result.response = answer
                result.distribution = outcome.distribution
                result.predicted = outcome.predicted
                result.score = outcome.score
                result.failure = outcome.failure
                if outcome.failure != nil { result.failureDetail = "response text: \(answer.prefix(200))" }
            } else {
                guard optionCount > 0 else {
                    throw fail(
                        response.samples != nil ? "samples" : "distribution",
                        "item \(item.id) has no options (a \(item.kind.rawValue) item): give \"answer\" text"
                    )
                }
                var weights: [Double]
                if let samples = response.samples {
                    guard !samples.isEmpty else { throw fail("samples", "empty: give at least one sample") }
                    weights = [Double](repeating: 0, count: optionCount)
                    for (offset, sample) in samples.enumerated() {
                        guard (0..<optionCount).contains(sample) else {
                            throw fail("samples[\(offset)]", "\(sample) is not an option index 0...\(optionCount - 1)")
                        }
                        weights[sample] += 1
                    }
                } else {
                    weights = response.distribution ?? []
                    guard weights.count == optionCount else {
                        throw fail(
                            "distribution",
                            "has \(weights.count) value(s) but item \(item.id) has \(optionCount) options"
                        )
                    }
                    for (offset, weight) in weights.enumerated() where !weight.isFinite || weight < 0 {
                        throw fail("distribution[\(offset)]", "\(weight) is not a non-negative number")
                    }
                }
                let total = weights.reduce(0, +)
                guard total > 0 else { throw fail("distribution", "all values are 0") }
                let distribution = weights.map { $0 / total }
                var predicted = 0
                for index in distribution.indices where distribution[index] > distribution[predicted] {
                    predicted = index
                }
                result.distribution = distribution
                result.predicted = predicted
                result.score = item.kind == .survey || item.gold.isEmpty ? nil : (item.gold.contains(predicted) ? 1 : 0)
            }
            results.append(result)
        }
        return results.sorted { $0.itemIndex < $1.itemIndex }
    }
}
