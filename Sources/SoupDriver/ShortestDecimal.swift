import SoupPlatform

/// The digits PostgreSQL's `float8out` prints for a double: the shortest decimal that reads
/// back to it, as PostgreSQL's copy of Ryu finds it.
///
/// Swift's `description` gives the shortest decimal too, but may give one that lies exactly
/// half an ulp from the value: it still reads back (the tie goes to the even mantissa), and
/// Ryu as PostgreSQL builds it (without `STRICTLY_SHORTEST`) never takes such a bound. There
/// the next digit count is used, rounded correctly, as Ryu does.
public struct ShortestDecimal: Sendable {
    /// The significant digits as ASCII, the first non-zero, no trailing zeros.
    public let digits: [UInt8]
    /// The power of ten of the first digit.
    public let exponent: Int

    /// The shortest decimal of a finite, non-zero `magnitude`.
    public init(_ magnitude: Double) {
        precondition(magnitude.isFinite && magnitude > 0)
        var (digits, exponent) = Self.parse(Array(magnitude.description.utf8))
        if Self.liesOnBound(digits, exponent, of: magnitude) {
            for count in (digits.count + 1)...17 {
                let longer = Self.rounded(magnitude, digits: count)
                if Double(String(decoding: Self.scientific(longer.digits, longer.exponent), as: UTF8.self)) == magnitude,
                    !Self.liesOnBound(longer.digits, longer.exponent, of: magnitude)
                {
                    (digits, exponent) = longer
                    break
                }
            }
        }
        self.digits = digits
        self.exponent = exponent
    }

    /// Appends the decimal like `float8out`: fixed notation for exponents from -4 to 14, else
    /// `d.ddde+XX`.
    public func write(negative: Bool, to out: inout [UInt8]) {
        if negative { out.append(UInt8(ascii: "-")) }
        if exponent < -4 || exponent >= 15 {
            out += Self.scientific(digits, exponent)
        } else if exponent < 0 {
            out += "0.".utf8
            out += repeatElement(UInt8(ascii: "0"), count: -exponent - 1)
            out += digits
        } else if digits.count <= exponent + 1 {
            out += digits
            out += repeatElement(UInt8(ascii: "0"), count: exponent + 1 - digits.count)
        } else {
            out += digits[...exponent]
            out.append(UInt8(ascii: "."))
            out += digits[(exponent + 1)...]
        }
    }

    /// `d.ddde+XX`, with at least two exponent digits.
    private static func scientific(_ digits: [UInt8], _ exponent: Int) -> [UInt8] {
        var out = [digits[0]]
        if digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out += digits[1...]
        }
        out += (exponent < 0 ? "e-" : "e+").utf8
        if abs(exponent) < 10 { out.append(UInt8(ascii: "0")) }
        out += String(abs(exponent)).utf8
        return out
    }

    /// Takes apart a positive number as `description` or `%e` print it ("1e-05", "123.0",
    /// "1.7976931348623157e+308"): its significant digits and the exponent of the first.
    private static func parse(_ text: [UInt8]) -> (digits: [UInt8], exponent: Int) {
        var all: [UInt8] = []
        var pointOffset: Int?
        var exponent = 0
        var exponentSign = 0  // 0 while reading the mantissa
        for byte in text {
            switch byte {
            case UInt8(ascii: "."): pointOffset = all.count
            case UInt8(ascii: "e"), UInt8(ascii: "E"): exponentSign = 1
            case UInt8(ascii: "-"): exponentSign = -1
            case UInt8(ascii: "+"): break
            default:
                if exponentSign == 0 { all.append(byte) } else { exponent = exponent * 10 + Int(byte &- 48) }
            }
        }
        exponent *= exponentSign == 0 ? 1 : exponentSign
        let first = all.firstIndex { $0 != UInt8(ascii: "0") } ?? all.count - 1
        let end = (all.lastIndex { $0 != UInt8(ascii: "0") } ?? first) + 1
        return (Array(all[first..<end]), exponent + (pointOffset ?? all.count) - 1 - first)
    }

    /// `magnitude` to `count` significant digits, rounded correctly (by the C library's `%e`).
    private static func rounded(_ magnitude: Double, digits count: Int) -> (digits: [UInt8], exponent: Int) {
        var buffer = [CChar](repeating: 0, count: 40)
        _ = withVaList([Int32(count - 1), magnitude]) { vsnprintf(&buffer, buffer.count, "%.*e", $0) }
        return parse(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
    }

    /// Whether `digits` × 10^(`exponent` - count + 1) is exactly half an ulp above or below
    /// `magnitude` (below a power of two the lower bound is a quarter ulp away).
    private static func liesOnBound(_ digits: [UInt8], _ exponent: Int, of magnitude: Double) -> Bool {
        guard digits.count <= 18 else { return false }
        let value = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 &- 48) }
        let scale = exponent - (digits.count - 1)  // value × 10^scale
        let fraction = magnitude.significandBitPattern
        let biased = Int(magnitude.exponentBitPattern)
        let mantissa = biased == 0 ? fraction : fraction | (1 << 52)
        let twos = biased == 0 ? -1074 : biased - 1075  // magnitude = mantissa × 2^twos
        let lower = fraction == 0 && biased > 1 ? (4 * mantissa - 1, twos - 2) : (2 * mantissa - 1, twos - 1)
        return [(2 * mantissa + 1, twos - 1), lower].contains { odd, power in
            equals(value, scale, odd, power)
        }
    }

    /// Whether `value` × 10^`scale` == `odd` × 2^`power`, for an odd `odd`.
    private static func equals(_ value: UInt64, _ scale: Int, _ odd: UInt64, _ power: Int) -> Bool {
        let zeros = value.trailingZeroBitCount
        guard zeros + scale == power else { return false }
        var left = value >> zeros
        var right = odd
        for _ in 0..<abs(scale) {  // value's odd part × 5^scale against odd's
            let (product, overflow) = (scale >= 0 ? left : right).multipliedReportingOverflow(by: 5)
            if overflow { return false }
            if scale >= 0 { left = product } else { right = product }
        }
        return left == right
    }
}
