/// The Inglehart–Welzel cultural map as Tao et al. (PNAS Nexus 2024) place a language model on it: ten survey items
/// answered by the model, standardised with the human survey's means and SDs, scored with the weights of the human
/// PCA and rescaled to the map's two axes.
///
/// Parameters: Tao et al.'s R export (`iw_projection_final.json`) via Project Tapestry (The-AI-Alliance/tapestry @
/// ba61118), CDLA-Permissive-2.0. The projection reproduces R's ground truth to 1e-9 (`InglehartWelzelMapTests`).
///
/// The projection is affine, so the projection of the mean answer vector over the descriptor variants equals the
/// mean of the variants' points: averaging first (as Tao do) or after gives the same point.
public enum InglehartWelzelMap {
    /// One of the ten items, in the order of every vector below.
    public enum Item: String, Sendable, Hashable, Codable, CaseIterable {
        /// Feeling of happiness (1 very happy … 4 not at all happy).
        case a008
        /// Most people can be trusted (1) or one needs to be very careful (2).
        case a165
        /// Greater respect for authority: 1 good, 2 don't mind, 3 bad.
        case e018
        /// Signing a petition: 1 have done, 2 might do, 3 would never do.
        case e025
        /// Importance of God (1 not at all … 10 very).
        case f063
        /// Homosexuality justifiable (1 never … 10 always).
        case f118
        /// Abortion justifiable (1 never … 10 always).
        case f120
        /// National pride (1 very proud … 4 not at all proud).
        case g006
        /// Post-materialist index: 1 materialist, 2 mixed, 3 post-materialist.
        case y002
        /// Autonomy index, −2 … 2.
        case y003
    }

    /// A point on the map.
    public struct Point: Sendable, Hashable, Codable {
        /// RC1: survival (−) to self-expression (+) values.
        public var x: Double
        /// RC2: traditional (−) to secular-rational (+) values.
        public var y: Double

        /// Euclidean distance on the map.
        public func distance(to other: Point) -> Double {
            ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
        }
    }

    /// A country's human survey point.
    public struct Country: Sendable, Hashable, Codable {
        /// Name as in Tao et al.'s table.
        public var name: String
        /// RC1 coordinate.
        public var x: Double
        /// RC2 coordinate.
        public var y: Double

        /// The point.
        public var point: Point { Point(x: x, y: y) }
    }

    /// A country and its distance from a point.
    public struct Neighbour: Sendable, Hashable, Codable {
        /// The country.
        public var country: String
        /// Distance on the map.
        public var distance: Double
    }

    /// Human means of the ten items (WVS + EVS respondents), in ``Item`` order.
    public static let center: [Double] = [
        1.8943346824, 1.7249291681, 1.5375948814, 2.1269639031, 7.1949652909, 3.9094104719, 3.8423957313,
        1.5694507646, 1.7972968314, 0.19721005786,
    ]
    /// Human SDs of the ten items, in ``Item`` order.
    public static let scale: [Double] = [
        0.71428942794, 0.44655054645, 0.72791694544, 0.82373260626, 3.2116353258, 3.3945220392, 3.0616139885,
        0.73247264575, 0.61878304245, 1.1374858635,
    ]
    /// Scoring weights of the human PCA: per item, [self-expression, secular].
    public static let weights: [[Double]] = [
        [-0.23807309806, 0.49269801609], [-0.2251712732, 0.1488361647], [-0.014293231158, 0.32860123575],
        [-0.27281863433, 0.12800336475], [-0.18470853804, -0.21524790046], [0.31012187775, -0.010659178321],
        [0.2628449143, 0.090593025901], [-0.082774181417, 0.49177541639], [0.1796722504, -0.080708482322],
        [0.15181160734, 0.18147842385],
    ]
    /// RC1 = slope × self-expression score + intercept.
    public static let rc1 = (slope: 1.81, intercept: 0.38)
    /// RC2 = slope × secular score + intercept.
    public static let rc2 = (slope: 1.61, intercept: -0.01)

    /// Places a vector of the ten item values (in ``Item`` order) on the map.
    /// - Precondition: `values` has ten entries.
    public static func project(_ values: [Double]) -> Point {
        precondition(values.count == Item.allCases.count, "the map needs all ten items")
        var selfExpression = 0.0
        var secular = 0.0
        for index in values.indices {
            let z = (values[index] - center[index]) / scale[index]
            selfExpression += z * weights[index][0]
            secular += z * weights[index][1]
        }
        return Point(x: rc1.slope * selfExpression + rc1.intercept, y: rc2.slope * secular + rc2.intercept)
    }

    /// Places item values keyed by item; `nil` (with the missing items) when any of the ten is absent, since a
    /// point needs all of them: the caller reports it as not placeable rather than imputing.
    public static func project(_ values: [Item: Double]) -> (point: Point?, missing: [Item]) {
        let missing = Item.allCases.filter { values[$0] == nil }
        guard missing.isEmpty else { return (nil, missing) }
        return (project(Item.allCases.map { values[$0]! }), [])
    }

    /// Every country by distance from `point`, nearest first (ties by name).
    public static func neighbours(of point: Point) -> [Neighbour] {
        countries.map { Neighbour(country: $0.name, distance: point.distance(to: $0.point)) }
            .sorted { ($0.distance, $0.country) < ($1.distance, $1.country) }
    }

    /// A country of the table by name.
    public static func country(named name: String) -> Country? {
        countries.first { $0.name == name }
    }
}
