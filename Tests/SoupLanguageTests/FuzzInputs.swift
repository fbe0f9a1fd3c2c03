import SoupLanguage

/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random inputs for the fuzz test: valid statements, generated expressions, and mutations of both.
struct FuzzInputs {
    /// Valid soup, raw SQL and meta commands.
    static let corpus = [
        "db.users.filter(or_(db.users.name=='Bhargan Basepair', db.users.email=='student@example.edu')).order_by(db.users.name).all()",
        "db.loans.insert(book_id=1, user_name='Bhargan Basepair')",
        "where = and_(db.users.name == 'Bhargan Basepair', db.users.email == 'x'); db.users.filter(where).all()",
        "db.with_labels(join1).c.keys()", "users.c.name.like('A%')", "q[1:3]", "user.email = 'x'",
        "users = db.users.all(); users[0].email", "db.users.get('Bhargan Basepair')",
        "db.loans.filter(db.loans.book_id==2).delete()", "db.users.filter_by(name=None).count()",
        "join1 = db.join(db.users, db.loans, isouter=True)",
        "db.users.relate('loans', db.loans, order_by=db.loans.loan_date)",
        "db.users.filter(~db.users.loans.any()).all()",
        "db.execute('select * from users where name like :n', params={'n': '%B%'})",
        "select(books.published_year, func.count().label('n')).group_by(books.published_year).alias('y')",
        "db.entity('Odd Name', schema='s')",
        "x = [1, 2.5, -3, 1_000, 0xff, .5, 1e10, None, True, False, null]",
        "d = {'a': (1,), 'b': (), \"c\": [], 'e': {}}", "f(*args, key=value, **{'k': 1})",
        "not a and b or c in d",
        "a is not None and b not in (1, 2)", "x = -a * (b + c) / d % e | f & ~g",
        "q[:5]; q[2:]; q[::2]; q[a:b:c]",
        "s = '''multi\nline'''", "r'\\d+' \"\\x41\\u00e9\\n\\t\"", "row.as_dict()['name']",
        "SELECT name, email FROM users WHERE name LIKE 'B%';", "select 'a;b', $$c;d$$ from t -- x;\n;",
        "WITH x AS (SELECT 1) SELECT * FROM x;\ndb.commit()",
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;",
        "/* soup:bind=reader */ SELECT 1;", "-- comment\nx = 1", "\\d users\n.tables\n\\x", ".schema users",
        "commit", "rollback", "COMMIT;", "values = db.x.all()", "table.c", "delete(x)", "x = 1 \\\n + 2",
        "db.users.find_similar(db.users.name, 'jo_', prefix_only=False)", "# only a comment", "",
        "entity.get_range(offset=0, limit=None, order_by=None, descending=False, filters=[])",
        "db.users.filter(db.users.name.in_(['a', 'b'])).order_by(desc(db.users.name)).limit(5).offset(2).all()",
        "print(len(db.users.all())); help(db.users)", "x = 'it\\'s' 'adjacent' \"strings\"",
        "café = 'naïve 名前 😀'",
    ]

    private static let corpusTokens: [[String]] = corpus.map { source in
        guard let tokens = try? Lexer.tokenize(source) else { return [source] }
        let bytes = Array(source.utf8)
        return tokens.dropLast().map { String(decoding: bytes[$0.range.offsets], as: UTF8.self) }
    }

    private static let tokenPool =
        corpusTokens.flatMap { $0 } + [
            "(", ")", "[", "]", "{", "}", ",", ":", "=", "==", "**", "*", ".", ";", "\n", "\\", "'", "\"",
            "'''",
            "not", "in", "is", "and", "or", "SELECT", "commit", "--", "/*", "*/", "$$", "#", "\\d", ".x",
            "r'",
        ]

    /// Characters that are likely to matter to a lexer.
    private static let interestingBytes = Array(
        "()[]{}'\"\\#;:,.=!<>+-*/%&|~$`@^?\n\r\t 0123456789_xeEaAzZ".utf8)

