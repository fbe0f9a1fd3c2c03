// Reads a CSV file with one library and prints its rows and the bytes of its fields, so the
// work cannot be skipped: `csvlib-bench csvswift|swiftcsv FILE`.
import CSV
import Foundation
import SwiftCSV

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: csvlib-bench csvswift|swiftcsv FILE\n".utf8))
    exit(64)
}
var rows = 0
var bytes = 0
switch arguments[1] {
case "csvswift":
    // yaslab/CSV.swift: streams from an InputStream, a Unicode scalar at a time.
    guard let stream = InputStream(fileAtPath: arguments[2]) else { exit(1) }
    let reader = try CSVReader(stream: stream, hasHeaderRow: true)
    while let row = reader.next() {
        rows += 1
        for field in row { bytes += field.utf8.count }
    }
case "swiftcsv":
    // swiftcsv/SwiftCSV: parses a String that holds the whole file.
    let text = try String(contentsOfFile: arguments[2], encoding: .utf8)
    let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { row in
        rows += 1
        for field in row { bytes += field.utf8.count }
    }
default:
    exit(64)
}
print("\(rows) rows, \(bytes) bytes")
