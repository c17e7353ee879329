import Foundation

/// A file in the drop zone whose path names what to do with it:
/// `onboard/audience={audience id}/{opt-in|opt-out|replace}/YYYYMMDD_HHmmss.csv[.gz|.zip]`.
public struct DropZoneFile: Sendable, Hashable {
    /// The path below the drop zone's root, `/`-separated, starting with `onboard/`.
    public var relativePath: String
    public var audience: String
    public var mode: UpdateMode
    /// The file name's timestamp as written (`YYYYMMDD_HHmmss`); it sorts in time order.
    public var timestamp: String

    /// The folder names that choose the mode.
    public static let modeFolders: [String: UpdateMode] = ["opt-in": .add, "opt-out": .remove, "replace": .replace]

    /// Reads the path's parts, or says exactly what is wrong with it — never a guess.
    public static func parse(relativePath: String) -> Result<DropZoneFile, DropZonePathError> {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "onboard" else {
            return .failure(
                .init(
                    "expected onboard/audience={id}/{opt-in|opt-out|replace}/YYYYMMDD_HHmmss.csv, got \(relativePath)"))
        }
        guard parts[1].hasPrefix("audience="), Client.isValidAudience(String(parts[1].dropFirst(9))) else {
            return .failure(.init("'\(parts[1])' is not audience={id} with an id of A-Z, a-z, 0-9, '_', '.', '-'"))
        }
        guard let mode = modeFolders[parts[2]] else {
            return .failure(.init("'\(parts[2])' is not one of opt-in, opt-out, replace"))
        }
        let name = parts[3]
        let endings = [".csv", ".csv.gz", ".csv.zip"]
        guard let ending = endings.first(where: { name.hasSuffix($0) }),
            isTimestamp(String(name.dropLast(ending.count)))
        else {
            return .failure(.init("'\(name)' is not YYYYMMDD_HHmmss.csv, .csv.gz or .csv.zip"))
        }
        return .success(
            DropZoneFile(
                relativePath: relativePath, audience: String(parts[1].dropFirst(9)), mode: mode,
                timestamp: String(name.dropLast(ending.count))))
    }

    /// `YYYYMMDD_HHmmss` naming a real UTC date and time.
    static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 15, bytes[8] == UInt8(ascii: "_") else { return false }
        let digits = bytes[0..<8] + bytes[9...]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        func number(_ range: Range<Int>) -> Int { Int(String(decoding: bytes[range], as: UTF8.self))! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(
            year: number(0..<4), month: number(4..<6), day: number(6..<8), hour: number(9..<11),
            minute: number(11..<13), second: number(13..<15))
        return components.isValidDate(in: calendar)
    }
}

/// Why a path in the drop zone does not name an upload.
public struct DropZonePathError: Error, Sendable, Hashable {
    public var message: String
    init(_ message: String) { self.message = message }
}
