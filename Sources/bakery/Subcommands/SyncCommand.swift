import ArgumentParser
import BakeryCore
import Foundation

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Inspect cookie-sync pairs.",
        subcommands: [Lookup.self])
}

extension SyncCommand {
    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Did this cookie sync? Show the stored pairs of a DMP cookie id, or of a DA id.",
            discussion: """
                Examples:
                  bakery sync lookup PO_8f3a21c9 3f1c…    one DMP cookie id of one partner
                  bakery sync lookup --da-id 0123…cdef    one DA id, across partners
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The partner key the DMP sends.") var partner: String?
        @Argument(help: "The DMP's cookie id.") var cookie: String?
        @Option(name: .customLong("da-id"), help: "Look up by DA id instead.") var daID: String?
        @Flag(help: "An array of {partner, cookie_id, da_id, site, first_seen, last_seen, hits} on stdout.") var json = false

        func validate() throws {
            switch (partner, cookie, daID) {
            case (_?, _?, nil), (nil, nil, _?): return
            default: throw ValidationError("give either PARTNER and COOKIE, or --da-id ID")
            }
        }

        func run() async throws {
            let (actor, store) = try database.session()
            let lookup = SyncLookup(store: store, actor: actor)
            let pairs: [SyncPair]
            if let daID {
                pairs = try await lookup.pairs(daID: daID)
            } else {
                pairs = try await lookup.pairs(partner: partner!, cookieID: cookie!)
            }
            if json { return try JSONOutput.print(pairs.map(SyncPairJSON.init)) }
            guard !pairs.isEmpty else { return Console.note("no sync pairs found") }
            var table = TextTable(
                headers: ["CLIENT", "PARTNER", "COOKIE ID", "DA ID", "SITE", "FIRST SEEN", "LAST SEEN", "HITS"], numeric: [7])
            table.rows = pairs.map {
                [$0.clientID, $0.partner, $0.cookieID, $0.daID, $0.site ?? "-", ISOTime.string($0.firstSeen),
                 ISOTime.string($0.lastSeen), Figures.grouped($0.hits)]
            }
            print(table.render())
        }
    }
}

/// A sync pair as `sync lookup --json` writes it.
struct SyncPairJSON: Encodable {
    var client: String
    var partner: String
    var cookieID: String
    var daID: String
    var site: String?
    var firstSeen: Date
    var lastSeen: Date
    var hits: Int

    enum CodingKeys: String, CodingKey {
        case client, partner, site, hits
        case cookieID = "cookie_id"
        case daID = "da_id"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }

    init(_ pair: SyncPair) {
        client = pair.clientID
        partner = pair.partner
        cookieID = pair.cookieID
        daID = pair.daID
        site = pair.site
        firstSeen = pair.firstSeen
        lastSeen = pair.lastSeen
        hits = pair.hits
    }
}
