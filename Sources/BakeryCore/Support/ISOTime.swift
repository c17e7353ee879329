import Foundation

/// ISO 8601 UTC timestamps as the CLI contract writes them: `2026-11-29T02:00:00Z`.
public enum ISOTime {
    public static func string(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = Day(number: Int((Double(seconds) / 86_400).rounded(.down)))
        let inDay = seconds - day.number * 86_400
        return String(format: "%@T%02d:%02d:%02dZ", day.description, inDay / 3600, inDay / 60 % 60, inDay % 60)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (also with fractional seconds or a `+00:00` offset) or a bare `YYYY-MM-DD`.
    public static func parse(_ text: String) -> Date? {
        if let day = Day(iso: text) { return day.start }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
