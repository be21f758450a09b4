// The parts of Parquet's Thrift metadata (`parquet.thrift` in apache/parquet-format) that the reader uses, decoded
// from the compact protocol. Field ids are the specification's; fields not listed are skipped, so newer writers'
// additions (statistics, indexes, bloom filters, size statistics) are ignored.

extension ParquetReader {
    /// Parquet's physical (storage) types.
    enum PhysicalType: Int32, Sendable, Hashable {
        case boolean = 0
        case int32 = 1
        case int64 = 2
        case int96 = 3
        case float = 4
        case double = 5
        case byteArray = 6
        case fixedLenByteArray = 7

        /// The specification's name.
        var name: String {
            switch self {
            case .boolean: "BOOLEAN"
            case .int32: "INT32"
            case .int64: "INT64"
            case .int96: "INT96"
            case .float: "FLOAT"
            case .double: "DOUBLE"
            case .byteArray: "BYTE_ARRAY"
            case .fixedLenByteArray: "FIXED_LEN_BYTE_ARRAY"
            }
        }
    }

    /// A schema node's repetition.
    enum Repetition: Int32, Sendable, Hashable {
        case required = 0
        case optional = 1
        case repeated = 2
    }

    /// The logical-type annotations the reader interprets (the rest are read as their physical type).
    enum LogicalType: Sendable, Hashable {
        case string
        case map
        case list
        case enumeration
        case decimal(scale: Int32)
        case integer(bitWidth: Int8, signed: Bool)
        case json
        case uuid
        case float16
        case other(Int16)
    }

    /// Value encodings (`Encoding` in the specification).
    enum Encoding {
        static let plain: Int32 = 0
        static let plainDictionary: Int32 = 2
        static let rle: Int32 = 3
        static let bitPacked: Int32 = 4
        static let rleDictionary: Int32 = 8

        static func name(_ value: Int32) -> String {
            switch value {
            case 0: "PLAIN"
            case 2: "PLAIN_DICTIONARY"
            case 3: "RLE"
            case 4: "BIT_PACKED"
            case 5: "DELTA_BINARY_PACKED"
            case 6: "DELTA_LENGTH_BYTE_ARRAY"
            case 7: "DELTA_BYTE_ARRAY"
            case 8: "RLE_DICTIONARY"
            case 9: "BYTE_STREAM_SPLIT"
            default: "unknown encoding \(value)"
            }
        }
    }

    /// Compression codecs (`CompressionCodec` in the specification).
    enum Codec {
        static let uncompressed: Int32 = 0
        static let snappy: Int32 = 1

        static func name(_ value: Int32) -> String {
            switch value {
            case 0: "UNCOMPRESSED"
            case 1: "SNAPPY"
            case 2: "GZIP"
            case 3: "LZO"
            case 4: "BROTLI"
            case 5: "LZ4"
            case 6: "ZSTD"
            case 7: "LZ4_RAW"
            default: "unknown codec \(value)"
            }
        }
    }

    /// Page types (`PageType` in the specification).
    enum PageType {
        static let dataPage: Int32 = 0
        static let indexPage: Int32 = 1
        static let dictionaryPage: Int32 = 2
        static let dataPageV2: Int32 = 3
    }

