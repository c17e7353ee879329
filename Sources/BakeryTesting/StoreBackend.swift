import BakeryCore

/// A way to make stores of one implementation, so the conformance suite can run against each.
public protocol StoreBackend: Sendable {
    /// A new, empty store.
    func makeStore() async throws -> any Store
    /// The same database as `store`, opened afresh as another process would open it.
    func reopen(_ store: any Store) async throws -> any Store
}

/// One named check of the ``Store`` contract.
public struct StoreConformanceCase: Sendable, CustomStringConvertible {
    public let name: String
    let body: @Sendable (any StoreBackend) async throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (any StoreBackend) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the check; throws ``ConformanceFailure`` naming what did not hold.
    public func run(on backend: any StoreBackend) async throws { try await body(backend) }

    public var description: String { name }
}

/// A broken expectation in a conformance case, with the line that states it.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public let description: String
}

/// Fails unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String, line: Int = #line) throws {
    if !condition { throw ConformanceFailure(description: "StoreConformance line \(line): \(message())") }
}

/// Fails unless `body` throws exactly `expected`.
func checkThrows<T>(
    _ expected: BakeryError, line: Int = #line, _ body: () async throws -> T
) async throws {
    do {
        _ = try await body()
    } catch let error as BakeryError {
        try check(error == expected, "expected \(expected), got \(error)", line: line)
        return
    } catch {
        throw ConformanceFailure(description: "StoreConformance line \(line): expected \(expected), got \(error)")
    }
    throw ConformanceFailure(description: "StoreConformance line \(line): expected \(expected), nothing was thrown")
}

/// Fails unless `body` throws a ``BakeryError/invalidInput(_:)``.
func checkInvalid<T>(line: Int = #line, _ body: () async throws -> T) async throws {
    do {
        _ = try await body()
    } catch BakeryError.invalidInput {
        return
    } catch {
        throw ConformanceFailure(description: "StoreConformance line \(line): expected invalid input, got \(error)")
    }
    throw ConformanceFailure(description: "StoreConformance line \(line): expected invalid input, nothing was thrown")
}
