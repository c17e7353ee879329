/// Storage location changes, for every front end: adding and removing need the `admin` role (they decide where a
/// client's data goes) and are audited with the change; a test needs `ops` (it writes and removes a probe file).
extension StorageLocation {
    /// Validates and stores the location; returns it with its id.
    public func add(to store: any Store, by actor: Operator) async throws -> StorageLocation {
        let location = try validated()
        try await actor.require(
            .administer, to: "add \(role.rawValue) location \(address)", clientID: clientID, auditingIn: store)
        return try await store.addStorageLocation(location, audit: .storageAdded(location, by: actor))
    }

    /// Removes the location.
    public func remove(from store: any Store, by actor: Operator) async throws {
        guard let id else { throw BakeryError.invalidInput("the location \(address) is not stored") }
        try await actor.require(
            .administer, to: "remove \(role.rawValue) location \(address)", clientID: clientID, auditingIn: store)
        try await store.removeStorageLocation(id: id, audit: .storageRemoved(self, by: actor))
    }

    /// Checks that the location can be reached, listed and written, step by step.
    public func test(with connector: any StorageConnector, store: any Store, by actor: Operator) async throws
        -> [StorageCheck]
    {
        try await actor.require(.upload, to: "test \(role.rawValue) location \(address)", clientID: clientID, auditingIn: store)
        return await connector.test(self)
    }
}
