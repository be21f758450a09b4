import Foundation

/// Reads Apache Parquet files as Hugging Face and pyarrow write them, into the records the CSV and JSON loaders
/// produce: one ``DataValue/object(_:)`` per row, keyed by column name in schema order.
///
/// What is read:
/// - **Columns**: top-level required and optional columns of every physical type. Values become
///   ``DataValue/bool(_:)`` (BOOLEAN), ``DataValue/number(_:)`` (INT32, INT64, FLOAT, DOUBLE, INT96 as seconds
///   since 1970, DECIMAL scaled, FLOAT16; dates, times and timestamps as their stored number of days or units;
///   INT64 beyond 2^53 loses precision, as in JSON), ``DataValue/string(_:)`` (BYTE_ARRAY and
///   FIXED_LEN_BYTE_ARRAY: annotated strings (STRING, ENUM, JSON) must be valid UTF-8; unannotated binary is text
///   when it is valid UTF-8 and base64 otherwise; UUIDs in their 8-4-4-4-12 form), and ``DataValue/null`` for nulls.
/// - **Lists** of a primitive type (the standard three-level `LIST`, the legacy two-level form, and a bare
///   repeated column) become ``DataValue/array(_:)``, with null elements as ``DataValue/null``.
/// - **Other nested columns** (structs, maps, lists of lists or of structs) are not read: they are left out of the
///   rows and named in ``skippedColumns``.
/// - **Encodings**: PLAIN, PLAIN_DICTIONARY and RLE_DICTIONARY with dictionary pages (including a writer's
///   fallback from dictionary to plain pages within a column chunk), RLE booleans; definition and repetition
///   levels in the RLE / bit-packing hybrid. Data page v1 and v2.
/// - **Compression**: UNCOMPRESSED and SNAPPY. Other codecs (GZIP, ZSTD, BROTLI, LZ4...) are reported by name when
///   the file is opened.
///
/// Nothing in the file is trusted: every offset, length and count is checked before it is used, so a truncated or
/// corrupt file gives a ``LoadError`` naming the file, the column and what is wrong, never a trap. To bound memory
/// on crafted files, a file may hold at most ``maximumRowsPerByte`` rows per byte (at least 2^20 rows).
///
/// ```swift
/// let rows = try ParquetReader(contentsOf: url).rows()
/// // rows[0]["question"]?.text
/// ```
public struct ParquetReader: Sendable {
    /// A column read into the rows.
    public struct Column: Sendable, Hashable {
        /// The column's name (the row key).
        public var name: String
        /// The physical type, with its annotation if any, e.g. `BYTE_ARRAY (STRING)`.
        public var type: String
        /// Whether values may be null.
        public var isOptional: Bool
        /// Whether values are lists (``DataValue/array(_:)``).
        public var isList: Bool
    }

    /// A leaf of the schema: one column chunk in each row group.
    struct Leaf: Sendable {
        var path: [String]
        var type: PhysicalType
        var typeLength: Int
        var maxDefinition: Int
        var maxRepetition: Int
        var kind: ValueKind
    }

    /// How values of a leaf become ``DataValue``s.
    enum ValueKind: Sendable, Hashable {
        case boolean
        case integer(unsigned: Bool, scale: Int32)
        case int96
        case float
        case double
        /// Annotated text: must be UTF-8.
        case text
        /// Unannotated binary: text when UTF-8, else base64.
        case bytes
        case decimalBytes(scale: Int32)
        case uuid
        case float16
    }

    /// How a top-level column is assembled from its leaf.
    enum Shape: Sendable, Hashable {
        case scalar
        /// A list; a definition level below `definedAt` means a null list, equal to it an empty list.
        case list(definedAt: Int)
    }

    /// A column of the rows: its leaf and shape.
    struct ReadColumn: Sendable {
        var column: Column
        var leaf: Int
        var shape: Shape
    }

