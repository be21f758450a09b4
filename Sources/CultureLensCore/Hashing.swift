import Crypto
import Foundation

/// Content hashing for cache keys and spec hashes.
public enum Hashing {
    /// Lower-case hex SHA-256 of `data`.
    public static func sha256Hex(of data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Canonical JSON: sorted keys, no escaped slashes, so equal values always give equal bytes.
public enum CanonicalJSON {
    /// Encodes `value` canonically. Encoding our own value types cannot fail; a failure is a programming error.
    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            preconditionFailure("canonical JSON encoding failed: \(error)")
        }
    }
}
