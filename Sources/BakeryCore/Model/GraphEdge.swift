import Foundation

/// A node of the identity graph on the browser or device side.
public enum GraphNode: Hashable, Sendable {
    /// Bakery's own first-party cookie id.
    case daID(String)
    /// A mobile advertising id, stored as a lower-case UUID.
    case device(DeviceKind, String)

    public enum DeviceKind: String, Codable, Sendable, CaseIterable {
        case aaid, idfa
    }

    /// The node's kind as stored: `da`, `aaid` or `idfa`.
    public var kindName: String {
        switch self {
        case .daID: "da"
        case .device(let kind, _): kind.rawValue
        }
    }

    public var value: String {
        switch self {
        case .daID(let id): id
        case .device(_, let id): id
        }
    }

    /// Rebuilds a node from its stored kind and value; nil for an unknown kind.
    public init?(kindName: String, value: String) {
        if kindName == "da" {
            self = .daID(value)
        } else if let kind = DeviceKind(rawValue: kindName) {
            self = .device(kind, value)
        } else {
            return nil
        }
    }
}

/// A link in the identity graph: this browser or device was seen with this hashed identifier.
public struct GraphEdge: Hashable, Sendable {
    public var node: GraphNode
    public var identifier: Identifier
    public var lastSeen: Date

    public init(node: GraphNode, identifier: Identifier, lastSeen: Date) {
        self.node = node
        self.identifier = identifier
        self.lastSeen = lastSeen
    }
}
