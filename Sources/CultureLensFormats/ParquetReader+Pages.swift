import Foundation

// Column chunks: pages, levels, encodings and value conversion.

extension ParquetReader {
    /// The levels and non-null values of one column chunk.
    struct ChunkData {
        /// Definition levels, one per value slot (empty when the column has none).
        var definitions: [UInt8] = []
        /// Repetition levels, one per value slot (empty when the column has none).
        var repetitions: [UInt8] = []
        /// The values present (slots whose definition level is the maximum).
        var values: [DataValue] = []
    }

    /// One top-level column of one row group, one value per row.
    func readColumn(_ chunk: ColumnMetaData, leaf: Leaf, shape: Shape, rows: Int) throws(FormatError) -> [DataValue] {
        let slots = chunk.numValues
        guard slots >= 0, slots <= Int64(Self.maximumRows(fileSize: bytes.count)),
            shape != .scalar || slots == Int64(rows)
        else {
            throw FormatError("the column chunk claims \(slots) values for \(rows) rows")
        }
        let data = try readChunk(chunk, leaf: leaf, slots: Int(slots))
        switch shape {
        case .scalar:
            guard leaf.maxDefinition > 0 else {
                guard data.values.count == rows else {
                    throw FormatError("the column chunk holds \(data.values.count) values for \(rows) rows")
                }
                return data.values
            }
            var result: [DataValue] = []
            result.reserveCapacity(rows)
            var next = 0
            for level in data.definitions {
                if Int(level) == leaf.maxDefinition {
                    guard next < data.values.count else { throw FormatError("fewer values than definition levels") }
                    result.append(data.values[next])
                    next += 1
                } else {
                    result.append(.null)
                }
            }
            return result
        case .list(let definedAt):
            return try assembleLists(data, leaf: leaf, definedAt: definedAt, rows: rows)
        }
    }

    /// Rows of lists from levels: repetition 0 starts a row; a definition level below `definedAt` is a null list,
    /// equal to it an empty list, above it an element (null unless it is the maximum).
    private func assembleLists(
        _ data: ChunkData,
        leaf: Leaf,
        definedAt: Int,
        rows: Int
    ) throws(FormatError) -> [DataValue] {
        guard data.definitions.count == data.repetitions.count else {
            throw FormatError(
                "\(data.definitions.count) definition levels but \(data.repetitions.count) repetition levels"
            )
        }
        var result: [DataValue] = []
        result.reserveCapacity(rows)
        var current: [DataValue]?
        var started = false
        var next = 0
        for (definition, repetition) in zip(data.definitions, data.repetitions) {
            let definition = Int(definition)
            if repetition == 0 {
                if started { result.append(current.map(DataValue.array) ?? .null) }
                started = true
                current = definition < definedAt ? nil : []
            } else if !started || current == nil || definition <= definedAt {
                throw FormatError("a repeated value continues a list that was not started")
            }
            guard definition > definedAt else { continue }
            if definition == leaf.maxDefinition {
                guard next < data.values.count else { throw FormatError("fewer values than definition levels") }
                current?.append(data.values[next])
                next += 1
            } else {
                current?.append(.null)
            }
        }
        if started { result.append(current.map(DataValue.array) ?? .null) }
        guard result.count == rows else {
            throw FormatError("the column chunk holds \(result.count) rows, the row group \(rows)")
        }
        return result
    }

