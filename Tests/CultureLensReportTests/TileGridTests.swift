import CultureLensCore
import Testing

@testable import CultureLensReport

struct TileGridTests {
    @Test func everyCultureIsPlacedExactlyOnce() {
        let placed = WorldTileGrid.positions
        let missing = CultureCatalog.all.map(\.code).filter { placed[$0] == nil }
        #expect(missing.isEmpty, "not on the map: \(missing)")
        let unknown = placed.keys.filter { CultureCatalog.culture(for: $0)?.code != $0 }
        #expect(unknown.isEmpty, "codes on the map that are not in the catalog: \(unknown.sorted())")
        var cells: [WorldTileGrid.Position: String] = [:]
        for (code, position) in placed {
            if let other = cells[position] { Issue.record("\(code) and \(other) share a tile") }
            cells[position] = code
        }
        // Each code appears once in the text, so `positions` (a dictionary) lost nothing.
        let tokens = WorldTileGrid.rows.flatMap { $0.split(separator: " ") }.filter { $0 != ".." }
        #expect(tokens.count == placed.count)
        #expect(tokens.count == CultureCatalog.all.count)
    }

    @Test func rowsAreWellFormed() {
        for (index, row) in WorldTileGrid.rows.enumerated() {
            #expect(
                row.split(separator: " ", omittingEmptySubsequences: false).allSatisfy { $0.count == 2 },
                "row \(index)"
            )
        }
    }

    @Test func regionsTouchTheirCountry() {
        for culture in CultureCatalog.all where culture.isSubnational {
            guard let country = culture.country, let a = WorldTileGrid.positions[culture.code],
                let b = WorldTileGrid.positions[country]
            else {
                Issue.record("\(culture.code) or its country is not placed")
                continue
            }
            let distance = max(abs(a.column - b.column), abs(a.row - b.row))
            #expect(distance == 1, "\(culture.code) is \(distance) tiles from \(country)")
        }
    }

    @Test func roughGeography() {
        func at(_ code: String) -> WorldTileGrid.Position { WorldTileGrid.positions[code]! }
        // West to east, north to south, in the large.
        #expect(at("US").column < at("FR").column)
        #expect(at("FR").column < at("IN").column)
        #expect(at("IN").column < at("JP").column)
        #expect(at("JP").column < at("FJ").column)
        #expect(at("NO").row < at("IT").row)
        #expect(at("IT").row < at("NG").row)
        #expect(at("NG").row < at("ZA").row)
        #expect(at("CA").row < at("MX").row)
        #expect(at("MX").row < at("BR").row)
        #expect(at("BR").row < at("AR").row)
        #expect(at("AU").row > at("ID").row)
    }

    @Test func labels() {
        #expect(WorldTileGrid.label(for: CultureCatalog.culture(for: "JP")!) == "JP")
        #expect(WorldTileGrid.label(for: CultureCatalog.culture(for: "GB-SCT")!) == "SCT")
        #expect(WorldTileGrid.label(for: CultureCatalog.culture(for: "JP-47")!) == "OKI")
        #expect(WorldTileGrid.label(for: CultureCatalog.culture(for: "IQ-KR")!) == "KRD")
        // No two tiles share a label, so a region never reads as a country.
        var seen: [String: String] = [:]
        for culture in CultureCatalog.all {
            let label = WorldTileGrid.label(for: culture)
            #expect(label.count <= 3, "\(culture.code) → \(label)")
            if let other = seen[label] { Issue.record("\(culture.code) and \(other) are both labelled \(label)") }
            seen[label] = culture.code
        }
    }
}
