/// Reads values in Apache Thrift's compact protocol, the encoding of Parquet's footer (`FileMetaData`) and page
/// headers.
///
/// Structs are read field by field: ``beginStruct()``, then ``nextField()`` until it returns `nil` (the stop field),
/// handling the known field ids and passing the rest to ``skip(_:)``, so that fields added by newer writers are
/// ignored. Every length and count is checked against the bytes left, and nesting is limited to
/// ``maximumDepth``, so that a corrupt footer gives an error instead of a trap, a huge allocation or a stack
/// overflow.
struct ThriftCompactReader {
    /// The compact protocol's wire types.
    enum WireType: UInt8, CustomStringConvertible {
        case stop = 0
        case boolTrue = 1
        case boolFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case `struct` = 12

        var description: String {
            switch self {
            case .stop: "stop"
            case .boolTrue, .boolFalse: "bool"
            case .byte: "byte"
            case .i16: "i16"
            case .i32: "i32"
            case .i64: "i64"
            case .double: "double"
            case .binary: "binary"
            case .list: "list"
            case .set: "set"
            case .map: "map"
            case .struct: "struct"
            }
        }
    }

    /// One field header: its id and wire type.
    struct Field {
        var id: Int16
        var type: WireType
    }

    /// Deepest nesting of structs and containers accepted; Parquet's own metadata nests about eight deep.
    static let maximumDepth = 32

    /// Where the bytes are read.
    var cursor: ByteCursor
    /// The last field id of each open struct (field ids are written as deltas from it).
    private var lastFieldIDs: [Int16] = []
    /// Open structs and containers.
    private var depth = 0

    /// A reader starting at the cursor's position.
    init(_ cursor: ByteCursor) {
        self.cursor = cursor
    }

