public import Foundation

/// The key convention of the JSON files CultureLens writes: snake_case on disk, camelCase in Swift, with `ID` as
/// the one acronym (`itemID` ↔ `item_id`). `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` already writes
/// `itemID` as `item_id`; `convertFromSnakeCase` would read it back as `itemId`, so reading uses ``decoding``.
///
/// Keys of `[String: V]` dictionaries are data, not names: both strategies leave them as they are.
public enum SnakeCaseKeys {
    /// Reads `item_id` as `itemID`, `per_culture` as `perCulture`, `id` as `id`.
    public static let decoding = JSONDecoder.KeyDecodingStrategy.custom { path in
        AnyCodingKey(camelCase(path.last?.stringValue ?? ""))
    }

    /// `item_id` → `itemID`, `mean_a` → `meanA`; a key without underscores is returned as it is.
    public static func camelCase(_ key: String) -> String {
        guard key.contains("_") else { return key }
        let words = key.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = words.first else { return key }
        var result = String(first)
        for word in words.dropFirst() {
            result += word == "id" ? "ID" : word.prefix(1).uppercased() + word.dropFirst()
        }
        return result
    }

    /// A decoder of snake_case files.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = decoding
        return decoder
    }
}
