import SoupLanguage

/// Scripts read whole before any of them runs: a syntax error anywhere stops the run before its
/// first statement, and the transaction around the statements depends on all of them (only
/// reads: read-only; one that cannot run in a transaction: none).
///
/// Each piece is parsed once and its statements are kept for the run, up to
/// ``statementsKept`` statements: past that, a long script's later pieces keep only their text
/// and are parsed again when they run, so memory stays flat however long the script is.
struct ScriptPlan {
    /// A piece of a script, with its statements while the plan keeps them.
    struct Piece {
        var script: Script
        var statements: [Statement]?
        /// Whether more of the same script follows.
        var continues: Bool
    }

    /// How many parsed statements a plan keeps (a statement of soup takes about a kilobyte).
    static let statementsKept = 20_000

    private(set) var pieces: [Piece] = []
    /// Whether every statement only reads.
    private(set) var onlyReads = true
    /// The first statement that manages transactions itself or cannot run in one.
    private(set) var firstOutsideTransaction: ScriptStatement?

    init(_ scripts: [Script], linesPerPiece: Int = 2_000, keeping kept: Int = Self.statementsKept) throws {
        var held = 0
        for script in scripts {
            try script.readPieces(ofAbout: linesPerPiece) { piece, statements in
                for statement in statements {
                    switch StatementClassifier.effect(of: statement) {
                    case .read:
                        continue
                    case .write:
                        onlyReads = false
                    case .cannotRunInTransaction:
                        onlyReads = false
                        if firstOutsideTransaction == nil {
                            firstOutsideTransaction = ScriptStatement(script: piece, statement: statement)
                        }
                    }
                }
                let keeps = held + statements.count <= kept
                if keeps { held += statements.count }
                pieces.append(Piece(script: piece, statements: keeps ? statements : nil, continues: true))
            }
            pieces[pieces.count - 1].continues = false
        }
    }

    /// The statements of piece `index`, parsed again if the plan did not keep them; the plan
    /// lets go of them, since a piece runs once.
    mutating func takeStatements(of index: Int) throws -> [ScriptStatement] {
        let piece = pieces[index]
        pieces[index].statements = nil
        return try (piece.statements ?? piece.script.parse()).map { ScriptStatement(script: piece.script, statement: $0) }
    }
}
