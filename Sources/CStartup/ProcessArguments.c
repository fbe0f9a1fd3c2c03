// The command-line arguments as the Swift runtime asks for them (CommandLine.arguments).
//
// On Linux the runtime's own answer (CommandLine.cpp in libswiftCore) is worked out by a static
// initialiser in every process: it reads /proc/self/maps line by line with sscanf to find the
// stack, then walks back from `environ` to argv. For `soup query DB 'SELECT 1'` that was 106,000
// of the 950,000 instructions, and the kernel writing out every mapping of a 40 MB executable.
// glibc hands argc and argv to initialisers of the executable, so they are kept here instead.
//
// Linked statically (--static-swift-stdlib, scripts/static-link-flags), this definition is found
// before libswiftCore.a is searched, so the runtime's CommandLine.cpp.o is never linked in (were
// anything else to need that object, the link would fail on the duplicate symbol rather than
// silently keep two). With the runtime as a shared library (debug builds) the runtime calls its
// own, hidden, copy and this one is unused.

static char **arguments;
static int argumentCount;

__attribute__((constructor)) static void keep_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    argumentCount = argc;
    arguments = argv;
}

// The runtime's declaration: SWIFT_CC(swift) char **_swift_stdlib_getUnsafeArgvArgc(int *).
__attribute__((swiftcall)) char **_swift_stdlib_getUnsafeArgvArgc(int *count) {
    *count = argumentCount;
    return arguments;
}
