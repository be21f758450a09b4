import CultureLensCore
import CultureLensStatistics
import Testing

/// Reference values from SciPy 1.17 (`pearsonr`, `spearmanr`, `kendalltau` τ_b).
struct StatisticsCorrelationTests {
    static let x: [Double] = [1, 2, 2, 3, 4, 4, 4, 5]
    static let y: [Double] = [2, 1, 3, 3, 5, 4, 6, 6]

    @Test func spearmanWithTies() throws {
        #expect(abs(try Correlation.spearman(Self.x, Self.y) - 0.9007775105401477) < 1e-14)
        #expect(abs(try Correlation.spearman([10, 20, 30, 40, 50], [1, 3, 2, 5, 4]) - 0.8) < 1e-14)
    }

    @Test func kendallTauBWithTies() throws {
        #expect(abs(try Correlation.kendallTauB(Self.x, Self.y) - 0.8006407690254358) < 1e-14)
        #expect(abs(try Correlation.kendallTauB([10, 20, 30, 40, 50], [1, 3, 2, 5, 4]) - 0.6) < 1e-14)
    }

    @Test func pearson() throws {
        #expect(abs(try Correlation.pearson(Self.x, Self.y) - 0.8767227853705732) < 1e-14)
        #expect(try Correlation.pearson([1, 2, 3], [3, 2, 1]) == -1)
        #expect(throws: StatisticsError.self) { try Correlation.pearson([1, 1, 1], [1, 2, 3]) }
        #expect(throws: StatisticsError.self) { try Correlation.kendallTauB([1, 1, 1], [1, 2, 3]) }
        #expect(throws: StatisticsError.self) { try Correlation.spearman([1, 2], [1]) }
    }

    @Test func averageRanks() {
        #expect(Correlation.averageRanks([10, 20, 20, 30]) == [1, 2.5, 2.5, 4])
        #expect(Correlation.averageRanks([3, 1, 2]) == [3, 1, 2])
        #expect(Correlation.averageRanks([5, 5, 5]) == [2, 2, 2])
    }
}
