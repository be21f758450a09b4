import CultureLensCore
import CultureLensStatistics
import Foundation
import Testing

/// Reference values from SciPy 1.17 (`jensenshannon`, `entropy`, `wasserstein_distance`).
struct StatisticsDivergenceTests {
    static let p = [0.5, 0.3, 0.2]
    static let q = [0.1, 0.1, 0.8]

    @Test func jensenShannonBaseEAndBase2() throws {
        // scipy.spatial.distance.jensenshannon(p, q) and (…, base=2) return the DISTANCE.
        #expect(abs(try Divergence.jensenShannonDistance(Self.p, Self.q) - 0.44193956284451197) < 1e-15)
        #expect(abs(try Divergence.jensenShannonDistance(Self.p, Self.q, base: .two) - 0.5308235122618308) < 1e-15)
        #expect(abs(try Divergence.jensenShannonDivergence(Self.p, Self.q) - 0.19531057720719835) < 1e-15)
        #expect(abs(try Divergence.jensenShannonDivergence(Self.p, Self.q, base: .two) - 0.281773601169986) < 1e-15)
        // Divergence in bits = divergence in nats / ln 2; distance in bits = distance in nats / √ln 2.
        let nats = try Divergence.jensenShannonDivergence(Self.p, Self.q)
        #expect(abs(try Divergence.jensenShannonDivergence(Self.p, Self.q, base: .two) - nats / log(2)) < 1e-15)
        // Similarity = 1 − distance.
        #expect(abs(try Divergence.jensenShannonSimilarity(Self.p, Self.q) - (1 - 0.44193956284451197)) < 1e-15)
    }

    @Test func inputsAreNormalisedFirst() throws {
        #expect(abs(try Divergence.jensenShannonDistance([5, 3, 2], [1, 1, 8]) - 0.44193956284451197) < 1e-15)
        #expect(try Divergence.normalized([1, 3]) == [0.25, 0.75])
    }

    @Test func extremes() throws {
        #expect(try Divergence.jensenShannonDivergence([1, 0], [1, 0]) == 0)
        #expect(abs(try Divergence.jensenShannonDivergence([1, 0], [0, 1]) - log(2)) < 1e-15)
        #expect(try Divergence.jensenShannonDivergence([1, 0], [0, 1], base: .two) == 1)
        #expect(try Divergence.jensenShannonSimilarity([0, 1], [1, 0], base: .two) == 0)
        #expect(try Divergence.kullbackLeibler([0.5, 0.5], [1, 0]) == .infinity)
    }

    @Test func kullbackLeibler() throws {
        #expect(abs(try Divergence.kullbackLeibler(Self.p, Self.q) - 0.8570437705935048) < 1e-15)
        #expect(abs(try Divergence.kullbackLeibler(Self.p, Self.q, base: .two) - 1.2364527976600277) < 1e-15)
    }

    @Test func wassersteinAndOrdinalSimilarity() throws {
        // CDFs (0.5, 0.8) vs (0.1, 0.2): W₁ = 0.4 + 0.6 = 1.0; similarity 1 − 1/2.
        #expect(abs(try Divergence.wasserstein1(Self.p, Self.q) - 1.0) < 1e-15)
        #expect(abs(try Divergence.ordinalSimilarity(Self.p, Self.q) - 0.5) < 1e-15)
        #expect(try Divergence.ordinalSimilarity([1, 0, 0, 0], [0, 0, 0, 1]) == 0)
        #expect(try Divergence.ordinalSimilarity([0, 1, 0], [0, 1, 0]) == 1)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: StatisticsError.lengthMismatch(expected: 2, actual: 3)) {
            try Divergence.jensenShannonDivergence([1, 0], [1, 0, 0])
        }
        #expect(throws: StatisticsError.zeroMass) { try Divergence.jensenShannonDivergence([0, 0], [1, 0]) }
        #expect(throws: StatisticsError.negativeWeight) { try Divergence.normalized([1, -0.5]) }
        #expect(throws: StatisticsError.nonFiniteValue) { try Divergence.normalized([1, .nan]) }
        #expect(throws: StatisticsError.self) { try Divergence.normalized([]) }
    }
}
