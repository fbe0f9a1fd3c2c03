/// The words the demo library is made of: people's names in five scripts, book titles, classes.
///
/// Everything here is plain data; ``DemoLibrary`` draws from it with a seeded generator.
enum DemoVocabulary {
    /// A name as written, with the ASCII spelling used in e-mail addresses.
    struct Name: Hashable {
        let text: String
        let ascii: String

        /// A name with an explicit romanization (for non-Latin scripts).
        init(_ text: String, ascii: String) {
            self.text = text
            self.ascii = ascii
        }

        /// A Latin-script name, romanized by ``DemoVocabulary/foldToASCII(_:)``.
        init(latin text: String) {
            self.init(text, ascii: DemoVocabulary.foldToASCII(text))
        }
    }

    /// People's given and family names from one naming tradition.
    struct Culture {
        let givenNames: [Name]
        let familyNames: [Name]
        /// Whether the family name comes first with no space between (李雷), as in Chinese and
        /// Japanese; otherwise names read "Given Family".
        let familyNameFirst: Bool

        /// The full name as written.
        func fullName(given: Name, family: Name) -> String {
            familyNameFirst ? family.text + given.text : given.text + " " + family.text
        }
    }

    /// Lowercase ASCII letters for a Latin-script name: accents dropped (`Ñúñez` → `nunez`),
    /// ligatures and special letters spelled out (`Weiß` → `weiss`, `Þóra` → `thora`), and
    /// anything else that is not a letter or digit (spaces, apostrophes, hyphens) left out.
    static func foldToASCII(_ text: String) -> String {
        var folded = ""
        for character in text.lowercased() {
            if character.isASCII {
                if character.isLetter || character.isNumber { folded.append(character) }
            } else if let replacement = asciiFolding[character] {
                folded += replacement
            }
        }
        return folded
    }

    private static let asciiFolding: [Character: String] = {
        let groups: [(String, String)] = [
            ("àáâãäåāąă", "a"), ("æ", "ae"), ("çćč", "c"), ("ďđð", "d"), ("èéêëēęěė", "e"),
            ("ğ", "g"), ("ìíîïīı", "i"), ("ł", "l"), ("ñńň", "n"), ("òóôõöøōő", "o"), ("œ", "oe"),
            ("ř", "r"), ("śšşș", "s"), ("ß", "ss"), ("ťț", "t"), ("þ", "th"), ("ùúûüūůű", "u"),
            ("ýÿ", "y"), ("źżž", "z"),
        ]
        var table: [Character: String] = [:]
        for (letters, replacement) in groups {
            for letter in letters { table[letter] = replacement }
        }
        return table
    }()

    // MARK: - People

    /// Names from across Europe and the Americas, freely mixed as they are in a real city.
    static let latin = Culture(
        givenNames: [
            "Zoë", "José", "Øystein", "Ólafur", "Siobhán", "François", "Chloé", "Søren", "Björn",
            "Åsa", "Ingrid", "Jürgen", "Renée", "Noël", "Inés", "Ramón", "Łukasz", "Małgorzata",
            "Agnieszka", "Anaïs", "Ciarán", "Dónal", "Niamh", "Saoirse", "Aoife", "Mícheál",
            "Þóra", "Sigríður", "Guðrún", "Halldór", "Ásgeir", "Kristín", "João", "Gonçalo",
            "Tomás", "Sebastián", "Joaquín", "Lucía", "María", "Sofía", "Valentina", "Mateo",
            "Héctor", "Raúl", "Ángel", "Íñigo", "Álvaro", "Mónica", "Zoltán", "Ágnes", "Gábor",
            "Csaba", "Mehmet", "Ayşe", "Çağla", "Oğuz", "Jiří", "Tereza", "Václav", "Ondřej",
            "Lenka", "Andrés", "Beatriz", "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mia",
            "Lucas", "Amelia", "Oliver", "Harper", "James", "Grace", "Henry", "Ella", "Jack",
            "Lily", "Samuel", "Ruby", "Daniel", "Alice", "Thomas", "Clara", "Hugo", "Léa", "Jules",
            "Camille", "Émile", "Hélène", "Anna", "Felix", "Greta", "Jonas", "Marta", "Piotr",
            "Paweł", "Elif",
        ].map(Name.init(latin:)),
        familyNames: [
            "Müller", "Ñúñez", "O'Brien", "O'Connor", "O'Neill", "D'Angelo", "Øvergaard",
            "Ólafsson", "Jónsdóttir", "Guðmundsson", "Þórsson", "Schröder", "Schäfer", "Weiß",
            "Köhler", "Fischer", "Weber", "Wagner", "Lefèvre", "Lemaître", "Dupré", "Bélanger",
            "Côté", "Gagné", "García", "Martínez", "Rodríguez", "López", "Hernández", "González",
            "Pérez", "Sánchez", "Ramírez", "Gómez", "Díaz", "Muñoz", "Jiménez", "Álvarez", "Peña",
            "Ibáñez", "Gonçalves", "Araújo", "Magalhães", "Simões", "Brandão", "Kowalski",
            "Wiśniewski", "Wójcik", "Kamiński", "Dąbrowski", "Zieliński", "Novák", "Dvořák",
            "Svoboda", "Černý", "Procházka", "Kovács", "Szabó", "Tóth", "Horváth", "Nagy",
            "Yılmaz", "Öztürk", "Çelik", "Şahin", "Aydın", "Kılıç", "Andersson", "Lindström",
            "Åkesson", "Sjögren", "Hansen", "Jørgensen", "Sørensen", "Nieminen", "Mäkinen",
            "Virtanen", "Hämäläinen", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson",
            "Thompson", "Walker", "Robinson", "Clarke", "Wright", "Hughes", "Murphy", "Kelly",
            "Byrne", "Ní Bhriain", "MacLeod", "McAllister", "Fitzgerald", "de la Cruz",
            "van der Berg", "Nguyen",
        ].map(Name.init(latin:)),
        familyNameFirst: false)

