// Platform- and toolchain-independent random draws. The standard library's `Int.random(in:using:)` and
// `shuffle(using:)` are correct but their algorithms are implementation details that may change between Swift
// releases; the statistics layer promises bit-identical output for a given seed, so it draws through these
// helpers, which are fixed here.

extension RandomNumberGenerator {
    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject method; unbiased). O(1) expected.
    package mutating func uniformIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// A uniform double in [0, 1) with 53 random bits. O(1).
    mutating func uniformUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Fisher–Yates shuffle of `array` in place. O(n).
    package mutating func shuffle<T>(_ array: inout [T]) {
        var index = array.count - 1
        while index > 0 {
            let other = uniformIndex(below: index + 1)
            array.swapAt(index, other)
            index -= 1
        }
    }
}

/// Groups labels by first appearance, so that iteration order never depends on hashing (Swift's `Dictionary`
/// order changes from process to process, which would make seeded resampling irreproducible).
struct FirstAppearanceGrouping {
    /// For each element of the input, the index of its group.
    var groupOfElement: [Int]
    /// For each group, the indices of its elements, in input order.
    var members: [[Int]]

    init<Label: Hashable>(_ labels: [Label]) {
        var index: [Label: Int] = [:]
        var groupOfElement: [Int] = []
        groupOfElement.reserveCapacity(labels.count)
        var members: [[Int]] = []
        for (position, label) in labels.enumerated() {
            if let group = index[label] {
                groupOfElement.append(group)
                members[group].append(position)
            } else {
                index[label] = members.count
                groupOfElement.append(members.count)
                members.append([position])
            }
        }
        self.groupOfElement = groupOfElement
        self.members = members
    }
}
