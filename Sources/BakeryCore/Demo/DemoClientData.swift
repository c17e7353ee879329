import Foundation

/// One demo client's generated rows, plus the facts needed to derive its figures honestly.
struct DemoClientData: Sendable {
    struct Person {
        var record: CRMRecord
        /// Indices into `daIDs` of this person's browsers; empty when the graph does not know the person.
        var browsers: [Int32] = []
        /// Identifier kinds the identity graph knows for this person.
        var kindsInGraph: Set<IdentifierKind> = []
        var removed = false
    }

    struct Pair {
        var cookieID: String
        var browser: Int32
        var activity: [(day: Day, hits: Int)]
        var firstDay: Day { activity[0].day }
    }

    /// A graph edge by browser index; the DA id string is assigned once all browsers exist.
    struct Edge {
        var browser: Int32
        var identifier: Identifier
        var lastSeen: Day
    }

    let profile: DemoProfile
    let today: Day
    var people: [Person] = []
    var daIDs: [String] = []
    /// Which person each browser belongs to; -1 for browsers of people outside this CRM.
    var owner: [Int32] = []
    var edges: [Edge] = []
    var pairs: [Pair] = []

    /// The history covers the 30 days up to and including today.
    static let window = 30

    static func generate(profile: DemoProfile, records: Int, today: Day, random: inout SeededRandom) -> DemoClientData {
        var data = DemoClientData(profile: profile, today: today)
        data.people.reserveCapacity(records)
        for index in 0..<records { data.addPerson(index, &random) }
        data.addStrangers(&random)
        data.assignSortedIDs(&random)
        return data
    }

    private mutating func addPerson(_ index: Int, _ random: inout SeededRandom) {
        var identifiers: [Identifier] = []
        let country = profile.country
        if random.chance(0.92) {
            let domain = DemoClientData.domains[country]![Int(random.next() % 4)]
            identifiers.append(Identifier(.email, .sha256(of: "\(profile.id).\(index).\(random.hex(4))@\(domain)")))
        }
        if random.chance(country == "NL" ? 0.50 : 0.40) {
            let prefix = ["NL": "316", "SE": "467", "FI": "3584"][country] ?? "316"
            identifiers.append(Identifier(.phone, .sha256(of: prefix + String(random.next() % 100_000_000))))
        }
        if random.chance(0.33) {
            identifiers.append(
                Identifier(
                    .address, .sha256(of: "\(country)|\(random.next() % 90_000 + 10_000)|\(random.next() % 300 + 1)")))
        }
        if country == "SE" && random.chance(0.55) {
            identifiers.append(Identifier(.personalID, .sha256(of: "19\(random.next() % 10_000_000_000)")))
        }
        if random.chance(0.06) { identifiers.append(Identifier(.aaid, .sha256(of: random.uuid()))) }
        if random.chance(0.04) { identifiers.append(Identifier(.idfa, .sha256(of: random.uuid()))) }
        if identifiers.isEmpty {
            identifiers.append(Identifier(.email, .sha256(of: "\(profile.id).\(index)@example.org")))
        }
        let recordID =
            profile.customIDs
            ? String(format: "%@-%07d", String(profile.id.prefix(3)).uppercased(), index + 1)
            : CRMRecord.primary(of: identifiers)!.hash.hex
        var person = Person(record: CRMRecord(clientID: profile.id, recordID: recordID, identifiers: identifiers))
        person.removed = random.chance(0.03)

        let factor: [IdentifierKind: Double] = [
            .email: 1, .phone: 0.6, .address: 0.35, .personalID: 0.5, .aaid: 0.8, .idfa: 0.8,
        ]
        let known = identifiers.filter { random.chance(profile.reach * factor[$0.kind]!) }
        if !known.isEmpty {
            let browsers = random.chance(0.7) ? 1 : random.chance(0.85) ? 2 : 3
            for _ in 0..<browsers {
                let browser = addBrowser(owner: Int32(people.count), &random)
                person.browsers.append(browser)
                for identifier in known {
                    edges.append(
                        Edge(
                            browser: browser, identifier: identifier,
                            lastSeen: today.adding(days: -Int(random.next() % 60))))
                }
                if random.chance(profile.syncRate) { addPair(browser: browser, &random) }
            }
            person.kindsInGraph = Set(known.map(\.kind))
        }
        people.append(person)
    }

    /// Browsers of people outside this CRM: graph edges that match nothing, cookies that sync but never match.
    private mutating func addStrangers(_ random: inout SeededRandom) {
        let matchedPairs = pairs.count
        for _ in 0..<Int(Double(matchedPairs) * (0.6 + Double(random.next() % 60) / 100)) {
            addPair(browser: addBrowser(owner: -1, &random), &random)
        }
        for _ in 0..<(edges.count / 4) {
            let browser = addBrowser(owner: -1, &random)
            edges.append(
                Edge(
                    browser: browser, identifier: Identifier(.email, .sha256(of: random.hex(16))),
                    lastSeen: today.adding(days: -Int(random.next() % 60))))
        }
    }

    private mutating func addBrowser(owner person: Int32, _ random: inout SeededRandom) -> Int32 {
        owner.append(person)
        return Int32(owner.count - 1)
    }

    /// Random DA ids and cookie ids, handed out in sorted order: edges and pairs are generated in browser order,
    /// so the store receives them in key order, as a bulk loader would sort them. The ids stay random.
    private mutating func assignSortedIDs(_ random: inout SeededRandom) {
        daIDs = (0..<owner.count).map { _ in random.hex(32) }.sorted()
        let cookies = pairs.indices.map { _ in profile.cookieID(&random) }.sorted()
        for index in pairs.indices { pairs[index].cookieID = cookies[index] }
    }

    /// A cookie sync first seen up to 45 days ago, then active on a few more days up to today.
    private mutating func addPair(browser: Int32, _ random: inout SeededRandom) {
        let first = today.adding(days: -Int(random.next() % 45))
        var days: Set<Int> = [first.number]
        let span = today.number - first.number
        if span > 0 {
            for _ in 0..<Int(random.next() % 5) { days.insert(first.number + 1 + Int(random.next() % UInt64(span))) }
        }
        let activity = days.sorted().map { (day: Day(number: $0), hits: 1 + Int(random.next() % 3)) }
        pairs.append(Pair(cookieID: "", browser: browser, activity: activity))
    }

    static let domains: [String: [String]] = [
        "NL": ["gmail.com", "hotmail.nl", "ziggo.nl", "kpnmail.nl"],
        "SE": ["gmail.com", "hotmail.se", "telia.com", "outlook.com"],
        "FI": ["gmail.com", "hotmail.fi", "elisanet.fi", "outlook.com"],
    ]
}
