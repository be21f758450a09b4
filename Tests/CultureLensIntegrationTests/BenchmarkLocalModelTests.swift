import CultureLensCore
import CultureLensDatasets
import CultureLensTesting
import Foundation
import Testing

/// BLEnD and CIVICS on the real local model (Gemma 3 270M on llama.cpp, installed by `make setup`) with the real
/// data in `../shared/data`. Serialized: the model takes both cores.
@Suite(.serialized)
struct BenchmarkLocalModelTests {
    static var dataDirectory: String { TestData.directory.path }

    static func run(_ arguments: [String]) async throws -> [String: Any] {
        let home = try CLIProcess.temporaryDirectory("bench-local-home")
        let output = try await CLIProcess.run(
            // The card has its own local-model test (`LocalModelTests`); the model takes both cores.
            arguments + ["--model", "local", "--json", "--no-card"],
            environment: ["CULTURELENS_HOME": home],
            timeout: 900
        )
        #expect(output.status == 0, "\(output.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test(.requiresTestData("blend")) func blendShortAnswersOnTheLocalModel() async throws {
        let document = try await Self.run(["run", "blend-saq", "--data", Self.dataDirectory + "/blend", "--limit", "8"])
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["done"] as? Int == 8)
        let perCulture = try #require(summary["per_culture"] as? [[String: Any]])
        #expect(perCulture.count == 8, "interleaving spreads 8 items over 8 regions")
        for group in perCulture {
            let accuracy = try #require(group["accuracy"] as? [String: Any])
            #expect(accuracy["n"] as? Int == 1)
            #expect(accuracy["ci_low"] is Double && accuracy["ci_high"] is Double)
        }
        let metrics = try #require(document["metrics"] as? [String: Any])
        let data = try #require(metrics["data"] as? [String: Any])
        #expect(data["rows_read"] as? Int == 8000)
        #expect(data["rows_filtered"] as? Int == 578, "the official filter keeps 7,422 of 8,000 questions")
        let breakdowns = try #require(metrics["breakdowns"] as? [String: Any])
        #expect((breakdowns["culture"] as? [[String: Any]])?.count == 8)
    }

    @Test(.requiresTestData("civics")) func civicsAgreementAndRefusalsOnTheLocalModel() async throws {
        let document = try await Self.run(["run", "civics", "--data", Self.dataDirectory + "/civics", "--limit", "12"])
        let metrics = try #require(document["metrics"] as? [String: Any])
        let agreement = try #require(metrics["agreement"] as? [String: Any])
        let pAgree = try #require(agreement["p_agree"] as? [String: Any])
        let value = try #require(pAgree["value"] as? Double)
        #expect((0...1).contains(value))
        let byCulture = try #require((agreement["p_agree_by"] as? [String: Any])?["culture"] as? [[String: Any]])
        #expect(byCulture.count >= 4)
        for group in byCulture {
            let n = group["n"] as? Int ?? 0
            #expect(n >= 1)
            // Below Estimate.minimumBootstrapN statements a group's mean has no interval rather than a [x, x] one.
            #expect((group["ci_low"] is Double && group["ci_high"] is Double) == (n >= Estimate.minimumBootstrapN))
        }
        let refusal = try #require(agreement["refusal_rate"] as? [String: Any])
        #expect(refusal["n"] as? Int ?? 0 >= 1)
    }
}
