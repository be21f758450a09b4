import Crypto
import Foundation

/// Content hashing for cache keys and spec hashes.
public enum Hashing {
    /// Lower-case hex SHA-256 of `data`.
    public static func sha256Hex(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// Lower-case hex of a finished digest.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Canonical JSON: sorted keys, no escaped slashes, so equal values always give equal bytes.
public enum CanonicalJSON {
    /// One encoder for every call: each item's request body and cache key are encoded with it, and the
    /// options never change, so there is no reason to build a new one each time.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Encodes `value` canonically. Encoding our own value types cannot fail; a failure is a programming error.
    public static func encode(_ value: some Encodable) -> Data {
        do {
            return try encoder.encode(value)
        } catch {
            preconditionFailure("canonical JSON encoding failed: \(error)")
        }
    }
}
