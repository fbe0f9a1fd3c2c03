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

        /// Names from a table of `NAME ascii` entries separated by commas and line ends, in
        /// order (for non-Latin scripts).
        static func romanized(_ table: String) -> [Name] {
            table.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { entry in
                let words = entry.split(separator: " ")
                return Name(String(words[0]), ascii: String(words[1]))
            }
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
        givenNames: Name.romanized(
            """
            雷 lei, 梅梅 meimei, 伟 wei, 芳 fang, 娜 na, 敏 min, 静 jing, 强 qiang, 军 jun, 洋 yang, 勇 yong
            艳 yan, 杰 jie, 涛 tao, 明 ming, 超 chao, 秀英 xiuying, 华 hua, 平 ping, 玲 ling
            """),
        familyNames: Name.romanized(
            """
            李 li, 王 wang, 张 zhang, 刘 liu, 陈 chen, 杨 yang, 黄 huang, 赵 zhao, 吴 wu, 周 zhou, 徐 xu, 孙 sun
            马 ma, 朱 zhu, 胡 hu, 郭 guo, 何 he, 林 lin, 高 gao, 罗 luo
            """),
        familyNameFirst: true)

    static let japanese = Culture(
        givenNames: Name.romanized(
            """
            花子 hanako, 太郎 taro, 陽菜 hina, 蓮 ren, 結衣 yui, 大翔 hiroto, 美咲 misaki, 翔太 shota, さくら sakura
            健 ken, 愛 ai, 悠真 yuma, 葵 aoi
            """),
        familyNames: Name.romanized(
            """
            佐藤 sato, 鈴木 suzuki, 高橋 takahashi, 田中 tanaka, 伊藤 ito, 渡辺 watanabe, 山本 yamamoto
            中村 nakamura, 小林 kobayashi, 加藤 kato, 吉田 yoshida, 山田 yamada
            """),
        familyNameFirst: true)

    /// Greek names; the family names are the genitive kind that men and women share.
    static let greek = Culture(
        givenNames: Name.romanized(
            """
            Ἀθηνᾶ athina, Νίκος nikos, Μαρία maria, Γιώργος giorgos, Ελένη eleni, Δημήτρης dimitris
            Κατερίνα katerina, Γιάννης giannis, Σοφία sofia, Κώστας kostas, Αναστασία anastasia
            Παναγιώτης panagiotis, Φωτεινή foteini
            """),
        familyNames: Name.romanized(
            """
            Οικονόμου oikonomou, Γεωργίου georgiou, Νικολάου nikolaou, Αλεξίου alexiou
            Βασιλείου vasileiou, Ιωάννου ioannou, Δημητρίου dimitriou, Αθανασίου athanasiou
            Κωνσταντίνου konstantinou, Χριστοδούλου christodoulou, Παύλου pavlou, Σταύρου stavrou
            """),
        familyNameFirst: false)

    /// Ukrainian names; the family names are the kind that do not change with gender.
    static let ukrainian = Culture(
        givenNames: Name.romanized(
            """
            Олена olena, Андрій andrii, Оксана oksana, Тарас taras, Ірина iryna, Дмитро dmytro
            Наталія nataliia, Богдан bohdan, Юлія yuliia, Олександр oleksandr, Марія mariia
            Сергій serhii, Катерина kateryna, Віктор viktor, Софія sofiia
            """),
        familyNames: Name.romanized(
            """
            Шевченко shevchenko, Коваленко kovalenko, Бондаренко bondarenko, Ткаченко tkachenko
            Кравченко kravchenko, Олійник oliinyk, Мельник melnyk, Поліщук polishchuk
            Савчук savchuk, Бойко boiko, Руденко rudenko, Гончаренко honcharenko, Лисенко lysenko
            Марченко marchenko, Петренко petrenko
            """),
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
