import Foundation

/// A dataset file could not be loaded: names the file, where in it (physical line, or row index for formats without
/// lines), the field, and what was wrong.
///
/// `description` reads like a compiler diagnostic:
/// `data.csv:17: field 'selections': expected ']' at offset 40 (line 1, column 41)`, or with a row index
/// `civics_dataset.json: row 12: field 'Topic': expected String, found a number`.
public struct LoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (a path or a display name).
    public var file: String
    /// The 1-based physical line where the offending record starts, if the format has lines.
    public var line: Int?
    /// The 0-based row (record) index, for formats without meaningful lines (a JSON array).
    public var row: Int?
    /// The field (column name, or a coding path such as `choices[2]`), if the error concerns one field.
    public var field: String?
    /// What was wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, row: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.row = row
        self.field = field
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ":"
        if line == nil, let row { text += " row \(row):" }
        if let field { text += " field '\(field)':" }
        return text + " " + message
    }
}

extension LoadError {
    /// Reads a whole data file, turning an I/O failure into a `LoadError` naming `file`.
    package static func contents(of url: URL, file: String) throws(LoadError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw LoadError(file: file, message: "cannot read the file: \(error.localizedDescription)")
        }
    }
}