    /// A malformed file (the public API wraps it into a ``LoadError``).
    struct FormatError: Error, Sendable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// Most rows accepted per byte of file: far above what text data compresses to, low enough that a crafted
    /// footer cannot make the reader allocate without bound.
    public static let maximumRowsPerByte = 64

    static let magic: [UInt8] = Array("PAR1".utf8)
    static let encryptedMagic: [UInt8] = Array("PARE".utf8)
    /// Deepest schema nesting accepted.
    static let maximumSchemaDepth = 32

    /// The file name used in errors.
    public let file: String
    /// The columns read into the rows, in schema order.
    public let columns: [Column]
    /// Top-level columns left out of the rows because their nesting is not read (see the type's discussion).
    public let skippedColumns: [String]
    /// The number of rows.
    public let rowCount: Int
    /// The number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }
    /// The writer, as the footer names it (e.g. `parquet-cpp-arrow version 17.0.0`).
    public var createdBy: String? { metadata.createdBy }

    let bytes: [UInt8]
    /// Where the footer starts: column data lies before it.
    let dataEnd: Int
    let metadata: FileMetaData
    let leaves: [Leaf]
    let readColumns: [ReadColumn]

    /// Opens a file held in memory: checks the magic bytes, reads the footer and the schema.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - file: The name used in errors.
    /// - Throws: ``LoadError`` when the file is not Parquet, is truncated, its footer is corrupt, or it uses a
    ///   compression codec that is not read.
    public init(bytes: [UInt8], file: String) throws(LoadError) {
        self.bytes = bytes
        self.file = file
        let size = bytes.count
        guard size >= 12 else {
            let what =
                bytes.starts(with: Self.magic) || Self.magic.starts(with: bytes)
                ? "truncated Parquet file" : "not a Parquet file"
            throw LoadError(
                file: file,
                message: "\(what): \(size) bytes, less than the 12 of the magic bytes and the footer length"
            )
        }
        guard bytes.starts(with: Self.magic) else {
            throw LoadError(file: file, message: "not a Parquet file: it does not start with the magic bytes PAR1")
        }
        let tail = Array(bytes[(size - 4)...])
        guard tail == Self.magic else {
            if tail == Self.encryptedMagic {
                throw LoadError(file: file, message: "encrypted Parquet files (footer magic PARE) are not supported")
            }
            throw LoadError(
                file: file,
                message: "truncated or corrupt Parquet file: it does not end with the magic bytes PAR1 "
                    + "(was the download cut short?)"
            )
        }
        var lengthCursor = ByteCursor(bytes, range: (size - 8)..<(size - 4))
        let footerLength = Int((try? lengthCursor.readLittleEndian(4)) ?? 0)
        guard footerLength > 0, footerLength <= size - 12 else {
            throw LoadError(
                file: file,
                message: "corrupt footer: its length \(footerLength) does not fit in the file's \(size) bytes"
            )
        }
        dataEnd = size - 8 - footerLength
        do throws(FormatError) {
            var reader = ThriftCompactReader(ByteCursor(bytes, range: dataEnd..<(size - 8)))
            metadata = try FileMetaData(reading: &reader)
        } catch {
            throw LoadError(file: file, message: "corrupt footer (FileMetaData): \(error.message)")
        }
        do throws(ColumnError) {
            let (leaves, readColumns, skipped) = try Self.schema(metadata.schema)
            self.leaves = leaves
            self.readColumns = readColumns
            self.skippedColumns = skipped
            self.columns = readColumns.map(\.column)
            rowCount = try Self.validate(metadata, leaves: leaves, readColumns: readColumns, fileSize: size)
        } catch {
            throw LoadError(file: file, field: error.column, message: error.message)
        }
    }

    /// Reads a file and opens it (see ``init(bytes:file:)``).
    /// - Parameters:
    ///   - url: The file.
    ///   - file: The name used in errors (default: the path).
    public init(contentsOf url: URL, file: String? = nil) throws(LoadError) {
        let name = file ?? url.path
        let data = try LoadError.contents(of: url, file: name)
        try self.init(bytes: Array(data), file: name)
    }

