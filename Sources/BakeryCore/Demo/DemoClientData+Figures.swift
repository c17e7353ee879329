import Foundation

extension DemoClientData {
    /// The first day each person's record matched: the first sync of any of its known browsers.
    var matchDays: [Day?] {
        var days = [Day?](repeating: nil, count: people.count)
        for pair in pairs {
            let person = Int(owner[Int(pair.browser)])
            guard person >= 0 else { continue }
            if days[person].map({ pair.firstDay < $0 }) ?? true { days[person] = pair.firstDay }
        }
        return days
    }

    func isActive(_ person: Int, on day: Day) -> Bool { !people[person].removed || day < optOutDay }

    /// Daily figures for the last 30 days, by the rules matching uses: a record matches once one of its hashed
    /// identifiers reaches, through the graph, a browser that synced with the client's DMP. Records removed by the
    /// opt-out upload count as active before that day.
    func snapshots() -> [MatchSnapshot] {
        let window = DemoClientData.window
        let first = today.adding(days: -(window - 1))
        /// Counts indexed by [removed ? 1 : 0][day offset in the window], cumulated below.
        struct Histogram {
            var counts = [[Int]](repeating: [Int](repeating: 0, count: DemoClientData.window), count: 2)
            mutating func add(removed: Bool, from day: Day, first: Day) {
                counts[removed ? 1 : 0][max(0, day.number - first.number)] += 1
            }
            func total(_ offset: Int, includeRemoved: Bool) -> Int {
                counts[0][...offset].reduce(0, +) + (includeRemoved ? counts[1][...offset].reduce(0, +) : 0)
            }
        }
        var records = Histogram(), matched = Histogram(), cookies = Histogram(), matchedCookies = Histogram()
        var kindRecords: [IdentifierKind: Histogram] = [:], kindMatched: [IdentifierKind: Histogram] = [:]
        for (index, day) in matchDays.enumerated() {
            let person = people[index]
            records.add(removed: person.removed, from: first, first: first)
            for identifier in person.record.identifiers {
                kindRecords[identifier.kind, default: Histogram()].add(
                    removed: person.removed, from: first, first: first)
            }
            guard let day, day <= today else { continue }
            matched.add(removed: person.removed, from: day, first: first)
            for kind in person.kindsInGraph {
                kindMatched[kind, default: Histogram()].add(removed: person.removed, from: day, first: first)
            }
        }
        for pair in pairs {
            cookies.add(removed: false, from: pair.firstDay, first: first)
            let person = Int(owner[Int(pair.browser)])
            if person >= 0 { matchedCookies.add(removed: people[person].removed, from: pair.firstDay, first: first) }
        }
        return (0..<window).map { offset in
            let day = first.adding(days: offset)
            let withRemoved = day < optOutDay
            return MatchSnapshot(
                clientID: profile.id, day: day, records: records.total(offset, includeRemoved: withRemoved),
                matchedRecords: matched.total(offset, includeRemoved: withRemoved),
                syncedCookies: cookies.total(offset, includeRemoved: false),
                matchedCookies: matchedCookies.total(offset, includeRemoved: withRemoved),
                byKind: Dictionary(
                    uniqueKeysWithValues: kindRecords.map { kind, histogram in
                        (
                            kind,
                            KindFigures(
                                records: histogram.total(offset, includeRemoved: withRemoved),
                                matched: kindMatched[kind]?.total(offset, includeRemoved: withRemoved) ?? 0)
                        )
                    }))
        }
    }

    /// The last five nightly exports, with the row counts an export of those days gives; one client had a
    /// failed night that was retried.
    func exportHistory(now: Date) -> [ExportRun] {
        (1...5).reversed().flatMap { offset -> [ExportRun] in
            let day = today.adding(days: -offset)
            let rows = pairs.filter { pair in
                let person = Int(owner[Int(pair.browser)])
                return person >= 0 && isActive(person, on: day) && pair.activity.contains { $0.day == day }
            }.count
            let start = day.adding(days: 1).start.addingTimeInterval(2 * 3600)
            let file = "exports/\(profile.id)/\(profile.id)_\(day).csv.gz"
            let ok = ExportRun(
                clientID: profile.id, day: day, startedBy: "scheduler", startedAt: start,
                finishedAt: start.addingTimeInterval(1 + Double(rows) / 100_000), rows: rows, file: file, sha256: nil,
                bytes: rows * 58, outcome: .succeeded, message: "demo history: no file was written")
            guard profile.id == "tulpen-co" && offset == 2 else { return [ok] }
            var failed = ok
            failed.rows = 0
            failed.file = nil
            failed.bytes = 0
            failed.outcome = .failed
            failed.message = "export folder not writable (demo history)"
            var retry = ok
            retry.startedBy = "ops"
            retry.startedAt = start.addingTimeInterval(5 * 3600)
            retry.finishedAt = retry.startedAt.addingTimeInterval(2)
            return [failed, retry]
        }
    }
}
