import BakeryTesting
import Testing

@Suite("SQLite store conformance")
struct SQLiteStoreConformanceTests {
    @Test(arguments: StoreConformance.cases)
    func conformance(_ check: StoreConformanceCase) async throws {
        try await check.run(on: SQLiteBackend())
    }
}
