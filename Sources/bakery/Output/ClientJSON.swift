import BakeryCore
import Foundation

/// A client as `client list --json` writes it.
struct ClientJSON: Encodable {
    var id: String
    var name: String
    var country: String
    var dmp: String
    var partners: [String]
    /// Partner key → read-back URL, for partners that have one.
    var callbackURLs: [String: String]
    var createdAt: Date
    /// The drop-zone audience id; null when none is set.
    var audience: String?

    enum CodingKeys: String, CodingKey {
        case id, name, country, dmp, partners, audience
        case callbackURLs = "callback_urls"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(country, forKey: .country)
        try container.encode(dmp, forKey: .dmp)
        try container.encode(partners, forKey: .partners)
        try container.encode(callbackURLs, forKey: .callbackURLs)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(audience, forKey: .audience)
    }

    init(_ client: Client) {
        id = client.id
        name = client.name
        country = client.country
        dmp = client.dmp.rawValue
        partners = client.partners.map(\.key)
        callbackURLs = Dictionary(uniqueKeysWithValues: client.partners.compactMap { p in p.callbackURL.map { (p.key, $0) } })
        createdAt = client.createdAt
        audience = client.audience
    }
}

/// The last export as listings show it.
struct ExportRunJSON: Encodable {
    var day: Day
    var outcome: String
    var rows: Int
    var file: String?
    var sha256: String?
    var startedBy: String
    var finishedAt: Date

    enum CodingKeys: String, CodingKey {
        case day, outcome, rows, file, sha256
        case startedBy = "started_by"
        case finishedAt = "finished_at"
    }

    init(_ run: ExportRun) {
        day = run.day
        outcome = run.outcome.rawValue
        rows = run.rows
        file = run.localFile?.path ?? run.file
        sha256 = run.sha256
        startedBy = run.startedBy
        finishedAt = run.finishedAt
    }
}

/// A client's counts, shared by `client show` and `stats`.
struct CountsJSON: Encodable {
    var records: Int
    var removedRecords: Int
    var recordsByKind: [String: Int]
    var syncedCookies: Int
    var syncedCookiesLastDay: Int
    var uploads: Int
    var exportRuns: Int
    var lastExport: ExportRunJSON?

    enum CodingKeys: String, CodingKey {
        case records, uploads
        case removedRecords = "removed_records"
        case recordsByKind = "records_by_kind"
        case syncedCookies = "synced_cookies"
        case syncedCookiesLastDay = "synced_cookies_last_day"
        case exportRuns = "export_runs"
        case lastExport = "last_export"
    }

    init(_ counts: ClientCounts) {
        records = counts.activeRecords
        removedRecords = counts.removedRecords
        recordsByKind = Dictionary(uniqueKeysWithValues: counts.recordsByKind.map { ($0.key.rawValue, $0.value) })
        syncedCookies = counts.syncedCookies
        syncedCookiesLastDay = counts.syncedCookiesLastDay
        uploads = counts.uploads
        exportRuns = counts.exportRuns
        lastExport = counts.lastExport.map(ExportRunJSON.init)
    }

    /// Human lines, one figure each.
    var lines: [String] {
        var out = [
            "records           \(Figures.grouped(records)) active, \(Figures.grouped(removedRecords)) removed"
        ]
        for kind in IdentifierKind.allCases {
            if let n = recordsByKind[kind.rawValue] { out.append("  with \(kind.label.padding(toLength: 12, withPad: " ", startingAt: 0)) \(Figures.grouped(n))") }
        }
        out.append("synced cookies    \(Figures.grouped(syncedCookies)) (\(Figures.grouped(syncedCookiesLastDay)) in the last 24 h)")
        out.append("uploads           \(uploads)")
        if let last = lastExport {
            out.append("exports           \(exportRuns); last: \(last.day) \(last.outcome), \(Figures.grouped(last.rows)) rows")
        } else {
            out.append("exports           none yet")
        }
        return out
    }
}

/// `client show --json`: the client with its counts, in one flat object.
struct ClientDetailJSON: Encodable {
    var client: ClientJSON
    var counts: CountsJSON

    init(client: Client, counts: ClientCounts) {
        self.client = ClientJSON(client)
        self.counts = CountsJSON(counts)
    }

    func encode(to encoder: any Encoder) throws {
        try client.encode(to: encoder)
        try counts.encode(to: encoder)
    }

    var text: String {
        let partners = client.partners.map { key in
            client.callbackURLs[key].map { "\(key) → \($0)" } ?? key
        }
        return ([
            "\(client.name) (\(client.id))",
            "country           \(client.country)",
            "dmp               \(client.dmp)",
            "partners          \(partners.joined(separator: ", "))",
            "audience          \(client.audience ?? "none (drop zone not used)")",
        ] + counts.lines).joined(separator: "\n")
    }
}
