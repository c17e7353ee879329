import Foundation

/// How Bakery writes figures for people — the CLI's text output and the console both use these, so the same
/// figure reads the same everywhere. Fixed formats (not locale-dependent), so snapshots are stable and columns align.
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

    /// `0.4567` → `45.7%`, `-0.004` → `-0.4%`; rounded half away from zero to one decimal, never `-0.0%`.
    /// A rate that is not a number (no records to divide by) is `–`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "–" }
        let tenths = (fraction * 1000).rounded()
        guard tenths != 0 else { return "0.0%" }
        let magnitude = Int(tenths.magnitude)
        return (tenths < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)%"
    }

    /// A change in percentage points with its sign: `+1.2 pp`, `-0.4 pp`, `±0.0 pp`.
    public static func pointChange(from before: Double, to after: Double) -> String {
        guard before.isFinite, after.isFinite else { return "–" }
        let tenths = ((after - before) * 1000).rounded()
        guard tenths != 0 else { return "±0.0 pp" }
        let magnitude = Int(tenths.magnitude)
        return (tenths < 0 ? "-" : "+") + "\(magnitude / 10).\(magnitude % 10) pp"
    }

    /// A signed count change: `+1,204`, `-38`, `±0`.
    public static func change(_ delta: Int) -> String {
        delta == 0 ? "±0" : (delta > 0 ? "+" : "") + grouped(delta)
    }

    /// `2026-11-29 02:00` in UTC: minutes are the precision operators read exports and uploads at.
    public static func minute(_ date: Date) -> String {
        let iso = ISOTime.string(date)
        return String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `11-29 02:00`: for columns that must fit 80 columns, where the year is not in doubt (a last export).
    public static func shortMinute(_ date: Date) -> String { String(minute(date).dropFirst(5)) }

    /// `1.4 MB`, `812 kB`, `96 B`: decimal units, as file sizes are shown by `ls -h --si`.
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(max(0, count))
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) B" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : String(format: "%.1f %@", value, units[unit])
    }

    /// `0.8 s`, `14 s`, `3 min 05 s`, `2 h 10 min`: how long something took or will take.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return "\(whole / 3600) h \(String(format: "%02d", whole % 3600 / 60)) min"
    }

    /// `48k/s`, `1.2M/s`, `950/s`: a rate of rows.
    public static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond >= 0 else { return "–" }
        if perSecond >= 1_000_000 { return String(format: "%.1fM/s", perSecond / 1_000_000) }
        if perSecond >= 10_000 { return "\(Int((perSecond / 1000).rounded()))k/s" }
        return "\(Int(perSecond.rounded()))/s"
    }
}