    /// Reads a column chunk's pages until `slots` levels (values including nulls) are read.
    func readChunk(_ chunk: ColumnMetaData, leaf: Leaf, slots: Int) throws(FormatError) -> ChunkData {
        var start = chunk.dataPageOffset
        // The dictionary page comes first when there is one; some writers store 0 for "none".
        if let dictionaryOffset = chunk.dictionaryPageOffset, dictionaryOffset > 0, dictionaryOffset < start {
            start = dictionaryOffset
        }
        guard start >= Int64(Self.magic.count), start < Int64(dataEnd) else {
            throw FormatError("the column chunk's offset \(start) is outside the file's data (bytes 4..<\(dataEnd))")
        }
        var cursor = ByteCursor(bytes, range: Int(start)..<dataEnd)
        var data = ChunkData()
        var dictionary: [DataValue]?
        var read = 0
        while read < slots {
            let pageStart = cursor.position
            do throws(FormatError) {
                var thrift = ThriftCompactReader(cursor)
                let header = try PageHeader(reading: &thrift)
                cursor = thrift.cursor
                guard header.compressedSize >= 0, header.uncompressedSize >= 0 else {
                    throw FormatError(
                        "negative page size (\(header.compressedSize) compressed, "
                            + "\(header.uncompressedSize) uncompressed)"
                    )
                }
                let body = try cursor.readRange(Int(header.compressedSize), "the page body")
                switch header.type {
                case PageType.dictionaryPage:
                    guard let dictionaryHeader = header.dictionaryPage else {
                        throw FormatError("dictionary page without a dictionary page header")
                    }
                    guard dictionary == nil, read == 0 else {
                        throw FormatError("a second dictionary page, or one after data pages")
                    }
                    let encoding = dictionaryHeader.encoding
                    guard encoding == Encoding.plain || encoding == Encoding.plainDictionary else {
                        throw FormatError("dictionary page encoded as \(Encoding.name(encoding)), expected PLAIN")
                    }
                    let count = Int(dictionaryHeader.numValues)
                    guard count >= 0 else { throw FormatError("dictionary page with \(count) values") }
                    var page = try decompress(body, codec: chunk.codec, uncompressedSize: Int(header.uncompressedSize))
                    dictionary = try decodePlain(&page, count: count, leaf: leaf)
                case PageType.dataPage:
                    guard let pageHeader = header.dataPage else {
                        throw FormatError("data page without a data page header")
                    }
                    let count = try pageValueCount(pageHeader.numValues, read: read, slots: slots)
                    var page = try decompress(body, codec: chunk.codec, uncompressedSize: Int(header.uncompressedSize))
                    if leaf.maxRepetition > 0 {
                        try requireRLELevels(pageHeader.repetitionLevelEncoding, "repetition")
                        var levels = try lengthPrefixed(&page, "repetition levels")
                        data.repetitions += try decodeLevels(&levels, count: count, maximum: leaf.maxRepetition)
                    }
                    var present = count
                    if leaf.maxDefinition > 0 {
                        try requireRLELevels(pageHeader.definitionLevelEncoding, "definition")
                        var levels = try lengthPrefixed(&page, "definition levels")
                        present = try appendDefinitions(&levels, count: count, leaf: leaf, to: &data)
                    }
                    data.values += try decodeValues(
                        &page,
                        encoding: pageHeader.encoding,
                        count: present,
                        dictionary: dictionary,
                        leaf: leaf
                    )
                    read += count
                case PageType.dataPageV2:
                    guard let pageHeader = header.dataPageV2 else {
                        throw FormatError("data page v2 without a data page v2 header")
                    }
                    let count = try pageValueCount(pageHeader.numValues, read: read, slots: slots)
                    let repetitionLength = Int(pageHeader.repetitionLevelsByteLength)
                    let definitionLength = Int(pageHeader.definitionLevelsByteLength)
                    guard repetitionLength >= 0, definitionLength >= 0,
                        repetitionLength + definitionLength <= body.count
                    else {
                        throw FormatError(
                            "level lengths \(repetitionLength) + \(definitionLength) do not fit in the page's "
                                + "\(body.count) bytes"
                        )
                    }
                    // Levels are never compressed in v2 pages; only the values after them may be.
                    let repetitionRange = body.lowerBound..<(body.lowerBound + repetitionLength)
                    let definitionRange = repetitionRange.upperBound..<(repetitionRange.upperBound + definitionLength)
                    if leaf.maxRepetition > 0 {
                        var levels = ByteCursor(bytes, range: repetitionRange)
                        data.repetitions += try decodeLevels(&levels, count: count, maximum: leaf.maxRepetition)
                    }
                    var present = count
                    if leaf.maxDefinition > 0 {
                        var levels = ByteCursor(bytes, range: definitionRange)
                        present = try appendDefinitions(&levels, count: count, leaf: leaf, to: &data)
                    }
                    let valuesRange = definitionRange.upperBound..<body.upperBound
                    var page =
                        pageHeader.isCompressed
                        ? try decompress(
                            valuesRange,
                            codec: chunk.codec,
                            uncompressedSize: Int(header.uncompressedSize) - repetitionLength - definitionLength
                        )
                        : ByteCursor(bytes, range: valuesRange)
                    data.values += try decodeValues(
                        &page,
                        encoding: pageHeader.encoding,
                        count: present,
                        dictionary: dictionary,
                        leaf: leaf
                    )
                    read += count
                default:
                    // Index pages, and page types newer than this reader: not needed for the values.
                    continue
                }
            } catch {
                throw FormatError("page at byte \(pageStart): \(error.message)")
            }
        }
        return data
    }