    /// `SchemaElement`: one node of the schema, flattened depth-first.
    struct SchemaElement: Sendable {
        var type: Int32?
        var typeLength: Int32?
        var repetition: Int32?
        var name: String
        var numChildren: Int32?
        var convertedType: Int32?
        var scale: Int32?
        var logicalType: LogicalType?

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var name: String?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .i32): type = try reader.readI32()
                case (2, .i32): typeLength = try reader.readI32()
                case (3, .i32): repetition = try reader.readI32()
                case (4, .binary): name = try reader.readString()
                case (5, .i32): numChildren = try reader.readI32()
                case (6, .i32): convertedType = try reader.readI32()
                case (7, .i32): scale = try reader.readI32()
                case (10, .struct): logicalType = try Self.readLogicalType(&reader)
                default: try reader.skip(field.type)
                }
            }
            self.name = try required(name, "name", of: "SchemaElement")
        }

        /// `LogicalType` is a union: a struct with one field, whose id names the type.
        static func readLogicalType(_ reader: inout ThriftCompactReader) throws(FormatError) -> LogicalType? {
            var result: LogicalType?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .struct): result = .string
                case (2, .struct): result = .map
                case (3, .struct): result = .list
                case (4, .struct): result = .enumeration
                case (12, .struct): result = .json
                case (14, .struct): result = .uuid
                case (15, .struct): result = .float16
                case (5, .struct):
                    var scale: Int32 = 0
                    try reader.beginStruct()
                    while let inner = try reader.nextField() {
                        if inner.id == 1, inner.type == .i32 {
                            scale = try reader.readI32()
                        } else {
                            try reader.skip(inner.type)
                        }
                    }
                    result = .decimal(scale: scale)
                    continue
                case (10, .struct):
                    var bitWidth: Int8 = 64
                    var signed = true
                    try reader.beginStruct()
                    while let inner = try reader.nextField() {
                        switch (inner.id, inner.type) {
                        case (1, .byte): bitWidth = Int8(bitPattern: try reader.cursor.readByte())
                        case (2, .boolTrue), (2, .boolFalse): signed = reader.readBool(inner)
                        default: try reader.skip(inner.type)
                        }
                    }
                    result = .integer(bitWidth: bitWidth, signed: signed)
                    continue
                default: result = .other(field.id)
                }
                try reader.skip(field.type)
            }
            return result
        }
    }

    /// `FileMetaData`: the footer.
    struct FileMetaData: Sendable {
        var schema: [SchemaElement]
        var numRows: Int64
        var rowGroups: [RowGroup]
        var createdBy: String?

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var schema: [SchemaElement]?
            var numRows: Int64?
            var rowGroups: [RowGroup]?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (2, .list):
                    schema = try reader.readList(of: .struct) { r throws(FormatError) in try SchemaElement(reading: &r)
                    }
                case (3, .i64): numRows = try reader.readI64()
                case (4, .list):
                    rowGroups = try reader.readList(of: .struct) { r throws(FormatError) in try RowGroup(reading: &r) }
                case (6, .binary): createdBy = try? reader.readString()
                default: try reader.skip(field.type)
                }
            }
            self.schema = try required(schema, "schema", of: "FileMetaData")
            self.numRows = try required(numRows, "num_rows", of: "FileMetaData")
            self.rowGroups = try required(rowGroups, "row_groups", of: "FileMetaData")
        }
    }

    /// `RowGroup`.
    struct RowGroup: Sendable {
        var columns: [ColumnChunk]
        var numRows: Int64

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var columns: [ColumnChunk]?
            var numRows: Int64?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .list):
                    columns = try reader.readList(of: .struct) { r throws(FormatError) in try ColumnChunk(reading: &r) }
                case (3, .i64): numRows = try reader.readI64()
                default: try reader.skip(field.type)
                }
            }
            self.columns = try required(columns, "columns", of: "RowGroup")
            self.numRows = try required(numRows, "num_rows", of: "RowGroup")
        }
    }

    /// `ColumnChunk`.
    struct ColumnChunk: Sendable {
        var filePath: String?
        var metaData: ColumnMetaData?

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .binary): filePath = try reader.readString()
                case (3, .struct): metaData = try ColumnMetaData(reading: &reader)
                default: try reader.skip(field.type)
                }
            }
        }
    }

    /// `ColumnMetaData`.
    struct ColumnMetaData: Sendable {
        var type: Int32
        var path: [String]
        var codec: Int32
        var numValues: Int64
        var totalCompressedSize: Int64
        var dataPageOffset: Int64
        var dictionaryPageOffset: Int64?

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var type: Int32?
            var path: [String]?
            var codec: Int32?
            var numValues: Int64?
            var totalCompressedSize: Int64?
            var dataPageOffset: Int64?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .i32): type = try reader.readI32()
                case (3, .list): path = try reader.readList(of: .binary) { r throws(FormatError) in try r.readString() }
                case (4, .i32): codec = try reader.readI32()
                case (5, .i64): numValues = try reader.readI64()
                case (7, .i64): totalCompressedSize = try reader.readI64()
                case (9, .i64): dataPageOffset = try reader.readI64()
                case (11, .i64): dictionaryPageOffset = try reader.readI64()
                default: try reader.skip(field.type)
                }
            }
            self.type = try required(type, "type", of: "ColumnMetaData")
            self.path = try required(path, "path_in_schema", of: "ColumnMetaData")
            self.codec = try required(codec, "codec", of: "ColumnMetaData")
            self.numValues = try required(numValues, "num_values", of: "ColumnMetaData")
            self.totalCompressedSize = try required(totalCompressedSize, "total_compressed_size", of: "ColumnMetaData")
            self.dataPageOffset = try required(dataPageOffset, "data_page_offset", of: "ColumnMetaData")
        }
    }

    /// `PageHeader` with the headers of the page types the reader decodes.
    struct PageHeader: Sendable {
        var type: Int32
        var uncompressedSize: Int32
        var compressedSize: Int32
        var dataPage: DataPageHeader?
        var dictionaryPage: DictionaryPageHeader?
        var dataPageV2: DataPageHeaderV2?

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var type: Int32?
            var uncompressedSize: Int32?
            var compressedSize: Int32?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .i32): type = try reader.readI32()
                case (2, .i32): uncompressedSize = try reader.readI32()
                case (3, .i32): compressedSize = try reader.readI32()
                case (5, .struct): dataPage = try DataPageHeader(reading: &reader)
                case (7, .struct): dictionaryPage = try DictionaryPageHeader(reading: &reader)
                case (8, .struct): dataPageV2 = try DataPageHeaderV2(reading: &reader)
                default: try reader.skip(field.type)
                }
            }
            self.type = try required(type, "type", of: "PageHeader")
            self.uncompressedSize = try required(uncompressedSize, "uncompressed_page_size", of: "PageHeader")
            self.compressedSize = try required(compressedSize, "compressed_page_size", of: "PageHeader")
        }
    }

    /// `DataPageHeader` (data page v1).
    struct DataPageHeader: Sendable {
        var numValues: Int32
        var encoding: Int32
        var definitionLevelEncoding: Int32
        var repetitionLevelEncoding: Int32

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var numValues: Int32?
            var encoding: Int32?
            var definitionLevelEncoding: Int32?
            var repetitionLevelEncoding: Int32?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .i32): numValues = try reader.readI32()
                case (2, .i32): encoding = try reader.readI32()
                case (3, .i32): definitionLevelEncoding = try reader.readI32()
                case (4, .i32): repetitionLevelEncoding = try reader.readI32()
                default: try reader.skip(field.type)
                }
            }
            self.numValues = try required(numValues, "num_values", of: "DataPageHeader")
            self.encoding = try required(encoding, "encoding", of: "DataPageHeader")
            self.definitionLevelEncoding = try required(
                definitionLevelEncoding,
                "definition_level_encoding",
                of: "DataPageHeader"
            )
            self.repetitionLevelEncoding = try required(
                repetitionLevelEncoding,
                "repetition_level_encoding",
                of: "DataPageHeader"
            )
        }
    }

    /// `DictionaryPageHeader`.
    struct DictionaryPageHeader: Sendable {
        var numValues: Int32
        var encoding: Int32

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var numValues: Int32?
            var encoding: Int32?
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .i32): numValues = try reader.readI32()
                case (2, .i32): encoding = try reader.readI32()
                default: try reader.skip(field.type)
                }
            }
            self.numValues = try required(numValues, "num_values", of: "DictionaryPageHeader")
            self.encoding = try required(encoding, "encoding", of: "DictionaryPageHeader")
        }
    }

    /// `DataPageHeaderV2`: levels are stored uncompressed before the (possibly compressed) values.
    struct DataPageHeaderV2: Sendable {
        var numValues: Int32
        var numNulls: Int32
        var numRows: Int32
        var encoding: Int32
        var definitionLevelsByteLength: Int32
        var repetitionLevelsByteLength: Int32
        var isCompressed: Bool

        init(reading reader: inout ThriftCompactReader) throws(FormatError) {
            var numValues: Int32?
            var numNulls: Int32?
            var numRows: Int32?
            var encoding: Int32?
            var definitionLevelsByteLength: Int32?
            var repetitionLevelsByteLength: Int32?
            isCompressed = true
            try reader.beginStruct()
            while let field = try reader.nextField() {
                switch (field.id, field.type) {
                case (1, .i32): numValues = try reader.readI32()
                case (2, .i32): numNulls = try reader.readI32()
                case (3, .i32): numRows = try reader.readI32()
                case (4, .i32): encoding = try reader.readI32()
                case (5, .i32): definitionLevelsByteLength = try reader.readI32()
                case (6, .i32): repetitionLevelsByteLength = try reader.readI32()
                case (7, .boolTrue), (7, .boolFalse): isCompressed = reader.readBool(field)
                default: try reader.skip(field.type)
                }
            }
            let name = "DataPageHeaderV2"
            self.numValues = try required(numValues, "num_values", of: name)
            self.numNulls = try required(numNulls, "num_nulls", of: name)
            self.numRows = try required(numRows, "num_rows", of: name)
            self.encoding = try required(encoding, "encoding", of: name)
            self.definitionLevelsByteLength = try required(
                definitionLevelsByteLength,
                "definition_levels_byte_length",
                of: name
            )
            self.repetitionLevelsByteLength = try required(
                repetitionLevelsByteLength,
                "repetition_levels_byte_length",
                of: name
            )
        }
    }
}

/// `value`, or an error naming the missing required Thrift field.
private func required<T>(_ value: T?, _ field: String, of structure: String) throws(ParquetReader.FormatError) -> T {
    guard let value else { throw ParquetReader.FormatError("\(structure) lacks its required field \(field)") }
    return value
}
