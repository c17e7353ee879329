import BakeryCore
import Foundation
import Testing

@testable import BakeryConsole

/// The keyset pager over an in-memory list of 500 numbers, with a count that takes its time.
@MainActor
@Suite struct KeysetPagerTests {
    static func source(_ values: [Int], countDelay: Duration = .zero) -> KeysetSource<Int> {
        KeysetSource(
            page: { request in
                let ordered = values.sorted()
                var slice: ArraySlice<Int>
                switch request.start {
                case .first: slice = ordered[...]
                case .last: slice = ordered[...]
                case .after(let cursor): slice = ordered.drop { $0 <= Int(cursor.id) }
                case .before(let cursor): slice = ordered.prefix { $0 < Int(cursor.id) }
                }
                let limit = request.clampedLimit
                let backward = request.start.isBackward
                let kept = backward ? Array(slice.suffix(limit)) : Array(slice.prefix(limit))
                return Page(
                    items: kept, cursors: kept.map { PageCursor(key: .none, id: Int64($0)) },
                    hasMore: slice.count > kept.count)
            },
            count: {
                try await Task.sleep(for: countDelay)
                return values.count
            })
    }

    func pager(_ source: KeysetSource<Int>) -> KeysetPager<Int> {
        KeysetPager(columns: [TableColumn("n")], source: source) { TableRow(key: "\($0)", cells: [TableCell("\($0)")]) }
    }

    @Test func aJumpToTheEndBeforeTheCountLandsKeepsTheCount() async {
        let pager = pager(Self.source(Array(1...500), countDelay: .milliseconds(80)))
        _ = pager.table(for: Rect(x: 0, y: 0, width: 40, height: 11))
        await pager.prefetch()
        #expect(pager.total == nil, "the count is still running")
        pager.moveToBottom()
        await pager.settle()
        _ = pager.table(for: Rect(x: 0, y: 0, width: 40, height: 11))
        #expect(pager.total == 500 && !pager.isFetching)
        #expect(pager.selectedItem == 500 && pager.positionText == "500 of 500")
    }

    @Test func pagingDownAndUpWalksEveryRowOnceAndKeepsTheWindowSmall() async {
        let pager = pager(Self.source(Array(1...500)))
        let rect = Rect(x: 0, y: 0, width: 40, height: 11)
        _ = pager.table(for: rect)
        await pager.prefetch()
        var seen: [Int] = []
        for _ in 0..<499 {
            seen.append(pager.selectedItem!)
            pager.move(by: 1)
            _ = pager.table(for: rect)
            await pager.settle()
            #expect(pager.items.count <= 60)
        }
        seen.append(pager.selectedItem!)
        #expect(seen == Array(1...500))
        pager.moveToTop()
        await pager.settle()
        #expect(pager.selectedItem == 1 && pager.firstIndex == 0)
    }

    @Test func aStoppedPagerWritesNothingAfterwards() async {
        let pager = pager(Self.source(Array(1...500), countDelay: .milliseconds(50)))
        _ = pager.table(for: Rect(x: 0, y: 0, width: 40, height: 11))
        await pager.prefetch()
        pager.stop()
        try? await Task.sleep(for: .milliseconds(100))
        #expect(pager.total == nil && !pager.isFetching)
    }
}
