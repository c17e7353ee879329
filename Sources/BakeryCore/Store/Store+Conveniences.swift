/// Short reads built on the paged ones, for callers that want the newest few rows: each is the first page.
extension Store {
    /// A client's newest uploads.
    public func uploads(clientID: String, limit: Int) async throws -> [Upload] {
        try await uploads(UploadQuery(clientID: clientID), page: PageRequest(limit: limit)).items
    }

    /// One client's delta-export pairs of a day (see ``exportPairs(clientIDs:day:body:)``), sorted by cookie id
    /// then record id.
    public func exportPairs(
        clientID: String, day: Day, body: @escaping @Sendable ([ExportPair]) throws -> Void
    ) async throws {
        try await exportPairs(clientIDs: [clientID], day: day) { _, pairs in try body(pairs) }
    }

    /// A client's newest export runs.
    public func exportRuns(clientID: String, limit: Int) async throws -> [ExportRun] {
        try await exportRuns(ExportRunQuery(clientID: clientID), page: PageRequest(limit: limit)).items
    }

    /// The newest audit entries, optionally of one client.
    public func auditLog(clientID: String?, limit: Int) async throws -> [AuditEntry] {
        try await auditEntries(AuditQuery(clientID: clientID), page: PageRequest(limit: limit)).items
    }

    /// Every entry the query matches, newest first, a page at a time (for `bakery audit`).
    public func allAuditEntries(_ query: AuditQuery, limit: Int) async throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var start = PageStart.first
        while entries.count < limit {
            let page = try await auditEntries(query, page: PageRequest(start, limit: min(500, limit - entries.count)))
            entries += page.items
            guard page.hasMore, let last = page.cursors.last else { break }
            start = .after(last)
        }
        return entries
    }
}
