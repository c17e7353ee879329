import BakeryCore
import Foundation

/// Small, fixed values for tests: fixed times, a few clients, hashes of readable strings.
public enum Fixtures {
    /// 2026-11-26T12:00:00Z — a fixed "now" so tests never depend on the clock.
    public static let now = Date(timeIntervalSince1970: 1_795_694_400)

    public static func hash(_ label: String) -> IdentifierHash { IdentifierHash.sha256(of: label) }

    public static func client(_ id: String, partners: [String]? = nil, country: String = "NL", dmp: DMPKind = .tealium)
        -> Client
    {
        Client(
            id: id, name: "Client \(id)", country: country, dmp: dmp,
            partners: (partners ?? ["\(id)-dmp"]).map { Partner(key: $0) }, createdAt: now)
    }

    public static func record(_ client: String, _ id: String, kinds: [IdentifierKind] = [.email], active: Bool = true)
        -> CRMRecord
    {
        CRMRecord(
            clientID: client, recordID: id,
            identifiers: kinds.map { Identifier($0, hash("\(client)/\(id)/\($0.rawValue)")) }, active: active)
    }

    /// A record without an id of its own: its id is its primary identifier's hash, as for a file without `custom`.
    /// The same `person` gives the same hashes for every client.
    public static func anonymousRecord(_ client: String, _ person: String, kinds: [IdentifierKind] = [.email])
        -> CRMRecord
    {
        let identifiers = kinds.map { Identifier($0, hash("\(person)/\($0.rawValue)")) }
        return CRMRecord(clientID: client, recordID: CRMRecord.primary(of: identifiers)!.hash.hex, identifiers: identifiers)
    }
}

extension Fixtures {
    /// The operator fixtures act as: `ops` in the audit log, with every permission.
    public static let actor = Operator(name: "ops", role: .admin)
}

/// Writes for setting up a test's data, each with the audit entry the core would write; only test targets link
/// this module, so production code always words its own entries.
extension Store {
    public func addClient(_ client: Client) async throws {
        try await addClient(client, audit: .clientAdded(client, by: Fixtures.actor, at: Fixtures.now))
    }

    public func removeClient(id: String) async throws {
        try await removeClient(id: id, audit: .clientRemoved(id, by: Fixtures.actor, at: Fixtures.now))
    }

    public func addExportRun(_ run: ExportRun) async throws -> ExportRun {
        try await addExportRun(run, audit: .export(run, by: Fixtures.actor))
    }
}
