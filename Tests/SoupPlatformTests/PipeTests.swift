import SoupPlatform
import Testing

/// Pipes are close-on-exec from the start, so a child that another thread spawns never holds
/// an end of them.
@Suite struct PipeTests {
    @Test func makePipeMarksBothEndsCloseOnExec() throws {
        let (read, write) = try FileDescriptor.makePipe()
        defer { read.close() }
        for end in [read, write] {
            let flags = fcntl(end.rawValue, F_GETFD)
            #expect(flags >= 0 && flags & FD_CLOEXEC != 0, "descriptor \(end.rawValue) is inherited by children")
        }
        // The two ends are one pipe.
        try write.writeAll("soup")
        write.close()
        #expect(try read.readToEnd() == Array("soup".utf8))
    }
}
