import Foundation

/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64), so a
/// fuzz or property test that fails can be replayed from its seed.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The iteration count and seed of fuzz and property tests: `SOUP_FUZZ_ITERATIONS` (default
/// 100,000) and `SOUP_FUZZ_SEED`.
public enum FuzzSettings {
    public static let iterations = environmentInteger("SOUP_FUZZ_ITERATIONS").map(Int.init) ?? 100_000
    public static let seed = environmentInteger("SOUP_FUZZ_SEED") ?? 0x50_0B

    private static func environmentInteger(_ name: String) -> UInt64? {
        guard let text = getenv(name) else { return nil }
        return UInt64(String(cString: text))
    }
}
