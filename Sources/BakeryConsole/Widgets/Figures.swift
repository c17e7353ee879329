import Foundation

/// Number and time formats shared by views, fixed (not locale-dependent) so snapshots are stable and columns align.
public enum Figures {
    /// `1234567` → `1,234,567`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// `0.4567` → `45.7%`.
    public static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    /// `2026-11-29 02:00` in UTC: minutes are the precision operators read exports and uploads at.
    public static func minute(_ date: Date) -> String {
        let iso = ISOFormat.string(date)
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}

extension Figures {
    /// `11-29 02:00`: for columns that must fit 80 columns, where the year is not in doubt (a last export).
    public static func shortMinute(_ date: Date) -> String { String(minute(date).dropFirst(5)) }
}

private enum ISOFormat {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
