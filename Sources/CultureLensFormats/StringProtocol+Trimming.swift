import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: set)` for a whitespace set (`.whitespaces`, `.whitespacesAndNewlines`), without
    /// Foundation's work when there is nothing to trim.
    ///
    /// Every field of every row is trimmed while items are built, nearly always already trimmed, and Foundation's
    /// trimming was a visible part of loading a big file. A string whose first and last scalars are printable
    /// ASCII cannot start or end with a member of either set, so it comes back unchanged; anything else (empty,
    /// spaces, control or non-ASCII characters at either end) goes through Foundation as before.
    package func trimmingWhitespace(_ set: CharacterSet) -> String {
        if let first = unicodeScalars.first, let last = unicodeScalars.last,
            (0x21..<0x7F).contains(first.value), (0x21..<0x7F).contains(last.value)
        {
            return String(self)
        }
        return trimmingCharacters(in: set)
    }
}
