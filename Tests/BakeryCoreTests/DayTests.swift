import BakeryCore
import Foundation
import Testing

@Suite("Day and ISO times")
struct DayTests {
    @Test(arguments: [
        ("1970-01-01", 0), ("2026-11-29", 20_786), ("2000-02-29", 11_016), ("1969-12-31", -1), ("2400-03-01", 157_114),
    ])
    func parsesAndPrintsISODays(text: String, number: Int) throws {
        let day = try #require(Day(iso: text))
        #expect(day.number == number)
        #expect(day.description == text)
    }

    @Test(arguments: ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01", "", "2026-01-32", "abcd-ef-gh"])
    func rejectsWhatIsNotADay(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func aDateFallsOnItsUTCDay() {
        let justBeforeMidnight = Date(timeIntervalSince1970: 86_400 * 20_786 - 1)
        #expect(Day(justBeforeMidnight).description == "2026-11-28")
        #expect(Day(justBeforeMidnight.addingTimeInterval(1)).description == "2026-11-29")
        #expect(Day(Date(timeIntervalSince1970: -1)).number == -1)
    }

    @Test func isoTimesRoundTrip() throws {
        let date = Date(timeIntervalSince1970: 1_795_694_400 + 3_723)
        #expect(ISOTime.string(date) == "2026-11-26T13:02:03Z")
        #expect(ISOTime.parse("2026-11-26T13:02:03Z") == date)
        #expect(ISOTime.parse("2026-11-26T15:02:03+02:00") == date)
        #expect(ISOTime.parse("2026-11-20") == Day(iso: "2026-11-20")!.start)
        #expect(ISOTime.parse("yesterday") == nil)
    }
}
