import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func upsertGraphEdges(_ edges: [GraphEdge]) async throws {
        guard !edges.isEmpty else { return }
        try await write { db in try SQLiteStore.upsert(db, edges) }
    }

    static func upsert(_ db: Database, _ edges: [GraphEdge]) throws {
        guard !edges.isEmpty else { return }
        let upsert = try BulkStatement(db, SQLiteStore.upsertEdgeSQL)
        for edge in edges { try SQLiteStore.upsert(edge, with: upsert) }
    }
}

extension SQLiteStore {
    /// One write transaction around the whole feed: edges go straight from the reader to the prepared upsert, so
    /// nothing grows with the file, and the audit entry commits with them.
    public func importGraphEdges(_ request: GraphImportRequest, feed: @escaping GraphEdgeFeed) async throws -> Int {
        try await write { db in
            let upsert = try BulkStatement(db, SQLiteStore.upsertEdgeSQL)
            var written = 0
            try feed { edge in
                try SQLiteStore.upsert(edge, with: upsert)
                written += 1
            }
            _ = try SQLiteStore.insertAudit(db, .graphImport(request, edges: written, at: request.startedAt))
            return written
        }
    }

    static let upsertEdgeSQL = """
        INSERT INTO graph_edge (node, node_kind, hash, kind, last_seen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (node, node_kind, hash) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)
        """

    static func upsert(_ edge: GraphEdge, with statement: BulkStatement) throws {
        guard !edge.node.value.isEmpty else {
            throw BakeryError.invalidInput("a graph edge has an empty \(edge.node.kindName) id")
        }
        try statement.bind(edge.node.value).bind(edge.node.kindName).bind(edge.identifier.hash)
            .bind(edge.identifier.kind.rawValue).bind(edge.lastSeen.storedSeconds).run()
    }
}

extension SQLiteStore {
    public func graphEdges(node: GraphNode) async throws -> [GraphEdge] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM graph_edge WHERE node = ? AND node_kind = ? ORDER BY kind, hash",
                arguments: [node.value, node.kindName]
            ).compactMap(SQLiteStore.graphEdge(from:))
        }
    }

    public func graphEdges(hash: IdentifierHash) async throws -> [GraphEdge] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM graph_edge WHERE hash = ? ORDER BY node_kind, node", arguments: [hash.blob]
            ).compactMap(SQLiteStore.graphEdge(from:))
        }
    }

    static func graphEdge(from row: Row) -> GraphEdge? {
        guard let node = GraphNode(kindName: row["node_kind"], value: row["node"]),
            let kind = IdentifierKind(rawValue: row["kind"]),
            let hash = IdentifierHash(bytes: (row["hash"] as Data))
        else { return nil }
        return GraphEdge(node: node, identifier: Identifier(kind, hash), lastSeen: Date(storedSeconds: row["last_seen"]))
    }
}
