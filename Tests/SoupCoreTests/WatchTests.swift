import SoupCore
import Testing

/// How a watch ends, whatever the runs print: Ctrl-C stops it with success, between runs or
/// during one; a run that fails ends it as that run ended; a count ends it after that many runs.
@Suite("Watch")
struct WatchTests {
    @Test("Ctrl-C during a run or between runs ends the watch with success; a failed run ends it as it failed")
    func endings() {
        let watch = Watch(interval: .zero)
        var runs = 0
        #expect(watch.run({ _ in runs += 1; return runs == 3 ? .interrupted : .succeeded }, pause: { _ in true }) == .succeeded)
        #expect(runs == 3)
        runs = 0
        #expect(watch.run({ _ in runs += 1; return .succeeded }, pause: { _ in runs < 2 }) == .succeeded)
        #expect(runs == 2)
        #expect(watch.run({ _ in .failed }, pause: { _ in true }) == .failed)
        let counted = Watch(interval: .zero, count: 4)
        runs = 0
        #expect(counted.run({ _ in runs += 1; return .succeeded }, pause: { _ in true }) == .succeeded)
        #expect(runs == 4)
    }
}
