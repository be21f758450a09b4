import ArgumentParser
import CultureLensApp
import CultureLensCore
import CultureLensDatasets
import CultureLensFormats
import Foundation

extension BadRowPolicy: ExpressibleByArgument {}

/// Where a spec suite's data comes from, and what to do with malformed rows (`run`, `score`).
struct DataOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Local data: a directory laid out like the dataset's repo, or a single file (default: the Hugging Face Hub cache)."
    )
    var data: String?

    @Option(
        name: .long,
        help: "Malformed data rows: fail (stop with an error naming file, line and field) or skip (count them)."
    )
    var onBadRow: BadRowPolicy = .fail

    /// Loads the suite named by `argument`, keeping the first `limit` items (whole groups only).
    func resolve(_ argument: String, limit: Int? = nil) async throws -> ResolvedSuite {
        do {
            return try await SuiteResolver.load(argument, data: data, onBadRow: onBadRow).prefix(limit)
        } catch let error as LoadError {
            printError("error: malformed data: \(error)")
            if onBadRow == .fail { printError("(use --on-bad-row skip to leave malformed rows out and count them)") }
            throw ExitCode(1)
        } catch let error as DatasetError {
            printError("error: \(error.message)")
            throw ExitCode(1)
        } catch let error as SpecError {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
    }

    /// Checks a suite argument for `run`, `score` and `robustness`: a usage error (exit 2) names what is wrong.
    func validate(suite argument: String) throws {
        do {
            try SuiteResolver.validate(argument, data: data)
        } catch {
            throw ValidationError(error.message)
        }
    }
}

/// `--samples K --temperature T`: K generated answers per item at temperature T (each its own cached request),
/// for a model distribution where logprobs are unavailable (e.g. GlobalOpinionQA on a chat API).
struct SamplingOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Samples per item at --temperature (generate scoring only); metrics use their histogram."
    )
    var samples: Int = 1

    @Option(name: .long, help: "Sampling temperature when --samples > 1.")
    var temperature: Double = 1.0

    func validate() throws {
        guard (1...1000).contains(samples) else { throw ValidationError("--samples must be 1...1000") }
        if samples > 1, temperature <= 0 { throw ValidationError("--samples > 1 needs --temperature > 0") }
    }

    /// One variant per sample (just the plain prompt without sampling).
    var variants: [PromptVariant] {
        samples > 1 ? (0..<samples).map { PromptVariant(sample: $0) } : [.default]
    }

    /// The temperature of generate requests.
    var requestTemperature: Double { samples > 1 ? temperature : 0 }

    /// Exits with a usage error when sampling was asked for but the scoring mode reads logprobs.
    func check(scoring: ScoringMode) throws {
        if samples > 1, scoring != .generate {
            printError(
                "error: --samples > 1 needs generate scoring (add --scoring generate); logprob scoring already reads the whole distribution"
            )
            throw ExitCode(2)
        }
    }
}
