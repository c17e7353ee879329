/// Which theme to start with.
///
/// A terminal that cannot show colour (`TERM=dumb`, no colours) always gets monochrome. Otherwise an explicit
/// `--theme` wins, then `NO_COLOR` (which, following no-color.org, an explicit choice may override), then the
/// configured theme, then `default`.
public enum ThemeSelection {
    public static func name(
        explicit: String?, configured: String?, environment: [String: String], terminalColors: Int? = nil
    ) -> String {
        if environment["TERM"] == "dumb" || terminalColors == 0 { return "monochrome" }
        if let explicit, !explicit.isEmpty { return explicit }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return "monochrome" }
        if let configured, !configured.isEmpty { return configured }
        return "default"
    }
}