    private func pageValueCount(_ numValues: Int32, read: Int, slots: Int) throws(FormatError) -> Int {
        guard numValues >= 0, Int(numValues) <= slots - read else {
            throw FormatError(
                "the page claims \(numValues) values, but the column chunk has \(slots - read) of its \(slots) left"
            )
        }
        return Int(numValues)
    }

    private func requireRLELevels(_ encoding: Int32, _ kind: String) throws(FormatError) {
        guard encoding == Encoding.rle else {
            throw FormatError("\(kind) levels encoded as \(Encoding.name(encoding)) are not supported (only RLE)")
        }
    }

    /// Decodes a page's definition levels into `data` and returns how many of its `count` slots hold a value
    /// (a v1 and a v2 page differ only in where the levels are).
    private func appendDefinitions(
        _ levels: inout ByteCursor,
        count: Int,
        leaf: Leaf,
        to data: inout ChunkData
    ) throws(FormatError) -> Int {
        let definitions = try decodeLevels(&levels, count: count, maximum: leaf.maxDefinition)
        data.definitions += definitions
        return definitions.count(where: { Int($0) == leaf.maxDefinition })
    }

    /// A data page v1 level section: a 4-byte little-endian length, then that many bytes.
    private func lengthPrefixed(_ page: inout ByteCursor, _ what: String) throws(FormatError) -> ByteCursor {
        let length = Int(try page.readLittleEndian(4))
        let range = try page.readRange(length, what)
        return ByteCursor(page.bytes, range: range)
    }

    /// The page's bytes after decompression, as a cursor.
    private func decompress(_ range: Range<Int>, codec: Int32, uncompressedSize: Int) throws(FormatError) -> ByteCursor
    {
        switch codec {
        case Codec.uncompressed:
            return ByteCursor(bytes, range: range)
        case Codec.snappy:
            guard uncompressedSize >= 0 else { throw FormatError("negative uncompressed size \(uncompressedSize)") }
            do {
                return ByteCursor(try Snappy.decompress(bytes[range], expectedLength: uncompressedSize))
            } catch {
                throw FormatError("Snappy: \(error.message)")
            }
        default:
            throw FormatError("compression codec \(Codec.name(codec)) is not supported")
        }
    }

    private func decodeLevels(_ cursor: inout ByteCursor, count: Int, maximum: Int) throws(FormatError) -> [UInt8] {
        let levels = try Self.decodeHybrid(&cursor, bitWidth: Self.bitWidth(maximum), count: count)
        var result: [UInt8] = []
        result.reserveCapacity(count)
        for level in levels {
            guard level <= UInt32(maximum) else {
                throw FormatError("level \(level) exceeds the column's maximum \(maximum)")
            }
            result.append(UInt8(level))
        }
        return result
    }

    /// Bits needed to store `maximum`.
    static func bitWidth(_ maximum: Int) -> Int {
        maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
    }

    // MARK: - Encodings

