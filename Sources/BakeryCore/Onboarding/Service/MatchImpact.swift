/// What an upload does to a client's match rate: records and matched records before and after. The CLI and the
/// console both print it through ``lines``.
public struct MatchImpact: Hashable, Sendable {
    public var recordsBefore: Int
    public var recordsAfter: Int
    public var matchedBefore: Int
    public var matchedAfter: Int

    public init(recordsBefore: Int, recordsAfter: Int, matchedBefore: Int, matchedAfter: Int) {
        self.recordsBefore = recordsBefore
        self.recordsAfter = recordsAfter
        self.matchedBefore = matchedBefore
        self.matchedAfter = matchedAfter
    }

    /// Matched active records / active records; 0 without records.
    public var rateBefore: Double { recordsBefore == 0 ? 0 : Double(matchedBefore) / Double(recordsBefore) }
    public var rateAfter: Double { recordsAfter == 0 ? 0 : Double(matchedAfter) / Double(recordsAfter) }

    /// `matched     12,040 -> 13,112 (+1,072)` and `match rate  24.1% -> 26.3% (+2.2 pp)`, labels padded to `width`.
    public func lines(labelWidth width: Int = 18) -> [String] {
        func label(_ text: String) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
        return [
            label("matched")
                + "\(Figures.grouped(matchedBefore)) -> \(Figures.grouped(matchedAfter)) "
                + "(\(Figures.change(matchedAfter - matchedBefore)))",
            label("match rate")
                + "\(Figures.percent(rateBefore)) -> \(Figures.percent(rateAfter)) "
                + "(\(Figures.pointChange(from: rateBefore, to: rateAfter)))",
        ]
    }
}

extension OnboardingSummary {
    /// The match-rate impact, when it was measured (dry runs always).
    public var matchImpact: MatchImpact? {
        guard let matchedBefore, let matchedAfter else { return nil }
        return MatchImpact(
            recordsBefore: recordsBefore, recordsAfter: recordsAfter, matchedBefore: matchedBefore,
            matchedAfter: matchedAfter)
    }
}
