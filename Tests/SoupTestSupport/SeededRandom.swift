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

    /// The fewest iterations a run may be set to: fewer say nothing about the shares the fuzz
    /// targets assert, so `SOUP_FUZZ_ITERATIONS=0` fails instead of passing untested.
    public static let minimumIterations = 10_000

    /// What is wrong with a fuzz target's run, as messages to record: a run set below
    /// ``minimumIterations``, fewer inputs than `planned`, or a share of the inputs under its
    /// floor (`("parsed", 4_100, 0.2)`: at least a fifth parsed), so a target that ran nothing,
    /// or whose generator stopped reaching a kind of input, fails.
    public static func reachProblems(
        _ target: String, inputs: Int, planned: Int, shares: [(name: String, count: Int, floor: Double)] = []
    ) -> [String] {
        var problems: [String] = []
        if iterations < minimumIterations {
            problems.append(
                "\(target): SOUP_FUZZ_ITERATIONS=\(iterations) is below the minimum of \(minimumIterations)")
        }
        if inputs != planned || inputs == 0 {
            problems.append("\(target): ran \(inputs) inputs of the \(planned) planned")
        }
        for share in shares {
            let fraction = inputs == 0 ? 0 : Double(share.count) / Double(inputs)
            if fraction < share.floor {
                problems.append(
                    "\(target): \(share.name) \(share.count) of \(inputs) inputs (\(Self.percent(fraction))), "
                        + "under the floor of \(Self.percent(share.floor))")
            }
        }
        return problems
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    private static func environmentInteger(_ name: String) -> UInt64? {
        guard let text = getenv(name) else { return nil }
        return UInt64(String(cString: text))
    }
}
