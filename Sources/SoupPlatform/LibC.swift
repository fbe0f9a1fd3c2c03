// The C library, imported once for the whole project: every module that calls libc imports
// SoupPlatform instead of Glibc or Darwin.
//
// SoupPlatform sits below SoupDriver, the lowest Swift module the others share, rather than
// inside it: SoupDriver's API is about databases (values, connections, errors), and re-exporting
// libc from it would put every C name into scope wherever a driver type is used. A module of its
// own keeps libc visible only in the files that ask for it (`import SoupPlatform`), and lets a
// module that does not need the driver layer (the test support, say) use it too.
//
// Linux (glibc) is the platform soup is built and tested on; the Darwin branch mirrors it.

#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Darwin)
    @_exported import Darwin
#else
    #error("soup builds against glibc (Linux) or Darwin (macOS)")
#endif
