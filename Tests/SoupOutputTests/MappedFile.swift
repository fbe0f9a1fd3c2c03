import Foundation

/// A file mapped into memory read-only, so that outputs of hundreds of megabytes can be compared
/// without reading them into arrays.
final class MappedFile {
    let count: Int
    private let base: UnsafeRawPointer?

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CocoaError(.fileReadUnknown) }
        count = Int(status.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else { throw CocoaError(.fileReadUnknown) }
        base = UnsafeRawPointer(mapped)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}

/// Compares soup's CSV with psql's byte for byte.
///
/// The one difference allowed is the one soup-language(7) OUTPUT states: psql prints the empty
/// string as an empty unquoted field, the same as NULL, while soup prints it as `""` to keep the
/// two apart. The comparison runs with `memcmp` over blocks that grow while the files agree; where
/// they part, it narrows down to the first differing byte, accepts a whole `""` field there against
/// psql's empty one, and otherwise stops with a description of the difference.
struct CSVComparison {
    /// How many `""` fields soup printed where psql printed an empty field.
    var emptyStrings = 0
    /// The first other difference, described with the line it is on; nil when there is none.
    var difference: String?

    init(soup: UnsafeRawBufferPointer, psql: UnsafeRawBufferPointer) {
        var i = 0
        var j = 0
        var block = 64
        while i < soup.count, j < psql.count {
            let length = min(block, soup.count - i, psql.count - j)
            if memcmp(soup.baseAddress! + i, psql.baseAddress! + j, length) == 0 {
                i += length
                j += length
                block = min(block * 2, 1 << 16)
                continue
            }
            // The first differing byte lies within `length`: halve the range that differs.
            var equal = 0
            var different = length
            while different - equal > 1 {
                let middle = (equal + different) / 2
                if memcmp(soup.baseAddress! + i + equal, psql.baseAddress! + j + equal, middle - equal) == 0 {
                    equal = middle
                } else {
                    different = middle
                }
            }
            i += equal
            j += equal
            if Self.isEmptyStringField(soup, at: i), psql[j] == soup[i + 2] {
                emptyStrings += 1
                i += 2
                block = 64
                continue
            }
            break
        }
        if i < soup.count || j < psql.count {
            difference = """
                soup and psql differ at line \(Self.lineNumber(soup, i)) of soup's output:
                  soup \(Self.line(soup, around: i))
                  psql \(Self.line(psql, around: j))
                """
        }
    }

    /// Whether a whole field `""` starts at `index`: after a separator or at a line start, and
    /// followed by a separator or the line end.
    private static func isEmptyStringField(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        let quote = UInt8(ascii: "\"")
        let separators = [UInt8(ascii: ","), UInt8(ascii: "\n")]
        return index + 2 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote
            && separators.contains(bytes[index + 2])
            && (index == 0 || separators.contains(bytes[index - 1]))
    }

    private static func lineNumber(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Int {
        bytes[..<min(index, bytes.count)].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// Up to 100 bytes either side of `index`, marked `⟦here⟧`, as a Swift string literal.
    private static func line(_ bytes: UnsafeRawBufferPointer, around index: Int) -> String {
        let start = max(0, index - 100)
        let end = min(bytes.count, index + 100)
        let before = String(decoding: bytes[start..<min(index, end)], as: UTF8.self)
        let after = index < end ? String(decoding: bytes[index..<end], as: UTF8.self) : "<end>"
        return String(reflecting: before + "⟦here⟧" + after)
    }
}
