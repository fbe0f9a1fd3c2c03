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
        #expect(soupPage.stdout.contains("soup query [options] DB STMT ..."))
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
