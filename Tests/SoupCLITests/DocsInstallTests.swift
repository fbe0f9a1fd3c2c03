import Foundation
import SoupTestSupport
import Testing

@Suite("make install and make uninstall")
struct DocsInstallTests {
    /// `make install` builds in release first; the test installs the binary under test through
    /// the same rules (`BINARY=`), since SwiftPM cannot build while `swift test` holds `.build`.
    @Test("make install puts a working soup, its man pages and completions under PREFIX; uninstall removes them")
    func installAndUninstall() throws {
        let prefix = try TemporaryDirectory(prefix: "soup-prefix")
        defer { prefix.remove() }
        let make = ["PREFIX=\(prefix.path)", "BINARY=\(try SoupBinary.path())"]
        let install = try Docs.run("make", ["install"] + make)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

        let version = try ProcessRunner.run(executable: prefix.file(named: "bin/soup"), arguments: ["--version"])
        #expect(version.status == 0, "\(version.stderr)")
        #expect(version.stdout.split(separator: "\n").first?.contains(".") == true, "\(version.stdout)")

        var environment = ProcessInfo.processInfo.environment
        environment["MANWIDTH"] = "80"
        environment["MANPAGER"] = "cat"
        let manPath = prefix.file(named: "share/man")
        let soupPage = try ProcessRunner.run(
            executable: "man", arguments: ["-M", manPath, "-P", "cat", "soup"], environment: environment)
        #expect(soupPage.status == 0, "\(soupPage.stderr)")
        #expect(soupPage.stdout.contains("soup query [options] [DB] STMT ..."))
        #expect(soupPage.stdout.contains("THE SOUP LANGUAGE"))
        let languagePage = try ProcessRunner.run(
            executable: "man", arguments: ["-M", manPath, "-P", "cat", "7", "soup-language"],
            environment: environment)
        #expect(languagePage.status == 0, "\(languagePage.stderr)")
        #expect(languagePage.stdout.contains("COLUMN EXPRESSIONS"))

        let installed = [
            "bin/soup", "share/man/man1/soup.1", "share/man/man7/soup-language.7",
            "share/bash-completion/completions/soup", "share/zsh/site-functions/_soup",
            "share/fish/vendor_completions.d/soup.fish",
        ]
        for file in installed {
            #expect(FileManager.default.fileExists(atPath: prefix.file(named: file)), "\(file) not installed")
        }
        let uninstall = try Docs.run("make", ["uninstall"] + make)
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        for file in installed {
            #expect(!FileManager.default.fileExists(atPath: prefix.file(named: file)), "\(file) left behind")
        }
    }
}

@Suite("The installed binary stands on its own")
struct InstalledBinaryTests {
    /// `make install` builds with the Swift runtime linked statically, so the installed `soup`
    /// keeps working when the toolchain is removed or upgraded. The build runs for real in its own
    /// scratch folder (`swift test` holds `.build`), in the debug configuration to keep the
    /// suite's time down: the static-linking rule under test is the same for both.
    @Test("make install's soup links no Swift runtime library and runs with the toolchain's libraries out of reach")
    func linksNoSwiftRuntime() throws {
        let prefix = try TemporaryDirectory(prefix: "soup-static")
        defer { prefix.remove() }
        let install = try Docs.run(
            "make",
            ["install", "PREFIX=\(prefix.path)", "CONFIGURATION=debug", "SCRATCH_PATH=\(Docs.file(".build-install"))"],
            timeout: 1_800)
        try #require(install.status == 0, "\(install.stdout)\(install.stderr)")
        let installed = prefix.file(named: "bin/soup")

        let libraries = try ProcessRunner.run(executable: "ldd", arguments: [installed])
        #expect(libraries.status == 0, "\(libraries.stderr)")
        #expect(!libraries.stdout.contains("libswift"), "\(libraries.stdout)")
        #expect(!libraries.stdout.contains("Foundation"), "\(libraries.stdout)")
        // scripts/static-link-flags: the C++ runtime, SQLite and readline linked in, no
        // relocations to make in soup, no folder of its own to search for libraries.
        for library in ["libstdc++", "libgcc_s", "libsqlite3", "libreadline", "libtinfo"] {
            #expect(!libraries.stdout.contains(library), "\(library): \(libraries.stdout)")
        }
        let header = try ProcessRunner.run(executable: "readelf", arguments: ["-h", installed])
        #expect(header.stdout.contains("EXEC (Executable file)"), "\(header.stdout)")
        let dynamicSection = try ProcessRunner.run(executable: "readelf", arguments: ["-d", installed])
        #expect(!dynamicSection.stdout.contains("RUNPATH") && !dynamicSection.stdout.contains("RPATH"), "\(dynamicSection.stdout)")

        // The folder the test's own (dynamically linked) binary loads the runtime from.
        let dynamic = try ProcessRunner.run(executable: "ldd", arguments: [try SoupBinary.path()])
        let runtime = try #require(
            dynamic.stdout.split(separator: "\n").first { $0.contains("libswiftCore.so =>") },
            "the test binary is expected to link libswiftCore.so dynamically: \(dynamic.stdout)")
        let path = try #require(runtime.split(separator: " ").first { $0.hasPrefix("/") })
        let folder = String(path[..<path.lastIndex(of: "/")!])

        /// Runs `binary` in a mount namespace where `folder` is an empty tmpfs.
        func runHidingRuntime(_ binary: String) throws -> ProcessResult {
            try ProcessRunner.run(
                executable: "unshare",
                arguments: [
                    "--map-root-user", "--mount", "sh", "-c",
                    "mount -t tmpfs none \"$1\" && exec \"$2\" query sqlite::memory: 'SELECT 40 + 2 AS answer'",
                    "sh", folder, binary,
                ])
        }
        // The hiding works: the dynamically linked binary cannot start without that folder.
        let hidden = try runHidingRuntime(try SoupBinary.path())
        #expect(hidden.status != 0, "\(hidden.stdout)")
        #expect(hidden.stderr.contains("error while loading shared libraries"), "\(hidden.stderr)")

        let alone = try runHidingRuntime(installed)
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout.contains("42"), "\(alone.stdout)")
    }
}
