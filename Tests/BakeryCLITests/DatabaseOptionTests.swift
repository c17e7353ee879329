import Foundation
import Testing

@Suite("--db and the database file")
struct DatabaseOptionTests {
    @Test func aMissingDatabaseIsExitOneAndIsNotCreated() throws {
        let bakery = try BakeryRunner()
        for command in [["client", "list"], ["stats"], ["client", "show", "x"]] {
            let result = try bakery.run(command)
            #expect(result.status == 1)
            #expect(result.stderr.contains("no database at \(bakery.database)"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: bakery.database))
    }

    @Test(arguments: [
        Data("email,phone\nx@y.nl,0612345678\n".utf8),
        Data("SQLite format 3\0".utf8) + Data(repeating: 0x5A, count: 4096),
    ])
    func aFileThatIsNotABakeryDatabaseIsExitOneAndUntouched(contents: Data) throws {
        let bakery = try BakeryRunner()
        try contents.write(to: URL(fileURLWithPath: bakery.database))
        for command in [["client", "list"], ["client", "add", "a", "--name", "A", "--country", "NL", "--dmp", "piano"], ["demo", "--records", "10"]] {
            let result = try bakery.run(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("is not a Bakery database"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: bakery.database)) == contents)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bakery.folder.path) == ["bakery.sqlite"])
    }

    @Test func dbBeforeTheSubcommandAndTheEnvironmentBothChooseTheFile() throws {
        let bakery = try BakeryRunner()
        let other = bakery.folder.appendingPathComponent("other.sqlite").path
        #expect(try bakery.run(["--db", other, "client", "add", "x", "--name", "X", "--country", "FI", "--dmp", "custom"]).status == 0)
        #expect(try bakery.run(["--db=\(other)", "client", "list", "--json"]).stdout.contains("\"x\""))
        #expect(try bakery.run(["client", "list", "--json", "--db", other]).stdout.contains("\"x\""))
        #expect(try bakery.run(["client", "list"], environment: ["BAKERY_DB": other]).stdout.contains("x"))
        #expect(!FileManager.default.fileExists(atPath: bakery.database), "the default path was not used")
    }

    @Test func withoutDbOrEnvironmentTheCurrentFolderIsUsed() throws {
        let bakery = try BakeryRunner()
        let result = try bakery.run(
            ["client", "add", "x", "--name", "X", "--country", "FI", "--dmp", "custom"], environment: ["BAKERY_DB": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: bakery.folder.appendingPathComponent("bakery.sqlite").path))
    }
}
