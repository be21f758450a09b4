public import CultureLensCore
import CultureLensStatistics
import Foundation

/// A fake model with a planted prior over option *positions*: for a prompt listing options, it puts probability
/// P(position j) ∝ prior[j] · weight(option text at j) on the label shown at j. This is exactly PriDe's model of
/// selection bias (Zheng et al. 2024), so PriDe must recover `prior` from cyclic rotations.
///
/// It reads the option lines of ``PromptBuilder``'s layout (`A. text`, `1. text`, `a. text`, `- text`); logprob
/// requests get every option's label (or, for unlabelled lists, its full text) as a top token, generate requests
/// get `Answer: <label>` for the most likely one (or, when `sampler` is given and the request has a seed, a label
/// drawn from the distribution with that seed).
public enum PositionBiasedModel {
    /// The options listed in `prompt`: (label, text) by shown position; the label is empty for dash lists.
    public static func options(in prompt: String) -> [(label: String, text: String)] {
        var result: [(String, String)] = []
        for line in prompt.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("- ") {
                result.append(("", String(line.dropFirst(2))))
                continue
            }
            guard let dot = line.firstIndex(of: ".") else { continue }
            let label = line[..<dot]
            let isLabel =
                (label.count == 1 && label.first.map { $0.isLetter } == true)
                || (!label.isEmpty && label.allSatisfy(\.isNumber))
            guard isLabel, line[dot...].hasPrefix(". ") else { continue }
            result.append((String(label), String(line[line.index(dot, offsetBy: 2)...])))
        }
        return result
    }

    /// The fake's distribution over shown positions for `prompt`.
    public static func distribution(prompt: String, prior: [Double], weight: (String) -> Double) -> [Double] {
        let listed = options(in: prompt)
        let raw = listed.enumerated().map { position, option in
            (position < prior.count ? prior[position] : 0) * max(0, weight(option.text))
        }
        let total = raw.reduce(0, +)
        return total > 0 ? raw.map { $0 / total } : raw.map { _ in 1 / Double(max(1, raw.count)) }
    }

    /// The model. `weight(prompt, optionText)` is the content's strength (e.g. 3 for the right answer, 1 otherwise).
    public static func make(
        name: String = "position-biased",
        prior: [Double],
        weight: @escaping @Sendable (_ prompt: String, _ option: String) -> Double
    ) -> ScriptedLanguageModel {
        ScriptedLanguageModel(name: name) { request in
            let listed = options(in: request.prompt)
            let p = distribution(prompt: request.prompt, prior: prior) { weight(request.prompt, $0) }
            let tokens = listed.map { option in option.label.isEmpty ? option.text : option.label }
            var chosen = p.indices.max { p[$0] < p[$1] } ?? 0
            if let seed = request.seed, request.temperature > 0 {
                var generator = SplitMix64(
                    seed: UInt64(seed) &* 0x9E37_79B9 ^ UInt64(truncatingIfNeeded: request.prompt.utf8.count)
                )
                let u = Double(generator.next() >> 11) * 0x1p-53
                var cumulative = 0.0
                for (index, value) in p.enumerated() {
                    cumulative += value
                    if u < cumulative {
                        chosen = index
                        break
                    }
                }
            }
            let top =
                request.topLogprobs == nil
                ? nil
                : zip(tokens, p).filter { $0.1 > 0 }.map { TokenLogprob(token: " " + $0.0, logprob: log($0.1)) }
            return ModelResponse(
                text: tokens.isEmpty ? "" : " Answer: \(tokens[chosen])",
                firstTokenTopLogprobs: top,
                finishReason: "stop"
            )
        }
    }
}
