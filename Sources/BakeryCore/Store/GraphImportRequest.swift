import Foundation

/// Produces a graph file's edges inside the store's transaction: call `emit` once per edge, in file order. Throwing
/// (a bad file, cancellation) rolls the whole import back.
public typealias GraphEdgeFeed = @Sendable (_ emit: (GraphEdge) throws -> Void) throws -> Void

/// One identity-graph file to import: who, what, when — for the audit entry written with the edges.
public struct GraphImportRequest: Hashable, Sendable {
    /// The file's name only (no folder, no contents).
    public var fileName: String
    /// Who imported it, for the audit log.
    public var actor: Operator
    public var startedAt: Date

    public init(fileName: String, actor: Operator, startedAt: Date = Date()) {
        self.fileName = fileName
        self.actor = actor
        self.startedAt = startedAt
    }
}