    private func decodeValues(
        _ page: inout ByteCursor,
        encoding: Int32,
        count: Int,
        dictionary: [DataValue]?,
        leaf: Leaf
    ) throws(FormatError) -> [DataValue] {
        switch encoding {
        case Encoding.plain:
            return try decodePlain(&page, count: count, leaf: leaf)
        case Encoding.plainDictionary, Encoding.rleDictionary:
            guard let dictionary else {
                throw FormatError("dictionary-encoded values, but the column chunk has no dictionary page")
            }
            // A page of nulls only may hold no index data at all.
            guard count > 0 else { return [] }
            let width = Int(try page.readByte())
            let indices = try Self.decodeHybrid(&page, bitWidth: width, count: count)
            var values: [DataValue] = []
            values.reserveCapacity(count)
            for index in indices {
                guard Int(index) < dictionary.count else {
                    throw FormatError(
                        "dictionary index \(index) is outside the dictionary's \(dictionary.count) values"
                    )
                }
                values.append(dictionary[Int(index)])
            }
            return values
        case Encoding.rle where leaf.type == .boolean:
            guard count > 0 else { return [] }
            var run = try lengthPrefixed(&page, "RLE booleans")
            return try Self.decodeHybrid(&run, bitWidth: 1, count: count).map { bit throws(FormatError) in
                guard bit <= 1 else { throw FormatError("RLE boolean value \(bit)") }
                return .bool(bit == 1)
            }
        default:
            throw FormatError(
                "values encoded as \(Encoding.name(encoding)) are not supported (PLAIN and dictionary encodings are)"
            )
        }
    }

