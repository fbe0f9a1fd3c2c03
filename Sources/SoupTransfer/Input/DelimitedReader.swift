import SoupPlatform

/// Reads CSV (RFC 4180, as `psql --csv` writes it) or PostgreSQL's COPY text format (soup's
/// `tsv`), a record at a time, in place.
///
/// The input is read in 1 MiB pieces into one buffer. A record is parsed where it lies:
/// fields are spans of the buffer, and a quoted field's doubled quotes (or a TSV field's
/// backslash escapes) are undone in place, which only ever shortens it. A record that runs
/// past the end of the buffer is moved to its front before more is read, and the buffer
/// grows only for a record larger than itself (a 10 MB field), so memory stays flat.
///
/// CSV: a field that starts with `"` is quoted, `""` inside it is one quote, and it may hold
/// the delimiter, CR and LF; text after its closing quote is kept, as PostgreSQL and Python
/// read it. An unquoted empty field is NULL and a quoted one the empty string (with
/// `--null TEXT`, an unquoted TEXT is NULL instead). Records end at LF or CRLF. A blank line
/// is skipped when there is more than one column, and is one NULL field when there is one.
public final class DelimitedReader: RecordReader {
    public enum Style: Sendable {
        case csv
        /// PostgreSQL's text format: `\N` is NULL, `\t` `\n` `\\` and the rest are escapes.
        case text
    }

    public let input: ImportInput
    public private(set) var columnNames: [String] = []
    public private(set) var line = 1

    private let style: Style
    let delimiter: UInt8
    private let nullText: [UInt8]?
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var end = 0
    private var position = 0
    private var atEOF = false
    /// The line at `position`.
    private var currentLine = 1
    /// Where each field of the current record lies in the buffer; grown as records need.
    private struct Span {
        var start: Int
        var end: Int
        var kind: FieldKind
        var quoted: Bool
    }

    private var spans: UnsafeMutablePointer<Span>
    private var spanCapacity = 64
    private var count = 0
    /// The first record, read to count the columns of a file without a header.
    private var pending = false

    private static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let backslash = UInt8(ascii: "\\")

