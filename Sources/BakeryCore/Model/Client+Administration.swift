/// Client changes, for every front end: they need the `admin` role and write their audit entry with the change.
extension Client {
    /// Validates and stores the client.
    public func add(to store: any Store, by actor: Operator) async throws {
        try validate()
        try await actor.require(.administer, to: "add client \(id)", clientID: id, auditingIn: store)
        try await store.addClient(self, audit: .clientAdded(self, by: actor))
    }

    /// Removes a client with its records, sync pairs and ledgers.
    public static func remove(id: String, from store: any Store, by actor: Operator) async throws {
        try await actor.require(.administer, to: "remove client \(id)", clientID: id, auditingIn: store)
        try await store.removeClient(id: id, audit: .clientRemoved(id, by: actor))
    }
}