    /// Decodes every row.
    /// - Returns: One object per row, keyed by the names of ``columns`` in order.
    /// - Throws: ``LoadError`` naming the file, the column and the row group when a page is malformed or uses an
    ///   encoding that is not read.
    public func rows() throws(LoadError) -> [DataValue] {
        var rows: [DataValue] = []
        rows.reserveCapacity(rowCount)
        var firstRow = 0
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            let count = Int(group.numRows)
            var values: [[DataValue]] = []
            for column in readColumns {
                do throws(FormatError) {
                    // `validate` checked that every read column has its metadata.
                    guard let chunk = group.columns[column.leaf].metaData else {
                        throw FormatError("the column chunk has no metadata")
                    }
                    values.append(try readColumn(chunk, leaf: leaves[column.leaf], shape: column.shape, rows: count))
                } catch {
                    throw LoadError(
                        file: file,
                        field: column.column.name,
                        message: "row group \(groupIndex) (rows \(firstRow)..<\(firstRow + count)): \(error.message)"
                    )
                }
            }
            for row in 0..<count {
                rows.append(.object(readColumns.indices.map { (readColumns[$0].column.name, values[$0][row]) }))
            }
            firstRow += count
        }
        return rows
    }
}

// MARK: - Schema

extension ParquetReader {
    /// A schema node with its children.
    private struct Node {
        var element: SchemaElement
        var children: [Node]
        var repetition: Repetition
    }

    /// An error about one column.
    struct ColumnError: Error {
        var column: String?
        var message: String
    }

    /// The leaves in column-chunk order, the columns read, and the names of those skipped.
    fileprivate static func schema(
        _ elements: [SchemaElement]
    ) throws(ColumnError) -> (leaves: [Leaf], columns: [ReadColumn], skipped: [String]) {
        guard let rootElement = elements.first else {
            throw ColumnError(message: "corrupt footer: the schema is empty")
        }
        var index = 1
        var children: [Node] = []
        do throws(FormatError) {
            for _ in 0..<(try childCount(rootElement, available: elements.count - 1)) {
                children.append(try node(elements, &index, depth: 1))
            }
        } catch {
            throw ColumnError(message: "corrupt schema: \(error.message)")
        }
        guard index == elements.count else {
            throw ColumnError(
                message: "corrupt schema: the root has \(children.count) children, but \(elements.count - index) "
                    + "schema elements are left over"
            )
        }

        var leaves: [Leaf] = []
        var columns: [ReadColumn] = []
        var skipped: [String] = []
        for child in children {
            let first = leaves.count
            do throws(FormatError) {
                try collectLeaves(child, path: [], definition: 0, repetition: 0, into: &leaves)
            } catch {
                throw ColumnError(column: child.element.name, message: "corrupt schema: \(error.message)")
            }
            let added = first..<leaves.count
            if let shape = shape(of: child), added.count == 1 {
                let leaf = leaves[first]
                let isOptional: Bool
                if case .list(let definedAt) = shape {
                    isOptional = definedAt > 0
                } else {
                    isOptional = leaf.maxDefinition > 0
                }
                let column = Column(
                    name: child.element.name,
                    type: describe(leaf),
                    isOptional: isOptional,
                    isList: shape != .scalar
                )
                columns.append(ReadColumn(column: column, leaf: first, shape: shape))
            } else {
                skipped.append(child.element.name)
            }
        }
        return (leaves, columns, skipped)
    }

    private static func childCount(_ element: SchemaElement, available: Int) throws(FormatError) -> Int {
        let count = Int(element.numChildren ?? 0)
        guard count >= 0, count <= available else {
            throw FormatError(
                "element '\(element.name)' claims \(count) children, but \(available) elements follow"
            )
        }
        return count
    }

