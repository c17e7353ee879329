/// The fictional advertisers of the demo dataset: Dutch, Swedish and Finnish brands spread over the DMP kinds,
/// each with its own reach in the identity graph and sync volume, so match rates differ the way real ones do.
struct DemoProfile: Sendable {
    let id: String
    let name: String
    let country: String
    let dmp: DMPKind
    let partner: String
    /// Relative size of the CRM record set.
    let weight: Double
    /// Probability that a record's email is known to the identity graph (other kinds scale from it).
    let reach: Double
    /// Probability that a browser of a known person synced with this client's DMP.
    let syncRate: Double
    /// Whether the client sends its own record ids (`custom`) or relies on the primary hash.
    let customIDs: Bool
    let callbackURL: String?

    static let catalogue: [DemoProfile] = [
        .init(
            id: "zuiderzee", name: "Zuiderzee Retail", country: "NL", dmp: .tealium, partner: "tealium-zuiderzee",
            weight: 5, reach: 0.55, syncRate: 0.80, customIDs: true, callbackURL: nil),
        .init(
            id: "polder-energie", name: "Polder Energie", country: "NL", dmp: .relay42, partner: "r42-polder",
            weight: 3, reach: 0.45, syncRate: 0.70, customIDs: true,
            callbackURL: "https://sync.relay42.example/match?bakery=${DA_ID}"),
        .init(
            id: "grachten-media", name: "Grachten Media", country: "NL", dmp: .squeezely, partner: "sqz-grachten",
            weight: 2, reach: 0.62, syncRate: 0.85, customIDs: false, callbackURL: nil),
        .init(
            id: "tulpen-co", name: "Tulpen & Co", country: "NL", dmp: .weborama, partner: "wbr-tulpen",
            weight: 1.5, reach: 0.35, syncRate: 0.55, customIDs: true, callbackURL: nil),
        .init(
            id: "dijkstra-verzekeringen", name: "Dijkstra Verzekeringen", country: "NL", dmp: .piano,
            partner: "PO_8f3a21c9", weight: 2.5, reach: 0.30, syncRate: 0.60, customIDs: true,
            callbackURL: "https://c.piano.example/sync?partner=bakery&uid=${DA_ID}"),
        .init(
            id: "nordvik-sport", name: "Nordvik Sport", country: "SE", dmp: .mediarithmics, partner: "mics-nordvik",
            weight: 3, reach: 0.50, syncRate: 0.75, customIDs: true, callbackURL: nil),
        .init(
            id: "skargard-resor", name: "Skärgård Resor", country: "SE", dmp: .snowplow, partner: "sp-skargard",
            weight: 1, reach: 0.40, syncRate: 0.65, customIDs: false, callbackURL: nil),
        .init(
            id: "fjallbacka-bank", name: "Fjällbacka Bank", country: "SE", dmp: .permutive, partner: "pmt-fjallbacka",
            weight: 2, reach: 0.28, syncRate: 0.50, customIDs: true, callbackURL: nil),
        .init(
            id: "lagom-hem", name: "Lagom Hem", country: "SE", dmp: .tealium, partner: "tealium-lagom",
            weight: 1.5, reach: 0.48, syncRate: 0.70, customIDs: true, callbackURL: nil),
        .init(
            id: "jarvi-media", name: "Järvi Media", country: "FI", dmp: .piano, partner: "PO_4be09d17",
            weight: 2, reach: 0.58, syncRate: 0.80, customIDs: false, callbackURL: nil),
        .init(
            id: "sauna-outlet", name: "Sauna Outlet", country: "FI", dmp: .relay42, partner: "r42-sauna",
            weight: 1, reach: 0.33, syncRate: 0.60, customIDs: true, callbackURL: nil),
        .init(
            id: "revontuli-telecom", name: "Revontuli Telecom", country: "FI", dmp: .custom, partner: "revontuli-dmp",
            weight: 2.5, reach: 0.42, syncRate: 0.65, customIDs: true, callbackURL: nil),
    ]

    /// The first `count` profiles; past the catalogue's end, numbered copies of it.
    static func profiles(count: Int) -> [DemoProfile] {
        (0..<count).map { index in
            let base = catalogue[index % catalogue.count]
            let round = index / catalogue.count
            guard round > 0 else { return base }
            return DemoProfile(
                id: "\(base.id)-\(round + 1)", name: "\(base.name) \(round + 1)", country: base.country, dmp: base.dmp,
                partner: "\(base.partner)-\(round + 1)", weight: base.weight, reach: base.reach,
                syncRate: base.syncRate, customIDs: base.customIDs, callbackURL: base.callbackURL)
        }
    }

    var client: Client {
        Client(
            id: id, name: name, country: country, dmp: dmp, partners: [Partner(key: partner, callbackURL: callbackURL)])
    }

    /// A DMP cookie id in the shape this DMP uses.
    func cookieID(_ random: inout SeededRandom) -> String {
        switch dmp {
        case .tealium: random.hex(32)
        case .relay42, .snowplow, .permutive, .piano: random.uuid()
        case .squeezely: "sqz." + random.hex(20)
        case .weborama: "wbr" + random.hex(21)
        case .mediarithmics: "mics:" + random.hex(24)
        case .custom: random.hex(24)
        }
    }
}