    static let chinese = Culture(
        givenNames: [
            Name("雷", ascii: "lei"), Name("梅梅", ascii: "meimei"), Name("伟", ascii: "wei"),
            Name("芳", ascii: "fang"), Name("娜", ascii: "na"), Name("敏", ascii: "min"),
            Name("静", ascii: "jing"), Name("强", ascii: "qiang"), Name("军", ascii: "jun"),
            Name("洋", ascii: "yang"), Name("勇", ascii: "yong"), Name("艳", ascii: "yan"),
            Name("杰", ascii: "jie"), Name("涛", ascii: "tao"), Name("明", ascii: "ming"),
            Name("超", ascii: "chao"), Name("秀英", ascii: "xiuying"), Name("华", ascii: "hua"),
            Name("平", ascii: "ping"), Name("玲", ascii: "ling"),
        ],
        familyNames: [
            Name("李", ascii: "li"), Name("王", ascii: "wang"), Name("张", ascii: "zhang"),
            Name("刘", ascii: "liu"), Name("陈", ascii: "chen"), Name("杨", ascii: "yang"),
            Name("黄", ascii: "huang"), Name("赵", ascii: "zhao"), Name("吴", ascii: "wu"),
            Name("周", ascii: "zhou"), Name("徐", ascii: "xu"), Name("孙", ascii: "sun"),
            Name("马", ascii: "ma"), Name("朱", ascii: "zhu"), Name("胡", ascii: "hu"),
            Name("郭", ascii: "guo"), Name("何", ascii: "he"), Name("林", ascii: "lin"),
            Name("高", ascii: "gao"), Name("罗", ascii: "luo"),
        ],
        familyNameFirst: true)

    static let japanese = Culture(
        givenNames: [
            Name("花子", ascii: "hanako"), Name("太郎", ascii: "taro"), Name("陽菜", ascii: "hina"),
            Name("蓮", ascii: "ren"), Name("結衣", ascii: "yui"), Name("大翔", ascii: "hiroto"),
            Name("美咲", ascii: "misaki"), Name("翔太", ascii: "shota"),
            Name("さくら", ascii: "sakura"), Name("健", ascii: "ken"), Name("愛", ascii: "ai"),
            Name("悠真", ascii: "yuma"), Name("葵", ascii: "aoi"),
        ],
        familyNames: [
            Name("佐藤", ascii: "sato"), Name("鈴木", ascii: "suzuki"),
            Name("高橋", ascii: "takahashi"), Name("田中", ascii: "tanaka"), Name("伊藤", ascii: "ito"),
            Name("渡辺", ascii: "watanabe"), Name("山本", ascii: "yamamoto"),
            Name("中村", ascii: "nakamura"), Name("小林", ascii: "kobayashi"),
            Name("加藤", ascii: "kato"), Name("吉田", ascii: "yoshida"), Name("山田", ascii: "yamada"),
        ],
        familyNameFirst: true)