    private static func node(_ elements: [SchemaElement], _ index: inout Int, depth: Int) throws(FormatError) -> Node {
        guard depth <= maximumSchemaDepth else {
            throw FormatError("nested deeper than \(maximumSchemaDepth) levels")
        }
        guard index < elements.count else { throw FormatError("fewer elements than the groups announce") }
        let element = elements[index]
        index += 1
        let repetition = Repetition(rawValue: element.repetition ?? 0)
        guard let repetition else {
            throw FormatError("element '\(element.name)' has unknown repetition \(element.repetition ?? 0)")
        }
        var children: [Node] = []
        let count = try childCount(element, available: elements.count - index)
        if count == 0, element.type == nil {
            throw FormatError("element '\(element.name)' has neither a type nor children")
        }
        for _ in 0..<count { children.append(try node(elements, &index, depth: depth + 1)) }
        return Node(element: element, children: children, repetition: repetition)
    }

    private static func collectLeaves(
        _ node: Node,
        path: [String],
        definition: Int,
        repetition: Int,
        into leaves: inout [Leaf]
    ) throws(FormatError) {
        let path = path + [node.element.name]
        let definition = definition + (node.repetition == .required ? 0 : 1)
        let repetition = repetition + (node.repetition == .repeated ? 1 : 0)
        guard node.children.isEmpty else {
            for child in node.children {
                try collectLeaves(child, path: path, definition: definition, repetition: repetition, into: &leaves)
            }
            return
        }
        let rawType = node.element.type ?? -1
        guard let type = PhysicalType(rawValue: rawType) else {
            throw FormatError("column '\(path.joined(separator: "."))' has unknown physical type \(rawType)")
        }
        var typeLength = 0
        if type == .fixedLenByteArray {
            typeLength = Int(node.element.typeLength ?? -1)
            guard typeLength >= 0 else {
                throw FormatError("FIXED_LEN_BYTE_ARRAY column '\(path.joined(separator: "."))' has no valid length")
            }
        }
        leaves.append(
            Leaf(
                path: path,
                type: type,
                typeLength: typeLength,
                maxDefinition: definition,
                maxRepetition: repetition,
                kind: valueKind(node.element, type: type)
            )
        )
    }

    /// How a top-level node is read, or `nil` when it is skipped.
    private static func shape(of node: Node) -> Shape? {
        if node.children.isEmpty {
            return node.repetition == .repeated ? .list(definedAt: 0) : .scalar
        }
        // LIST (or unannotated) group → one repeated child, which is either the element (two-level) or a group
        // holding exactly one primitive element (three-level).
        guard node.repetition != .repeated, node.children.count == 1 else { return nil }
        let repeated = node.children[0]
        guard repeated.repetition == .repeated else { return nil }
        let definedAt = node.repetition == .optional ? 1 : 0
        if repeated.children.isEmpty { return .list(definedAt: definedAt) }
        guard repeated.children.count == 1, repeated.children[0].children.isEmpty,
            repeated.children[0].repetition != .repeated
        else { return nil }
        return .list(definedAt: definedAt)
    }

    /// The value kind from the logical type, or the legacy converted type.
    private static func valueKind(_ element: SchemaElement, type: PhysicalType) -> ValueKind {
        // Converted types (parquet.thrift ConvertedType): UTF8 0, ENUM 4, DECIMAL 5, UINT_8...UINT_64 11...14,
        // JSON 19.
        let converted = element.convertedType
        let decimalScale: Int32? =
            if case .decimal(let scale) = element.logicalType { scale } else if converted == 5 {
                element.scale ?? 0
            } else { nil }
        switch type {
        case .boolean: return .boolean
        case .int32, .int64:
            var unsigned = false
            if case .integer(_, let signed) = element.logicalType { unsigned = !signed }
            if let converted, (11...14).contains(converted) { unsigned = true }
            return .integer(unsigned: unsigned, scale: decimalScale ?? 0)
        case .int96: return .int96
        case .float: return .float
        case .double: return .double
        case .byteArray, .fixedLenByteArray:
            if let decimalScale { return .decimalBytes(scale: decimalScale) }
            switch element.logicalType {
            case .string, .enumeration, .json: return .text
            case .uuid where type == .fixedLenByteArray && element.typeLength == 16: return .uuid
            case .float16 where type == .fixedLenByteArray && element.typeLength == 2: return .float16
            default: break
            }
            if let converted, [0, 4, 19].contains(converted) { return .text }
            return .bytes
        }
    }