    /// Unicode that is likely to matter: combining marks, wide and astral characters, odd spaces.
    private static let interestingScalars: [Unicode.Scalar] = [
        "\u{301}", "\u{200D}", "\u{FEFF}", "\u{A0}", "\u{2028}", "\u{3000}", "名", "é", "😀",
        "👨‍👩‍👧".unicodeScalars.first!,
        "\u{0}", "\u{7F}", "\u{85}", "\u{10FFFF}", "\u{E000}", "→",
    ]

    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func next() -> String {
        var bytes: [UInt8]
        switch Int.random(in: 0..<10, using: &random) {
        case 0: bytes = Array(Self.corpus.randomElement(using: &random)!.utf8)
        case 1, 2: bytes = Array(generatedStatements().utf8)
        case 3: bytes = Array(tokenMutation().utf8)
        default:
            let source =
                Bool.random(using: &random)
                ? generatedStatements() : Self.corpus.randomElement(using: &random)!
            bytes = Array(source.utf8)
        }
        for _ in 0..<Int.random(in: 0...3, using: &random) { mutate(&bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Mutations

    private mutating func mutate(_ bytes: inout [UInt8]) {
        let position = Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<7, using: &random) {
        case 0:  // replace a byte
            if position < bytes.count {
                bytes[position] = Self.interestingBytes.randomElement(using: &random)!
            }
        case 1:  // insert a byte
            bytes.insert(Self.interestingBytes.randomElement(using: &random)!, at: position)
        case 2:  // delete a few bytes
            bytes.removeSubrange(
                position..<min(position + Int.random(in: 1...4, using: &random), bytes.count))
        case 3:  // truncate, possibly inside a character
            bytes.removeSubrange(position...)
        case 4:  // insert brackets and quotes
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let insertion = Array(
                    ["(", ")", "[", "]", "{", "}", "'", "\"", "'''", "\\\n"].randomElement(using: &random)!
                        .utf8)
                bytes.insert(contentsOf: insertion, at: Int.random(in: 0...bytes.count, using: &random))
            }
        case 5:  // insert odd Unicode
            bytes.insert(
                contentsOf: Array(String(Self.interestingScalars.randomElement(using: &random)!).utf8),
                at: position)
        default:  // insert a random byte, which may break UTF-8
            bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        }
    }

    private mutating func tokenMutation() -> String {
        var tokens = Self.corpusTokens.randomElement(using: &random)!
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let position = Int.random(in: 0...tokens.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0: if position < tokens.count { tokens.remove(at: position) }
            case 1: if position < tokens.count { tokens.insert(tokens[position], at: position) }
            case 2: if position + 1 < tokens.count { tokens.swapAt(position, position + 1) }
            default: tokens.insert(Self.tokenPool.randomElement(using: &random)!, at: position)
            }
        }
        return tokens.joined(separator: [" ", "", "\n"].randomElement(using: &random)!)
    }

    // MARK: Generated statements

    private mutating func generatedStatements() -> String {
        (0..<Int.random(in: 1...3, using: &random)).map { _ in generatedStatement() }
            .joined(separator: Bool.random(using: &random) ? "\n" : "; ")
    }

    private mutating func generatedStatement() -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return name() + " = " + expression(depth: 3)
        case 1: return expression(depth: 2) + "." + name() + " = " + expression(depth: 2)
        case 2:
            return ["SELECT * FROM t WHERE a = 'x;y';", "UPDATE t SET a = 1;", "\\dt", "commit"]
                .randomElement(using: &random)!
        default: return expression(depth: 4)
        }
    }

    private mutating func expression(depth: Int) -> String {
        guard depth > 0, Int.random(in: 0..<4, using: &random) != 0 else { return atom() }
        let operators = [
            "or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not", "|", "&", "+", "-",
            "*", "/", "%",
        ]
        switch Int.random(in: 0..<9, using: &random) {
        case 0, 1, 2:
            let left = expression(depth: depth - 1)
            let right = expression(depth: depth - 1)
            let text = "\(left) \(operators.randomElement(using: &random)!) \(right)"
            return Bool.random(using: &random) ? "(\(text))" : text
        case 3:
            return ["-", "+", "~", "not "].randomElement(using: &random)! + "(" + expression(depth: depth - 1)
                + ")"
        case 4:
            let arguments = (0..<Int.random(in: 0...3, using: &random)).map { index in
                switch Int.random(in: 0..<4, using: &random) {
                case 0: return "k\(index)=" + expression(depth: depth - 1)
                default: return expression(depth: depth - 1)
                }
            }
            return atom() + "." + name() + "("
                + arguments.sorted { !$0.contains("=") && $1.contains("=") }.joined(separator: ", ") + ")"
        case 5:
            let index =
                Bool.random(using: &random)
                ? expression(depth: depth - 1)
                : "\(Int.random(in: 0..<9, using: &random)):\(expression(depth: depth - 1))"
            return name() + "[" + index + "]"
        case 6:
            return "["
                + (0..<Int.random(in: 0...3, using: &random)).map { _ in expression(depth: depth - 1) }
                .joined(separator: ", ") + "]"
        case 7:
            return "{"
                + (0..<Int.random(in: 0...2, using: &random)).map { _ in
                    atom() + ": " + expression(depth: depth - 1)
                }.joined(separator: ", ") + "}"
        default: return "(" + expression(depth: depth - 1) + ", " + expression(depth: depth - 1) + ")"
        }
    }

    private mutating func atom() -> String {
        switch Int.random(in: 0..<8, using: &random) {
        case 0:
            return String(
                Int.random(in: 0...Int.max, using: &random) >> Int.random(in: 0..<63, using: &random))
        case 1: return String(Double.random(in: 0..<1e6, using: &random))
        case 2:
            return ["'x'", "\"it's\"", "'\\n\\t\\\\'", "'é😀'", "''", "r'\\d'", "'''a\nb'''"].randomElement(
                using: &random)!
        case 3: return ["None", "null", "True", "False"].randomElement(using: &random)!
        default: return name() + (Bool.random(using: &random) ? "." + name() : "")
        }
    }

    private mutating func name() -> String {
        [
            "db", "users", "name", "email", "q", "x", "func", "count", "c", "_a1", "café", "values", "select",
            "commit",
        ]
        .randomElement(using: &random)!
    }
}