    /// Greek names; the family names are the genitive kind that men and women share.
    static let greek = Culture(
        givenNames: [
            Name("Ἀθηνᾶ", ascii: "athina"), Name("Νίκος", ascii: "nikos"),
            Name("Μαρία", ascii: "maria"), Name("Γιώργος", ascii: "giorgos"),
            Name("Ελένη", ascii: "eleni"), Name("Δημήτρης", ascii: "dimitris"),
            Name("Κατερίνα", ascii: "katerina"), Name("Γιάννης", ascii: "giannis"),
            Name("Σοφία", ascii: "sofia"), Name("Κώστας", ascii: "kostas"),
            Name("Αναστασία", ascii: "anastasia"), Name("Παναγιώτης", ascii: "panagiotis"),
            Name("Φωτεινή", ascii: "foteini"),
        ],
        familyNames: [
            Name("Οικονόμου", ascii: "oikonomou"), Name("Γεωργίου", ascii: "georgiou"),
            Name("Νικολάου", ascii: "nikolaou"), Name("Αλεξίου", ascii: "alexiou"),
            Name("Βασιλείου", ascii: "vasileiou"), Name("Ιωάννου", ascii: "ioannou"),
            Name("Δημητρίου", ascii: "dimitriou"), Name("Αθανασίου", ascii: "athanasiou"),
            Name("Κωνσταντίνου", ascii: "konstantinou"),
            Name("Χριστοδούλου", ascii: "christodoulou"), Name("Παύλου", ascii: "pavlou"),
            Name("Σταύρου", ascii: "stavrou"),
        ],
        familyNameFirst: false)

    /// Ukrainian names; the family names are the kind that do not change with gender.
    static let ukrainian = Culture(
        givenNames: [
            Name("Олена", ascii: "olena"), Name("Андрій", ascii: "andrii"),
            Name("Оксана", ascii: "oksana"), Name("Тарас", ascii: "taras"),
            Name("Ірина", ascii: "iryna"), Name("Дмитро", ascii: "dmytro"),
            Name("Наталія", ascii: "nataliia"), Name("Богдан", ascii: "bohdan"),
            Name("Юлія", ascii: "yuliia"), Name("Олександр", ascii: "oleksandr"),
            Name("Марія", ascii: "mariia"), Name("Сергій", ascii: "serhii"),
            Name("Катерина", ascii: "kateryna"), Name("Віктор", ascii: "viktor"),
            Name("Софія", ascii: "sofiia"),
        ],
        familyNames: [
            Name("Шевченко", ascii: "shevchenko"), Name("Коваленко", ascii: "kovalenko"),
            Name("Бондаренко", ascii: "bondarenko"), Name("Ткаченко", ascii: "tkachenko"),
            Name("Кравченко", ascii: "kravchenko"), Name("Олійник", ascii: "oliinyk"),
            Name("Мельник", ascii: "melnyk"), Name("Поліщук", ascii: "polishchuk"),
            Name("Савчук", ascii: "savchuk"), Name("Бойко", ascii: "boiko"),
            Name("Руденко", ascii: "rudenko"), Name("Гончаренко", ascii: "honcharenko"),
            Name("Лисенко", ascii: "lysenko"), Name("Марченко", ascii: "marchenko"),
            Name("Петренко", ascii: "petrenko"),
        ],
        familyNameFirst: false)

    /// People who are always in the demo, right after SQLSoup's two, so the first page of
    /// `users` shows what the table holds: accents, apostrophes, four scripts.
    static let showcaseUsers: [(given: Name, family: Name, culture: Culture)] = [
        (Name(latin: "José"), Name(latin: "Ñúñez"), latin),
        (Name("雷", ascii: "lei"), Name("李", ascii: "li"), chinese),
        (Name("梅梅", ascii: "meimei"), Name("韩", ascii: "han"), chinese),
        (Name(latin: "Zoë"), Name(latin: "Müller"), latin),
        (Name("Ἀθηνᾶ", ascii: "athina"), Name("Παύλου", ascii: "pavlou"), greek),
        (Name(latin: "Øystein"), Name(latin: "O'Brien"), latin),
        (Name(latin: "Ólafur"), Name(latin: "Guðmundsson"), latin),
        (Name("Олена", ascii: "olena"), Name("Шевченко", ascii: "shevchenko"), ukrainian),
    ]

    /// How many generated users each non-Latin tradition contributes; Latin names fill the rest.
    static let culturesWithQuota: [(culture: Culture, count: Int)] = [
        (chinese, 300), (japanese, 150), (greek, 150), (ukrainian, 200),
    ]

    static let emailDomains = ["example.com", "example.org", "example.net", "example.ed"]

