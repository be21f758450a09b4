public import CultureLensCore
import Foundation

/// What models cost per million tokens, from a small JSON file the user edits (`--prices`, default
/// `$CULTURELENS_HOME/prices.json`):
///
/// ```json
/// {"gpt-4o-mini": {"input_per_million": 0.15, "output_per_million": 0.6}}
/// ```
///
/// No prices are built in: providers change them, and a stale built-in price would make `--max-cost` stop at the
/// wrong amount without anyone noticing.
public struct PriceTable: Sendable, Hashable {
    /// A price table that cannot be read; the message names the file and the field.
    public struct Error: Swift.Error, Sendable, Hashable {
        /// What is wrong, and where.
        public var message: String
    }

    /// Prices by model name, exactly as given to `--model`.
    public var prices: [String: RequestBudget.Price]

    /// Creates a table.
    public init(prices: [String: RequestBudget.Price]) { self.prices = prices }

    /// The price of `model`, if the table has it.
    public func price(of model: String) -> RequestBudget.Price? { prices[model] }

    /// Reads the table at `path`.
    /// - Throws: ``Error`` naming `path` and the field (or JSON's own line and column) that is wrong.
    public static func read(path: String) throws -> PriceTable {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Error(message: "\(path): cannot read the price table: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// Parses a table; `path` names it in errors.
    public static func parse(_ data: Data, path: String) throws -> PriceTable {
        let decoded: [String: RequestBudget.Price]
        do {
            decoded = try JSONDecoder().decode([String: RequestBudget.Price].self, from: data)
        } catch DecodingError.keyNotFound(let key, let context) {
            let field = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw Error(message: "\(path): \(field): missing (US dollars per million tokens)")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Error(
                message: field.isEmpty
                    ? "\(path): expected an object of model names, e.g. {\"MODEL\": {\"input_per_million\": 0.15, \"output_per_million\": 0.6}}"
                    : "\(path): \(field): expected a number of US dollars per million tokens"
            )
        } catch {
            throw Error(message: "\(path): not valid JSON: \(error)")
        }
        for (model, price) in decoded.sorted(by: { $0.key < $1.key }) {
            for (key, value) in [
                ("input_per_million", price.inputPerMillion), ("output_per_million", price.outputPerMillion),
            ]
            where !(value >= 0 && value.isFinite) {
                throw Error(message: "\(path): \(model).\(key): must be at least 0")
            }
        }
        return PriceTable(prices: decoded)
    }
}
