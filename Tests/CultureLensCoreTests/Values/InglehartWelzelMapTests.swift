import CultureLensAnalysis
import CultureLensFormats
import CultureLensTesting
import Foundation
import Testing

@Suite struct InglehartWelzelMapTests {
    typealias Map = InglehartWelzelMap

    @Test func theProjectionReproducesTheRGroundTruth() {
        let base = Map.project([2, 2, 2, 1, 8, 8, 8, 3, 2, 1])
        #expect(abs(base.x - 1.9708776837) < 1e-9)
        #expect(abs(base.y - 2.109577549) < 1e-9)
        let soup = Map.project([3, 2, 1, 1, 8, 8, 8, 3, 2, 0])
        #expect(abs(soup.x - 1.1615774204) < 1e-9)
        #expect(abs(soup.y - 2.2364509534) < 1e-9)
    }

    @Test func projectingTheMeanEqualsTheMeanOfTheProjections() {
        let a: [Double] = [2, 2, 2, 1, 8, 8, 8, 3, 2, 1]
        let b: [Double] = [3, 2, 1, 1, 8, 8, 8, 3, 2, 0]
        let mean = Map.project(zip(a, b).map { ($0 + $1) / 2 })
        let (pa, pb) = (Map.project(a), Map.project(b))
        #expect(abs(mean.x - (pa.x + pb.x) / 2) < 1e-12)
        #expect(abs(mean.y - (pa.y + pb.y) / 2) < 1e-12)
    }

    @Test func aMissingItemMakesThePointUnplaceableAndSaysWhich() {
        var values = Dictionary(uniqueKeysWithValues: Map.Item.allCases.map { ($0, 2.0) })
        values[.y002] = nil
        let (point, missing) = Map.project(values)
        #expect(point == nil)
        #expect(missing == [.y002])
    }

    @Test func aCountrysOwnPointIsItsNearestNeighbour() throws {
        #expect(Map.countries.count == 107)
        let country = try #require(Map.countries.first)
        let neighbours = Map.neighbours(of: country.point)
        #expect(neighbours.first?.country == country.name)
        #expect(neighbours.first?.distance == 0)
        #expect(neighbours.count == 107)
        #expect(zip(neighbours, neighbours.dropFirst()).allSatisfy { $0.distance <= $1.distance })
    }

    @Test(.requiresTestData("inglehart-welzel")) func theBuiltInTablesEqualTheFiles() throws {
        let table = try CSVTable(contentsOf: TestData.url("inglehart-welzel/coords.csv"))
        let rows = table.rows.map { row in [row["country"] ?? "", row["x"] ?? "", row["y"] ?? ""] }
        #expect(rows.map { $0[0] } == Map.countries.map(\.name))
        #expect(rows.map { Double($0[1]) } == Map.countries.map(\.x))
        #expect(rows.map { Double($0[2]) } == Map.countries.map(\.y))
        let data = try Data(contentsOf: TestData.url("inglehart-welzel/iw_projection_final.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["items"] as? [String] == Map.Item.allCases.map(\.rawValue))
        #expect(json["center"] as? [Double] == Map.center)
        #expect(json["scale"] as? [Double] == Map.scale)
        #expect(json["weights"] as? [[Double]] == Map.weights)
        #expect(json["rc1"] as? [Double] == [Map.rc1.slope, Map.rc1.intercept])
        #expect(json["rc2"] as? [Double] == [Map.rc2.slope, Map.rc2.intercept])
        #expect(json["se"] as? Int == 1 && json["sec"] as? Int == 2)
    }

    @Test(arguments: [
        (Map.Item.f063, "7/10", 7.0), (.f063, "I'd say 3", 3), (.f118, "10", 10), (.f120, "0, then 4", 4),
        (.a008, "2 - Quite happy", 2), (.g006, "Very proud (1)", 1), (.e018, "3", 3),
        (.e025, "B", 2), (.e025, "(C)", 3), (.e025, "I have signed one.", 1), (.e025, "Answer: A", 1),
        (.a165, "B. You need to be very careful", 2), (.a165, "most people can be trusted", 1),
        (.y002, "2, 4", 3), (.y002, "1,3", 1), (.y002, "1, 2", 2), (.y002, "3 then 3 then 1", 1),
        (.y003, "Good manners, Independence, Hard work, Determination, perseverance, Tolerance", 2),
        (.y003, "Religious faith, Obedience, Good manners", -2),
        (.y003, "Independence, Religious faith, Hard work", 0),
        (.y003, "Good manners, Hard work, Imagination", 0),
    ])
    func trickyAnswersScoreAsTaoScoreThem(item: Map.Item, answer: String, expected: Double) throws {
        #expect(try Map.score(item, answer: answer).get() == expected, "\(item) \(answer)")
    }

    @Test(arguments: [
        (Map.Item.f063, "very important", Map.UnscorableAnswer.noNumberInRange(1...10)),
        (.a008, "5", .noNumberInRange(1...4)), (.e025, "maybe", .noOption), (.a165, "it depends", .noOption),
        (.y002, "4", .notTwoGoals), (.y002, "2, 2", .notTwoGoals), (.y003, "Kindness and honesty", .noQuality),
    ])
    func unscorableAnswersSayWhy(item: Map.Item, answer: String, reason: Map.UnscorableAnswer) {
        #expect(Map.score(item, answer: answer) == .failure(reason))
    }
}
