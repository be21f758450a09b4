import CultureLensCore
import CultureLensFormats
import Foundation

extension EveryEvalEverRecord {
    /// The instance-level file: one compact line per sample (schema `instance_level_eval`), in the run's sample
    /// order, ending in a line feed.
    public func samplesJSONL() throws -> Data {
        let encoder = Self.encoder(pretty: false)
        var data = Data()
        for sample in run.samples {
            data.append(try encoder.encode(instance(sample)))
            data.append(0x0A)
        }
        return data
    }

    /// One sample's record. A scored sample points at the overall accuracy (`summary.accuracy`); a failed or
    /// unscored one (a survey answer) points at none and has score 0, `is_correct` false and its `outcome` in
    /// `metadata`. The reference is the gold options' texts when the item is known, else their indices.
    func instance(_ sample: ReportSample) -> DataValue {
        let item = items[sample.itemID]
        let references: [String] = sample.gold.map { index in
            item.flatMap { $0.choices.indices.contains(index) ? $0.choices[index] : nil } ?? String(index)
        }
        let referenceAnswers = item?.kind == .shortAnswer ? item?.referenceAnswers ?? [] : []
        let reference = references + referenceAnswers
        var input: [String: DataValue] = [
            "raw": .string(sample.prompt),
            "reference": .array(reference.map(DataValue.string)),
        ]
        if let choices = item?.choices, !choices.isEmpty { input["choices"] = .array(choices.map(DataValue.string)) }
        let extracted =
            sample.predictedChoice
            ?? sample.predicted.map { index in
                item.flatMap { $0.choices.indices.contains(index) ? $0.choices[index] : nil } ?? String(index)
            } ?? ""
        var metadata: [String: String] = [
            "culture": sample.culture,
            "topic": sample.topic,
            "variant": sample.variant,
            "item_index": String(sample.itemIndex),
            "outcome": sample.outcome.rawValue,
            "cached": String(sample.cached),
            "attempts": String(sample.attempts),
            "gold": Self.text(DataValue.array(sample.gold.map { .number(Double($0)) })),
        ]
        if let predicted = sample.predicted { metadata["predicted"] = String(predicted) }
        if let distribution = sample.distribution {
            metadata["distribution"] = Self.text(DataValue.array(distribution.map(DataValue.number)))
        }
        if let outside = sample.outsideMass { metadata["outside_mass"] = Self.text(DataValue.number(outside)) }
        var record: [String: DataValue] = [
            "schema_version": .string(Self.schemaVersion),
            "evaluation_id": .string(evaluationID),
            "model_id": .string(run.metadata.model),
            "evaluation_name": .string(run.metadata.suite),
            "sample_id": .string(sample.itemID),
            "sample_hash": .string(
                Hashing.sha256Hex(of: Data((sample.prompt + "\n" + reference.joined(separator: "\n")).utf8))
            ),
            "interaction_type": .string("single_turn"),
            "input": DataValue(input),
            "output": DataValue(["raw": .array([.string(sample.response ?? "")])]),
            "messages": .null,
            "answer_attribution": .array([
                DataValue([
                    "turn_idx": .number(0),
                    "source": .string("output.raw"),
                    "extracted_value": .string(extracted),
                    "extraction_method": .string(
                        run.metadata.scoring == "logprobs" ? "logprob_argmax" : "culturelens_answer_extractor"
                    ),
                    "is_terminal": .bool(true),
                ])
            ]),
            "evaluation": DataValue([
                "score": .number(sample.score ?? 0),
                "is_correct": .bool(sample.outcome == .correct),
            ]),
            // The failure kind only: its detail can quote an endpoint.
            "error": sample.error.map(DataValue.string) ?? .null,
            "metadata": DataValue(metadata.mapValues(DataValue.string)),
        ]
        if sample.score != nil, sample.error == nil { record["evaluation_result_id"] = .string(Self.accuracyPath) }
        return DataValue(record)
    }
}
