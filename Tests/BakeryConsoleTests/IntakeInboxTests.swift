@testable import BakeryConsole
import BakeryCore
import BakeryTesting
import Foundation
import Testing

/// A location that is not on this machine as far as the console can tell: a local folder behind the FileSource
/// protocol only, whose fetch makes a private copy as S3 and SFTP do.
struct DistantFolder: FileSource {
    let folder: LocalFolder
    var uri: String { "distant://" + folder.root.path + "/" }
    var appearsWhole: Bool { true }
    func list(under prefix: String) async throws -> [StoredFile] { try await folder.list(under: prefix) }
    func fetch(_ key: String, into target: URL) async throws -> FetchedFile {
        let copy = target.appendingPathComponent(URL(fileURLWithPath: key).lastPathComponent)
        try FileManager.default.copyItem(at: folder.url(of: key), to: copy)
        return FetchedFile(url: copy, isCopy: true)
    }
    func put(_ local: URL, as key: String) async throws { try await folder.put(local, as: key) }
    func move(_ key: String, to newKey: String) async throws { try await folder.move(key, to: newKey) }
    func remove(_ key: String) async throws { try await folder.remove(key) }
}

struct DistantConnector: StorageConnector {
    func source(for location: StorageLocation) throws -> any FileSource {
        DistantFolder(folder: LocalFolder(root: URL(fileURLWithPath: location.address.path)))
    }
    func destination(for location: StorageLocation) throws -> any FileDestination {
        LocalFolder(root: URL(fileURLWithPath: location.address.path))
    }
    func test(_ location: StorageLocation) async -> [StorageCheck] { [] }
}

@MainActor
@Suite("The Onboarding view's inbox of intake locations")
struct IntakeInboxTests {
    let flows = OperatorViewsTests()

    @Test func aFileWaitingAtAClientsIntakeLocationIsListedPreviewedAndApplied() async throws {
        let fixture = try await ConsoleFixture.make()
        let bucket = fixture.folder.appendingPathComponent("bucket")
        let key = "onboard/audience=4711/opt-in/20261129_070000.csv"
        try FileManager.default.createDirectory(
            at: bucket.appendingPathComponent(key).deletingLastPathComponent(), withIntermediateDirectories: true)
        try "email\nnew1@example.nl\nnew2@example.nl\n".write(
            to: bucket.appendingPathComponent(key), atomically: true, encoding: .utf8)
        _ = try await StorageLocation(
            clientID: "acme", role: .intake, address: try StorageAddress(parsing: "file://\(bucket.path)/")
        ).add(to: fixture.store, by: ConsoleFixture.admin)
        let app = ConsoleApp(
            environment: fixture.environment(storage: DistantConnector()), theme: .builtIn, themes: nil,
            database: "bakery.sqlite")
        await app.settle()
        await flows.command(app, "onboard acme")
        let view = try #require(app.current as? OnboardingView)
        await flows.send(app, .tab)
        #expect(view.tab == .dropZone)
        #expect(view.inbox.count == 2, "the local drop zone's file and the location's")
        let index = try #require(view.inbox.firstIndex { $0.location.hasPrefix("distant://") })
        let screen = await flows.screen(app, Size(width: 120, height: 40))
        #expect(screen.contains("distant://") && screen.contains("intake locations: 1"), "\(screen)")
        for _ in 0..<index { await flows.send(app, .down) }
        await flows.send(app, .enter)
        for _ in 0..<500 where view.isBusy { try await Task.sleep(for: .milliseconds(5)) }
        await app.settle()
        #expect(view.step == .review && view.picked?.location?.hasPrefix("distant://") == true)
        guard case .done(let preview) = view.preview.state else {
            Issue.record("no preview of the fetched copy: \(view.preview.state)")
            return
        }
        #expect(preview.samples.count == 2)
        await flows.send(app, .character("u"), .character("y"))
        for _ in 0..<2_000 where view.step == .running { try await Task.sleep(for: .milliseconds(2)) }
        await app.settle()
        #expect(try await fixture.store.counts(clientID: "acme", now: ConsoleFixture.now).activeRecords == 32)
        #expect(!FileManager.default.fileExists(atPath: bucket.appendingPathComponent(key).path), "deleted at the location")
        #expect(FileManager.default.fileExists(
            atPath: bucket.appendingPathComponent("processed/audience=4711/opt-in/20261129_070000.csv.receipt.json").path))
    }
}