    typealias Failure = ParquetReader.FormatError

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw Failure("Thrift data nested deeper than \(Self.maximumDepth) levels at byte \(cursor.position)")
        }
    }

    private mutating func leave() { depth -= 1 }

    // MARK: Structs

    /// Starts reading a struct.
    mutating func beginStruct() throws(Failure) {
        try enter()
        lastFieldIDs.append(0)
    }

    /// The next field's header, or `nil` at the struct's stop field (which ends the struct).
    mutating func nextField() throws(Failure) -> Field? {
        let start = cursor.position
        let header = try cursor.readByte()
        guard let type = WireType(rawValue: header & 0x0F) else {
            throw Failure("unknown Thrift field type \(header & 0x0F) at byte \(start)")
        }
        if type == .stop {
            _ = lastFieldIDs.popLast()
            leave()
            return nil
        }
        let delta = Int16(header >> 4)
        let id: Int16
        if delta == 0 {
            id = try readI16()
        } else {
            id = (lastFieldIDs.last ?? 0) &+ delta
        }
        if !lastFieldIDs.isEmpty { lastFieldIDs[lastFieldIDs.count - 1] = id }
        return Field(id: id, type: type)
    }

    // MARK: Scalars

    private mutating func readZigZag(bits: Int, _ what: String) throws(Failure) -> Int64 {
        let start = cursor.position
        let raw = try cursor.readVarint()
        guard bits == 64 || raw >> UInt64(bits) == 0 else {
            throw Failure("\(what) at byte \(start) does not fit in \(bits) bits")
        }
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads an i16 (zigzag varint).
    mutating func readI16() throws(Failure) -> Int16 {
        Int16(truncatingIfNeeded: try readZigZag(bits: 16, "an i16"))
    }

    /// Reads an i32 (zigzag varint).
    mutating func readI32() throws(Failure) -> Int32 {
        Int32(truncatingIfNeeded: try readZigZag(bits: 32, "an i32"))
    }

    /// Reads an i64 (zigzag varint).
    mutating func readI64() throws(Failure) -> Int64 {
        try readZigZag(bits: 64, "an i64")
    }

    /// Reads a bool field: in the compact protocol its value is the field header's type.
    func readBool(_ field: Field) -> Bool { field.type == .boolTrue }

    /// Reads a binary value (a varint length, then the bytes).
    mutating func readBinary() throws(Failure) -> ArraySlice<UInt8> {
        let start = cursor.position
        let length = try cursor.readVarint()
        guard length <= UInt64(cursor.remaining) else {
            throw Failure(
                "a Thrift string at byte \(start) claims \(length) bytes, but only \(cursor.remaining) are left"
            )
        }
        return try cursor.readBytes(Int(length))
    }

    /// Reads a string (binary holding UTF-8).
    mutating func readString() throws(Failure) -> String {
        let start = cursor.position
        let bytes = try readBinary()
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure("a Thrift string at byte \(start) is not valid UTF-8")
        }
        return text
    }

    // MARK: Containers

    /// Reads a list (or set) header: the element type and count. The count is checked against the bytes left
    /// (every element takes at least one byte), so that callers may reserve it.
    mutating func readListHeader() throws(Failure) -> (type: WireType, count: Int) {
        let start = cursor.position
        let header = try cursor.readByte()
        guard let type = WireType(rawValue: header & 0x0F), type != .stop else {
            throw Failure("unknown Thrift list element type \(header & 0x0F) at byte \(start)")
        }
        var count = UInt64(header >> 4)
        if count == 15 { count = try cursor.readVarint() }
        guard count <= UInt64(cursor.remaining) else {
            throw Failure(
                "a Thrift list at byte \(start) claims \(count) elements, but only \(cursor.remaining) bytes are left"
            )
        }
        return (type, Int(count))
    }

    /// Reads a list whose elements have wire type `expected`, each with `element`.
    mutating func readList<Element>(
        of expected: WireType,
        _ element: (inout ThriftCompactReader) throws(Failure) -> Element
    ) throws(Failure) -> [Element] {
        let start = cursor.position
        let (type, count) = try readListHeader()
        let compatible = type == expected || (expected == .boolTrue && type == .boolFalse)
        guard compatible || count == 0 else {
            throw Failure("a Thrift list at byte \(start) holds \(type) elements where \(expected) was expected")
        }
        try enter()
        defer { leave() }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count { elements.append(try element(&self)) }
        return elements
    }

    // MARK: Skipping

    /// Skips a value of wire type `type` (a field this reader does not use).
    mutating func skip(_ type: WireType) throws(Failure) {
        switch type {
        case .stop:
            throw Failure("unexpected Thrift stop type at byte \(cursor.position)")
        case .boolTrue, .boolFalse:
            // A bool field's value is in its header; nothing follows.
            break
        case .byte:
            try cursor.skip(1)
        case .i16, .i32, .i64:
            _ = try cursor.readVarint()
        case .double:
            try cursor.skip(8)
        case .binary:
            _ = try readBinary()
        case .list, .set:
            let (elementType, count) = try readListHeader()
            try enter()
            defer { leave() }
            for _ in 0..<count { try skipElement(elementType) }
        case .map:
            let start = cursor.position
            let count = try cursor.readVarint()
            guard count <= UInt64(cursor.remaining) else {
                throw Failure(
                    "a Thrift map at byte \(start) claims \(count) entries, but only \(cursor.remaining) bytes are left"
                )
            }
            guard count > 0 else { return }
            let types = try cursor.readByte()
            guard let keyType = WireType(rawValue: types >> 4), let valueType = WireType(rawValue: types & 0x0F),
                keyType != .stop, valueType != .stop
            else {
                throw Failure("unknown Thrift map entry types \(types) at byte \(start)")
            }
            try enter()
            defer { leave() }
            for _ in 0..<count {
                try skipElement(keyType)
                try skipElement(valueType)
            }
        case .struct:
            try beginStruct()
            while let field = try nextField() { try skip(field.type) }
        }
    }

    /// Skips one container element: unlike fields, a bool element is one byte.
    private mutating func skipElement(_ type: WireType) throws(Failure) {
        if type == .boolTrue || type == .boolFalse {
            try cursor.skip(1)
        } else {
            try skip(type)
        }
    }
}