    /// Reads the header line (or, with `header: false`, the first record, to name its
    /// columns `c1`…`cn`).
    public init(input: ImportInput, style: Style, delimiter: UInt8? = nil, header: Bool = true, nullText: String? = nil) throws {
        self.input = input
        self.style = style
        self.delimiter = delimiter ?? (style == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t"))
        self.nullText = nullText.map { Array($0.utf8) }
        capacity = 1 << 20
        buffer = .allocate(capacity: capacity)
        spans = .allocate(capacity: spanCapacity)
        guard try parseRecord(skippingBlankLines: true) else { return }
        if header {
            columnNames = try (0..<count).map { index in
                let bytes = field(index)
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    throw ImportError(message: "the header is not valid UTF-8", location: location(ofField: index),
                        hint: "give the file's encoding (--encoding latin1)")
                }
                return name
            }
        } else {
            columnNames = (1...max(count, 1)).map { "c\($0)" }
            pending = true
        }
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    public var fieldCount: Int { count }

    @inline(__always)
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer + spans[index].start, count: spans[index].end - spans[index].start)
    }

    @inline(__always)
    public func kind(_ index: Int) -> FieldKind { spans[index].kind }

    public func next() throws -> Bool {
        if pending {
            pending = false
            return true
        }
        return try parseRecord(skippingBlankLines: columnNames.count > 1)
    }

    /// The column of a field, counted by walking the record's fields as they were written:
    /// a quoted field's quotes, doubled quotes and line breaks are counted back in.
    public func location(ofField index: Int) -> ImportError.Location {
        var lineNumber = line
        var column = 1
        for fieldIndex in 0..<min(index, count) {
            if spans[fieldIndex].quoted { column += 1 }
            for byte in field(fieldIndex) {
                if byte == Self.newline, spans[fieldIndex].quoted {
                    lineNumber += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += byte == Self.quote && spans[fieldIndex].quoted ? 2 : 1
                }
            }
            if spans[fieldIndex].quoted { column += 1 }
            column += 1
        }
        return ImportError.Location(file: input.name, line: lineNumber, column: column)
    }

    // MARK: - Parsing

    /// The next byte of an unquoted stretch of a field at `p`, or nil where the field ends (the
    /// delimiter, the line's end, the input's end). Refills the buffer when `p` reaches its end,
    /// shifting the cursors with it, and passes over the CR of a CRLF, even one split by a refill.
    @inline(__always)
    func nextFieldByte(
        _ p: inout Int, _ w: inout Int, _ fieldStart: inout Int, _ recordStart: inout Int
    ) throws -> UInt8? {
        while true {
            if p == end || (buffer[p] == Self.carriageReturn && p + 1 == end && !atEOF) {
                let (shift, more) = try refill(recordStart: recordStart)
                p -= shift; w -= shift; fieldStart -= shift; recordStart -= shift
                if p == end, !more { return nil }
                continue
            }
            let byte = buffer[p]
            if byte == delimiter || byte == Self.newline { return nil }
            if byte == Self.carriageReturn, p + 1 < end, buffer[p + 1] == Self.newline {
                p += 1
                continue
            }
            return byte
        }
    }

    /// Moves the record being parsed (from `recordStart`) to the front of the buffer and reads
    /// more after it; returns how far everything moved. `false` in `readMore` at the end.
    func refill(recordStart: Int) throws -> (shift: Int, readMore: Bool) {
        if atEOF { return (0, false) }
        let shift = recordStart
        if shift > 0 {
            memmove(buffer, buffer + shift, end - shift)
            end -= shift
            for index in 0..<count {
                spans[index].start -= shift
                spans[index].end -= shift
            }
        } else if end == capacity {
            // One record fills the whole buffer: make it twice as large.
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        let got = try input.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if got == 0 { atEOF = true }
        end += got
        return (shift, got > 0)
    }

    @inline(__always)
    private func append(start: Int, end fieldEnd: Int, kind: FieldKind, quoted isQuoted: Bool) {
        if count == spanCapacity {
            let larger = UnsafeMutablePointer<Span>.allocate(capacity: spanCapacity * 2)
            larger.moveInitialize(from: spans, count: count)
            spans.deallocate()
            spans = larger
            spanCapacity *= 2
        }
        spans[count] = Span(start: start, end: fieldEnd, kind: kind, quoted: isQuoted)
        count += 1
    }

    /// Parses the next record into the field arrays; `false` at the end of the input.
    private func parseRecord(skippingBlankLines: Bool) throws -> Bool {
        while true {
            count = 0
            line = currentLine
            var recordStart = position
            if end - position < 2 {
                let (shift, more) = try refill(recordStart: recordStart)
                position -= shift
                recordStart -= shift
                if !more, position == end { return false }
            }
            // A blank line: LF or CRLF alone.
            if buffer[position] == Self.newline
                || (buffer[position] == Self.carriageReturn && position + 1 < end && buffer[position + 1] == Self.newline)
            {
                position += buffer[position] == Self.newline ? 1 : 2
                currentLine += 1
                if skippingBlankLines { continue }
                append(start: recordStart, end: recordStart, kind: .null, quoted: false)
                return true
            }
            try parseFields(recordStart: recordStart)
            return true
        }
    }

    /// Parses the fields of a record that starts at `recordStart` (= `position`).
    private func parseFields(recordStart start: Int) throws {
        var recordStart = start
        var p = position
        while true {
            // One field.
            if p == end {
                let (shift, _) = try refill(recordStart: recordStart)
                p -= shift
                recordStart -= shift
            }
            var fieldEnd: Int
            var fieldStart = p
            var isQuoted = false
            var kind = FieldKind.text
            if style == .csv, p < end, buffer[p] == Self.quote {
                isQuoted = true
                p += 1
                fieldStart = p
                var w = p
                let openedOn = currentLine
                quotedLoop: while true {
                    if p == end {
                        let (shift, more) = try refill(recordStart: recordStart)
                        p -= shift; w -= shift; fieldStart -= shift; recordStart -= shift
                        if !more {
                            throw ImportError(
                                message: "a quoted field is not closed before the end of the file",
                                location: .init(file: input.name, line: openedOn),
                                hint: "a field that starts with \" must end with \"; double a quote inside it (\"\")")
                        }
                        continue
                    }
                    // Up to the next quote or newline, moved down when a doubled quote
                    // has shortened the field.
                    let stop = Self.scan(buffer, from: p, to: end, for: Self.quote, or: Self.newline)
                    if w != p { memmove(buffer + w, buffer + p, stop - p) }
                    w += stop - p
                    p = stop
                    if p == end { continue }
                    let byte = buffer[p]
                    if byte != Self.quote {
                        currentLine += 1
                        buffer[w] = byte
                        w += 1
                        p += 1
                        continue
                    }
                    // A quote: doubled, or the closing one? Look at the byte after it.
                    if p + 1 == end {
                        let (shift, _) = try refill(recordStart: recordStart)
                        p -= shift; w -= shift; fieldStart -= shift; recordStart -= shift
                    }
                    if p + 1 < end, buffer[p + 1] == Self.quote {
                        buffer[w] = Self.quote
                        w += 1
                        p += 2
                        continue
                    }
                    p += 1
                    break quotedLoop
                }
                // Text after the closing quote is kept up to the delimiter or line end.
                while let byte = try nextFieldByte(&p, &w, &fieldStart, &recordStart) {
                    buffer[w] = byte
                    w += 1
                    p += 1
                }
                fieldEnd = w
            } else if style == .csv {
                while true {
                    p = Self.scan(buffer, from: p, to: end, for: delimiter, or: Self.newline)
                    if p < end { break }
                    let (shift, more) = try refill(recordStart: recordStart)
                    p -= shift; fieldStart -= shift; recordStart -= shift
                    if !more { break }
                }
                fieldEnd = p
                if fieldEnd > fieldStart, buffer[fieldEnd - 1] == Self.carriageReturn, p < end, buffer[p] == Self.newline {
                    fieldEnd -= 1
                }
                if let nullText {
                    if fieldEnd - fieldStart == nullText.count,
                        nullText.withUnsafeBufferPointer({ memcmp($0.baseAddress!, buffer + fieldStart, $0.count) == 0 })
                    {
                        kind = .null
                    }
                } else if fieldEnd == fieldStart {
                    kind = .null
                }
            } else {
                (fieldStart, fieldEnd, kind, p, recordStart) = try parseTextField(from: p, recordStart: recordStart)
            }
            append(start: fieldStart, end: fieldEnd, kind: kind, quoted: isQuoted)
            // After the field: a delimiter, the end of the line, or the end of the input.
            if p == end {
                let (shift, more) = try refill(recordStart: recordStart)
                p -= shift
                recordStart -= shift
                if !more {
                    position = p
                    return
                }
            }
            if buffer[p] == delimiter {
                p += 1
                continue
            }
            // A newline.
            p += 1
            currentLine += 1
            position = p
            return
        }
    }

    /// The index of the first byte from `start` that is `first` or `second`, or `end`: eight
    /// bytes at a time, then one by one.
    @inline(__always)
    private static func scan(_ base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, for first: UInt8, or second: UInt8) -> Int {
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let firstPattern = ones &* UInt64(first)
        let secondPattern = ones &* UInt64(second)
        let raw = UnsafeRawPointer(base)
        while index + 8 <= end {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let a = word ^ firstPattern
            let b = word ^ secondPattern
            let found = ((a &- ones) & ~a | (b &- ones) & ~b) & high
            if found != 0 { return index + (found.trailingZeroBitCount >> 3) }
            index += 8
        }
        while index < end, base[index] != first, base[index] != second { index += 1 }
        return index
    }
}