    /// Decodes `count` values of the RLE / bit-packing hybrid: runs, each a varint header whose low bit says
    /// bit-packed (groups of eight values, `header >> 1` groups, LSB first) or RLE (`header >> 1` repeats of a value
    /// stored in whole bytes, little-endian).
    static func decodeHybrid(_ cursor: inout ByteCursor, bitWidth: Int, count: Int) throws(FormatError) -> [UInt32] {
        guard (0...32).contains(bitWidth) else { throw FormatError("bit width \(bitWidth) exceeds 32") }
        var values: [UInt32] = []
        values.reserveCapacity(count)
        while values.count < count {
            let header = try cursor.readVarint()
            let wanted = count - values.count
            if header & 1 == 0 {
                let value = try cursor.readLittleEndian((bitWidth + 7) / 8)
                let run = Int(clamping: header >> 1)
                values.append(contentsOf: repeatElement(UInt32(truncatingIfNeeded: value), count: min(run, wanted)))
            } else {
                let groups = Int(clamping: header >> 1)
                let available = groups.multipliedReportingOverflow(by: 8)
                let taken = available.overflow ? wanted : min(available.partialValue, wanted)
                let range = try cursor.readRange((taken * bitWidth + 7) / 8, "bit-packed values")
                let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
                for index in 0..<taken {
                    let bit = index * bitWidth
                    let first = range.lowerBound + bit >> 3
                    var word: UInt64 = 0
                    // At most five bytes hold a value of up to 32 bits at any bit offset.
                    for byte in 0..<((bit & 7) + bitWidth + 7) / 8 where first + byte < range.upperBound {
                        word |= UInt64(cursor.bytes[first + byte]) << (8 * UInt64(byte))
                    }
                    values.append(UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask))
                }
                // The run's padding after the values needed (as far as the data goes).
                let declared = groups.multipliedReportingOverflow(by: bitWidth)
                let rest = (declared.overflow ? Int.max : declared.partialValue) - range.count
                try cursor.skip(min(max(rest, 0), cursor.remaining))
            }
        }
        return values
    }

    /// Decodes `count` PLAIN values.
    func decodePlain(_ cursor: inout ByteCursor, count: Int, leaf: Leaf) throws(FormatError) -> [DataValue] {
        let width: Int =
            switch leaf.type {
            case .boolean: 0
            case .int32, .float: 4
            case .int64, .double: 8
            case .int96: 12
            case .byteArray: 4
            case .fixedLenByteArray: leaf.typeLength
            }
        // Every value takes at least `width` bytes (booleans a bit), so the count is checked before reserving.
        let needed = leaf.type == .boolean ? (count + 7) / 8 : count.multipliedReportingOverflow(by: width).partialValue
        guard count >= 0, needed <= cursor.remaining, count <= cursor.remaining * 8 else {
            throw FormatError("\(count) \(leaf.type.name) values need more than the \(cursor.remaining) bytes left")
        }
        var values: [DataValue] = []
        values.reserveCapacity(count)
        switch leaf.type {
        case .boolean:
            let range = try cursor.readRange((count + 7) / 8)
            for index in 0..<count {
                values.append(.bool(cursor.bytes[range.lowerBound + index >> 3] >> UInt8(index & 7) & 1 == 1))
            }
        case .int32:
            for _ in 0..<count {
                let raw = UInt32(truncatingIfNeeded: try cursor.readLittleEndian(4))
                values.append(.number(Self.integer(unsigned: UInt64(raw), signed: Int64(Int32(bitPattern: raw)), leaf)))
            }
        case .int64:
            for _ in 0..<count {
                let raw = try cursor.readLittleEndian(8)
                values.append(.number(Self.integer(unsigned: raw, signed: Int64(bitPattern: raw), leaf)))
            }
        case .int96:
            for _ in 0..<count {
                let nanoseconds = try cursor.readLittleEndian(8)
                let julianDay = try cursor.readLittleEndian(4)
                // Impala/Hive timestamps: nanoseconds of the day and the Julian day (2440588 is 1970-01-01).
                values.append(.number((Double(julianDay) - 2_440_588) * 86_400 + Double(nanoseconds) / 1e9))
            }
        case .float:
            for _ in 0..<count {
                values.append(
                    .number(Double(Float(bitPattern: UInt32(truncatingIfNeeded: try cursor.readLittleEndian(4)))))
                )
            }
        case .double:
            for _ in 0..<count {
                values.append(.number(Double(bitPattern: try cursor.readLittleEndian(8))))
            }
        case .byteArray:
            for _ in 0..<count {
                let length = Int(try cursor.readLittleEndian(4))
                values.append(try Self.binary(try cursor.readBytes(length, "a BYTE_ARRAY value"), leaf.kind))
            }
        case .fixedLenByteArray:
            for _ in 0..<count {
                values.append(
                    try Self.binary(try cursor.readBytes(leaf.typeLength, "a FIXED_LEN_BYTE_ARRAY value"), leaf.kind)
                )
            }
        }
        return values
    }

    // MARK: - Values

    private static func integer(unsigned: UInt64, signed: Int64, _ leaf: Leaf) -> Double {
        guard case .integer(let isUnsigned, let scale) = leaf.kind else { return Double(signed) }
        let value = isUnsigned ? Double(unsigned) : Double(signed)
        return scale == 0 ? value : value / pow(10, Double(scale))
    }

    /// A binary value by the column's kind.
    private static func binary(_ bytes: ArraySlice<UInt8>, _ kind: ValueKind) throws(FormatError) -> DataValue {
        switch kind {
        case .text:
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw FormatError("a string value is not valid UTF-8")
            }
            return .string(text)
        case .decimalBytes(let scale):
            // Big-endian two's complement.
            var value = 0.0
            for byte in bytes { value = value * 256 + Double(byte) }
            if let first = bytes.first, first & 0x80 != 0 { value -= pow(2, Double(8 * bytes.count)) }
            return .number(value / pow(10, Double(scale)))
        case .uuid where bytes.count == 16:
            let hex = bytes.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }
            let groups = [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }
            return .string(groups.joined(separator: "-"))
        case .float16 where bytes.count == 2:
            guard let low = bytes.first, let high = bytes.last else { return .null }
            return .number(halfToDouble(UInt16(high) << 8 | UInt16(low)))
        default:
            if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
            return .string(Data(bytes).base64EncodedString())
        }
    }

    /// An IEEE 754 half-precision value.
    private static func halfToDouble(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = Double(bits & 0x03FF)
        switch exponent {
        case 0: return sign * fraction * pow(2, -24)
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * pow(2, Double(exponent - 15))
        }
    }
}
