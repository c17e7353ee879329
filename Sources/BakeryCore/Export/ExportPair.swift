/// One row of a delta export: a DMP cookie id and the id of a CRM record it matched.
public struct ExportPair: Hashable, Sendable {
    public var cookieID: String
    public var recordID: String

    public init(cookieID: String, recordID: String) {
        self.cookieID = cookieID
        self.recordID = recordID
    }
}