    /// What a user studies; users without one have a NULL `classname`, as SQLSoup's two do.
    static let classNames = [
        "Botany 101", "Bryology", "Mycology", "Library Science", "Moss Appreciation",
        "Mustard Studies", "Organic Chemistry", "Medieval History", "Linguistics", "Astronomy",
        "Applied Mathematics", "Philosophy", "Économie politique", "Ökologie", "Cartography",
    ]

    // MARK: - Books

    /// Real books, always in the demo, for titles and authors outside ASCII.
    static let classics: [(title: String, year: Int, authors: String)] = [
        ("Cien años de soledad", 1967, "García Márquez"),
        ("Die Verwandlung", 1915, "Kafka"),
        ("Le Petit Prince", 1943, "Saint-Exupéry"),
        ("Война и мир", 1869, "Толстой"),
        ("红楼梦", 1791, "曹雪芹"),
        ("吾輩は猫である", 1905, "夏目漱石"),
        ("Ο Καπετάν Μιχάλης", 1953, "Καζαντζάκης"),
        ("Sjálfstætt fólk", 1934, "Laxness"),
        ("Fröken Julie", 1888, "Strindberg"),
        ("Gösta Berlings saga", 1891, "Lagerlöf"),
        ("Pan Tadeusz", 1834, "Mickiewicz"),
        ("Os Lusíadas", 1572, "Camões"),
        ("Kalevala", 1835, "Lönnrot"),
        ("Don Quijote de la Mancha", 1605, "Cervantes"),
        ("Madame Bovary", 1857, "Flaubert"),
        ("Pride and Prejudice", 1813, "Austen"),
        ("Good Omens", 1990, "Pratchett and Gaiman"),
        ("The Elements of Style", 1959, "Strunk and White"),
    ]

    private static let adjectives = [
        "Silent", "Hidden", "Forgotten", "Lesser", "Common", "Northern", "Wandering", "Curious",
        "Invisible", "Last", "Quiet", "Golden", "Bitter", "Patient", "Accidental", "Distant",
        "Tender", "Unruly", "Careful", "Crimson", "Hollow", "Peculiar", "Gentle", "Secret",
        "Endless", "Green", "Modest", "Reluctant", "Wild", "Little",
    ]

    private static let nouns = [
        "Garden", "Lichen", "Mustard", "Moss", "River", "Orchard", "Lighthouse", "Archive",
        "Harbour", "Meadow", "Glacier", "Library", "Cartographer", "Beekeeper", "Botanist", "Fern",
        "Island", "Valley", "Observatory", "Teacup", "Compass", "Lantern", "Kingdom", "Almanac",
        "Herbarium", "Mushroom", "Alphabet", "Atlas", "Orchid", "Weather",
    ]

    private static let pluralNouns = [
        "Mustards", "Mosses", "Lichens", "Ferns", "Orchids", "Mushrooms", "Glaciers", "Islands",
        "Lighthouses", "Rivers", "Gardens", "Maps", "Beetles", "Clouds", "Tides", "Letters",
        "Seeds", "Stones", "Birds", "Bees", "Lanterns", "Weeds", "Owls", "Hedgehogs", "Puddles",
    ]

    private static let places = [
        "Reykjavík", "Córdoba", "Zürich", "Kraków", "São Paulo", "Tromsø", "Malmö", "Besançon",
        "Nîmes", "Łódź", "Plzeň", "Göteborg", "Ærø", "Düsseldorf", "Galway", "Oaxaca", "Cádiz",
        "Thessaloniki", "Kyiv", "Lyon", "Porto", "Bergen", "Wrocław", "Sevilla", "the North",
    ]

    /// Every title the generator can make, each once, in a fixed order (about 5,000).
    static let allTitles: [String] = {
        var titles: [String] = []
        for noun in pluralNouns {
            titles.append("\(noun) I Have Known")
            titles.append("Regional Variation in \(noun)")
            titles.append("A Field Guide to \(noun)")
            titles.append("On \(noun)")
        }
        for adjective in adjectives {
            for noun in nouns { titles.append("The \(adjective) \(noun)") }
            for noun in pluralNouns {
                titles.append("\(adjective) \(noun)")
                titles.append("Notes on \(adjective) \(noun)")
            }
        }
        for place in places {
            for noun in nouns { titles.append("The \(noun) of \(place)") }
            for noun in pluralNouns { titles.append("\(noun) of \(place)") }
        }
        for first in nouns {
            for second in nouns where second != first {
                titles.append("The \(first) and the \(second)")
            }
        }
        return titles
    }()

    /// Authors are cited by family name, as in SQLSoup's fixture (`Jones`, `Flim and Flam`).
    static let authorNames: [String] =
        (latin.familyNames + greek.familyNames + ukrainian.familyNames).map(\.text)
}
