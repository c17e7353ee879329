import ArgumentParser
import BakeryCore
import Foundation

struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase one data subject at every client: a DA id, a partner's cookie or an identifier hash.",
        discussion: """
            --da-id: its sync pairs with their activity, and its graph edges. --cookie PARTNER COOKIE: that \
            partner cookie's sync pairs. --hash HEX (the SHA-256 of a normalised e-mail, phone…): every CRM \
            record holding it, its graph edges, and the sync pairs of the DA ids tied to it. Admins only; \
            audited without the erased id (give --reference to tie the entry to the request). Later exports \
            omit what went; files already delivered cannot be reached (docs/privacy.md, Erasure).
            Example: bakery erase --hash 86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d --reference DSR-118
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("A DA id (32 lower-case hex digits).", valueName: "id")) var daID: String?
    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp("A partner key and that partner's cookie id.", valueName: "partner cookie"))
    var cookie: [String] = []
    @Option(help: ArgumentHelp("An identifier's SHA-256, 64 hex digits.", valueName: "hex")) var hash: String?
    @Option(help: ArgumentHelp("The request served (a ticket number), kept in the audit entry.", valueName: "text"))
    var reference: String?
    @Flag(help: "One JSON document on stdout.") var json = false

    func validate() throws {
        let given = [daID != nil, !cookie.isEmpty, hash != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give exactly one of --da-id, --cookie or --hash") }
        if !cookie.isEmpty, cookie.count != 2 {
            throw ValidationError("--cookie takes two values: the partner key and the cookie id")
        }
        let option = daID != nil ? "--da-id" : hash != nil ? "--hash" : "--cookie"
        do {
            try subject().validate()
        } catch let error as BakeryError {
            throw ValidationError("\(option): \(error.localizedDescription)")
        }
        do {
            try reference.map { try ErasureRequest.validate(reference: $0) }
        } catch let error as BakeryError {
            throw ValidationError("--reference: \(error.localizedDescription)")
        }
    }

    func subject() throws -> ErasureSubject {
        if let daID { return .daID(daID) }
        if let hash {
            guard let parsed = IdentifierHash(hex: hash) else {
                throw ValidationError("--hash takes a SHA-256: 64 hex digits, got \(hash.count) characters")
            }
            return .hash(parsed)
        }
        return .cookie(partner: cookie[0], cookieID: cookie[1])
    }

    func run() async throws {
        let (actor, store) = try database.session()
        let subject = try subject()
        let report = try await Erasure(store: store).run(ErasureRequest(subject: subject, actor: actor, reference: reference))
        if json { return try JSONOutput.print(report) }
        if report.isEmpty {
            print("Nothing held for this \(subject.kind); the request is audited.")
            return
        }
        print("Erased this \(subject.kind):")
        print(PurgeJSON.table(report.clients, files: false))
        print("Graph edges: \(Figures.grouped(report.graphEdges)). Exports from now on omit it; files already delivered keep it.")
    }
}