    private static func describe(_ leaf: Leaf) -> String {
        let annotation: String? =
            switch leaf.kind {
            case .text: "STRING"
            case .decimalBytes: "DECIMAL"
            case .integer(_, let scale) where scale != 0: "DECIMAL"
            case .integer(true, _): "UNSIGNED"
            case .uuid: "UUID"
            case .float16: "FLOAT16"
            default: nil
            }
        return leaf.type.name + (annotation.map { " (\($0))" } ?? "")
    }

    /// The most rows (and value slots per column chunk) a file of `fileSize` bytes may claim.
    static func maximumRows(fileSize: Int) -> Int {
        max(1 << 20, fileSize.multipliedReportingOverflow(by: maximumRowsPerByte).partialValue)
    }

    /// Checks the footer against the schema and the file; returns the row count.
    fileprivate static func validate(
        _ metadata: FileMetaData,
        leaves: [Leaf],
        readColumns: [ReadColumn],
        fileSize: Int
    ) throws(ColumnError) -> Int {
        let maximumRows = maximumRows(fileSize: fileSize)
        guard metadata.numRows >= 0, metadata.numRows <= Int64(maximumRows) else {
            throw ColumnError(
                message: "corrupt footer: it claims \(metadata.numRows) rows in a file of \(fileSize) bytes"
            )
        }
        var total: Int64 = 0
        for (groupIndex, group) in metadata.rowGroups.enumerated() {
            guard group.numRows >= 0, group.numRows <= metadata.numRows - total else {
                throw ColumnError(
                    message: "corrupt footer: row group \(groupIndex) claims \(group.numRows) rows, more than the "
                        + "file's \(metadata.numRows) rows leave"
                )
            }
            total += group.numRows
            guard group.columns.count == leaves.count else {
                throw ColumnError(
                    message: "corrupt footer: row group \(groupIndex) has \(group.columns.count) column chunks, the "
                        + "schema \(leaves.count) columns"
                )
            }
            for column in readColumns {
                let leaf = leaves[column.leaf]
                let chunk = group.columns[column.leaf]
                let name = column.column.name
                guard chunk.filePath == nil else {
                    throw ColumnError(
                        column: name,
                        message: "row group \(groupIndex): the column's data is in another file "
                            + "(\(chunk.filePath ?? "")), which is not supported"
                    )
                }
                guard let meta = chunk.metaData else {
                    throw ColumnError(
                        column: name,
                        message: "row group \(groupIndex): the column chunk has no metadata (encrypted column?)"
                    )
                }
                guard meta.path == leaf.path, meta.type == leaf.type.rawValue else {
                    throw ColumnError(
                        column: name,
                        message: "corrupt footer: row group \(groupIndex)'s chunk is for '"
                            + meta.path.joined(separator: ".") + "', the schema expects '"
                            + leaf.path.joined(separator: ".") + "' (\(leaf.type.name))"
                    )
                }
                guard meta.codec == Codec.uncompressed || meta.codec == Codec.snappy else {
                    throw ColumnError(
                        column: name,
                        message: "compression codec \(Codec.name(meta.codec)) is not supported (CultureLens reads "
                            + "UNCOMPRESSED and SNAPPY Parquet; rewrite the file with pyarrow's default Snappy "
                            + "compression, or convert it to CSV or JSONL)"
                    )
                }
            }
        }
        guard total == metadata.numRows else {
            throw ColumnError(
                message: "corrupt footer: the row groups hold \(total) rows, the file claims \(metadata.numRows)"
            )
        }
        return Int(total)
    }
}
