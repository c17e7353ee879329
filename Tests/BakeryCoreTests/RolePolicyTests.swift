import BakeryCore
import Foundation
import Testing

@Suite("Roles file")
struct RolePolicyTests {
    static let text = """
        version = 1
        default = "viewer"   # everyone else

        [users]
        anna = "admin"
        sanne = "support"
        """

    @Test func theFileCapsTheRoleAndGivesTheMostItAllowsByDefault() throws {
        let policy = try RolePolicy.parse(Self.text, file: "/etc/bakery/roles.toml")
        #expect(policy.allowedRole(for: "anna") == .admin)
        #expect(policy.allowedRole(for: "someone") == .viewer)
        #expect(try policy.resolve(requested: nil, readOnly: false, user: "anna", environment: [:]).role == .admin)
        #expect(try policy.resolve(requested: .ops, readOnly: false, user: "anna", environment: [:]).role == .ops)
        #expect(try policy.resolve(requested: nil, readOnly: false, user: "sanne", environment: [:]).role == .support)
        #expect(try policy.resolve(requested: .admin, readOnly: true, user: "anna", environment: [:]).role == .viewer)
        do {
            _ = try policy.resolve(requested: .ops, readOnly: false, user: "sanne", environment: [:])
            Issue.record("a role above the file's was granted")
        } catch let error as BakeryError {
            #expect(
                error.localizedDescription
                    == "--role ops is refused: /etc/bakery/roles.toml allows OS user 'sanne' at most 'support'")
        }
    }

    @Test func withAFileTheAuditNamesTheAccountNotBakeryOperator() throws {
        let policy = try RolePolicy.parse(Self.text, file: "roles.toml")
        let env = ["BAKERY_OPERATOR": "someone-else"]
        #expect(try policy.resolve(requested: nil, readOnly: false, user: "anna", environment: env).name == "anna")
        #expect(try RolePolicy.unrestricted.resolve(requested: nil, readOnly: false, user: "anna", environment: env)
            == Operator(name: "someone-else", role: .admin))
    }

    @Test func withoutADefaultAnUnlistedUserIsRefused() throws {
        let policy = try RolePolicy.parse("version = 1\n[users]\nanna = \"ops\"\n", file: "roles.toml")
        #expect(throws: BakeryError.self) {
            try policy.resolve(requested: nil, readOnly: true, user: "bob", environment: [:])
        }
    }

    @Test(arguments: [
        ("default = \"viewer\"\n", "version = 1 is missing"),
        ("version = 2\n", ":1: version must be 1"),
        ("version = 1\ndefault = \"boss\"\n", ":2: default must be one of"),
        ("version = 1\n[users]\nanna = 3\n", ":3: anna must be one of"),
        ("version = 1\n[groups]\n", ":2: [groups] is not a section"),
        ("version = 1\nroles = \"x\"\n", ":2: roles is not a setting"),
        ("version = 1\n[users]\nanna = \"admin\nbob", ":3:"),
    ])
    func mistakesNameTheFileAndLine(text: String, expected: String) throws {
        do {
            _ = try RolePolicy.parse(text, file: "roles.toml")
            Issue.record("accepted: \(text)")
        } catch let error as BakeryError {
            #expect(error.localizedDescription.hasPrefix("roles file roles.toml"))
            #expect(error.localizedDescription.contains(expected), "\(error.localizedDescription)")
        }
    }

    @Test func whereTheSystemFileExistsBakeryRolesCannotReplaceIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let system = folder.appendingPathComponent("system.toml")
        try "version = 1\ndefault = \"viewer\"\n".write(to: system, atomically: true, encoding: .utf8)
        let mine = folder.appendingPathComponent("mine.toml")
        try "version = 1\ndefault = \"admin\"\n".write(to: mine, atomically: true, encoding: .utf8)
        let loaded = try RolePolicy.load(environment: ["BAKERY_ROLES": mine.path], systemPath: system.path)
        #expect(loaded.file == system.path && loaded.defaultRole == .viewer)
        #expect(throws: BakeryError.self) {
            try loaded.resolve(requested: .admin, readOnly: false, user: "mallory", environment: [:])
        }
    }

    @Test func aMissingDefaultFileOpensEveryRoleButANamedOneMustExist() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-roles-\(UUID()).toml").path
        #expect(throws: BakeryError.self) { try RolePolicy.load(environment: ["BAKERY_ROLES": missing]) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("roles.toml")
        try Self.text.write(to: file, atomically: true, encoding: .utf8)
        let loaded = try RolePolicy.load(environment: ["BAKERY_ROLES": file.path])
        #expect(loaded.file == file.path && loaded.users["anna"] == .admin)
    }
}

@Suite("Figures")
struct FiguresTests {
    @Test(arguments: [
        (0.4567, "45.7%"), (-0.004, "-0.4%"), (0.00049, "0.0%"), (-0.00004, "0.0%"), (1.0, "100.0%"),
        (0.0005, "0.1%"), (Double.nan, "–"), (0.12345, "12.3%"),
    ])
    func percentRoundsOnceAndNeverWritesMinusZero(fraction: Double, text: String) {
        #expect(Figures.percent(fraction) == text)
    }

    @Test func countsBytesDurationsAndChanges() {
        #expect(Figures.grouped(1_234_567) == "1,234,567" && Figures.grouped(-1_000) == "-1,000")
        #expect(Figures.change(1_204) == "+1,204" && Figures.change(-38) == "-38" && Figures.change(0) == "±0")
        #expect(Figures.pointChange(from: 0.25, to: 0.262) == "+1.2 pp")
        #expect(Figures.pointChange(from: 0.25, to: 0.246) == "-0.4 pp" && Figures.pointChange(from: 0.25, to: 0.2496) == "±0.0 pp" && Figures.pointChange(from: 0.1, to: 0.1) == "±0.0 pp")
        #expect(Figures.bytes(96) == "96 B" && Figures.bytes(812_400) == "812 kB" && Figures.bytes(1_400_000) == "1.4 MB")
        #expect(Figures.duration(0.84) == "0.8 s" && Figures.duration(14.2) == "14 s")
        #expect(Figures.duration(185) == "3 min 05 s" && Figures.duration(7_800) == "2 h 10 min")
        #expect(Figures.rate(48_213) == "48k/s" && Figures.rate(950) == "950/s" && Figures.rate(1_234_000) == "1.2M/s")
    }
}
