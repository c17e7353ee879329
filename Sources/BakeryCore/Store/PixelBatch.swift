import Foundation

/// What the pixel endpoints answered since the writer's last commit: sync hits and graph edges, written by
/// ``Store/recordPixelBatch(_:)`` in one transaction, so a batch is stored whole or not at all and a retry never
/// counts a hit twice.
public struct PixelBatch: Sendable, Equatable {
    public var hits: [SyncHit]
    public var edges: [GraphEdge]

    public init(hits: [SyncHit] = [], edges: [GraphEdge] = []) {
        self.hits = hits
        self.edges = edges
    }

    public var isEmpty: Bool { hits.isEmpty && edges.isEmpty }
}

/// What ``Store/recordPixelBatch(_:)`` stored and what it left out.
public struct PixelBatchOutcome: Sendable, Equatable {
    /// Hits stored (folded into their pairs and days).
    public var hitsWritten: Int
    public var edgesWritten: Int
    /// Hits of partners the store does not know — removed after the hit was answered — per partner key.
    public var droppedHits: [String: Int]

    public init(hitsWritten: Int = 0, edgesWritten: Int = 0, droppedHits: [String: Int] = [:]) {
        self.hitsWritten = hitsWritten
        self.edgesWritten = edgesWritten
        self.droppedHits = droppedHits
    }
}
