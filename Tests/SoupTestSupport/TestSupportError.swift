/// A failure of the test harness itself: a tool that is missing, a server that did not start,
/// a process that timed out. The message says what to do about it.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
