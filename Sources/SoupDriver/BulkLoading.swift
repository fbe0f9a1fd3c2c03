/// Rows streamed into a table through PostgreSQL's `COPY … FROM STDIN`.
///
/// Opened by ``Connection/copyIn(_:)``; the connection is busy with the copy until
/// ``finish()`` or ``abandon(reason:)`` returns.
public protocol CopyInStream: AnyObject {
    /// Sends COPY data; rows may be split anywhere between calls.
    func send(_ bytes: UnsafeRawBufferPointer) throws
    /// Ends the data and waits for the server; returns the rows it copied, or throws its error
    /// (a ``DatabaseError`` whose ``DatabaseError/context`` names the COPY line that failed).
    @discardableResult
    func finish() throws -> Int
    /// Ends the copy with an error, so the server copies nothing; the connection stays usable.
    func abandon(reason: String)
}

/// A statement prepared once and run for many rows, each value bound straight from bytes:
/// no ``Value`` is built per field.
///
/// Indexes are 0-based. Every parameter must be bound before each ``run()``.
public protocol RepeatedStatement: AnyObject {
    func bindNull(at index: Int)
    func bind(_ value: Int64, at index: Int)
    func bind(_ value: Double, at index: Int)
    /// Binds UTF-8 text; the bytes must stay valid until ``run()`` returns.
    func bind(text: UnsafeBufferPointer<UInt8>, at index: Int)
    /// Binds a blob; the bytes must stay valid until ``run()`` returns.
    func bind(blob: UnsafeRawBufferPointer, at index: Int)
    /// Runs the statement with the values bound; returns the rows it changed.
    @discardableResult
    func run() throws -> Int
}

/// The ``RepeatedStatement`` of a connection without a faster one: each run builds its
/// values and calls ``Connection/execute(_:_:)``.
final class ValueBindingStatement: RepeatedStatement {
    private let connection: any Connection
    private let sql: String
    private var values: [Value]

    init(connection: any Connection, sql: String, parameterCount: Int) {
        self.connection = connection
        self.sql = sql
        values = Array(repeating: .null, count: parameterCount)
    }

    private func set(_ value: Value, at index: Int) {
        if index >= values.count { values += Array(repeating: .null, count: index + 1 - values.count) }
        values[index] = value
    }

    func bindNull(at index: Int) { set(.null, at: index) }
    func bind(_ value: Int64, at index: Int) { set(.integer(value), at: index) }
    func bind(_ value: Double, at index: Int) { set(.real(value), at: index) }
    func bind(text: UnsafeBufferPointer<UInt8>, at index: Int) {
        set(.text(String(decoding: text, as: UTF8.self)), at: index)
    }
    func bind(blob: UnsafeRawBufferPointer, at index: Int) { set(.blob(Array(blob)), at: index) }

    func run() throws -> Int {
        try connection.execute(sql, values)
    }
}

extension Connection {
    public func copyIn(_ sql: String) throws -> any CopyInStream {
        throw DatabaseError(
            kind: .statement, message: "COPY … FROM STDIN needs a PostgreSQL connection", sql: sql)
    }

    public func prepareRepeated(_ sql: String, parameterCount: Int) throws -> any RepeatedStatement {
        ValueBindingStatement(connection: self, sql: sql, parameterCount: parameterCount)
    }
}
