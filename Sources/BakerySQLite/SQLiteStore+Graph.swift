import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func upsertGraphEdges(_ edges: [GraphEdge]) async throws {
        guard !edges.isEmpty else { return }
        try await write { db in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO graph_edge (node, node_kind, hash, kind, last_seen) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (node, node_kind, hash) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)
                    """)
            for edge in edges {
                guard !edge.node.value.isEmpty else {
                    throw BakeryError.invalidInput("a graph edge has an empty \(edge.node.kindName) id")
                }
                try upsert.execute(arguments: [
                    edge.node.value, edge.node.kindName, edge.identifier.hash.blob, edge.identifier.kind.rawValue,
                    edge.lastSeen.storedSeconds,
                ])
            }
        }
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
