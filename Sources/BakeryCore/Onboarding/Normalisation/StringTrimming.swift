extension StringProtocol {
    /// The text without leading and trailing Unicode whitespace (Foundation-free, so it is the
    /// same on every platform).
    func trimmingWhitespace() -> String {
        let scalars = String(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(Substring(scalars[first...last]))
    }

    /// True when any character is a control character or a line/paragraph separator.
    var containsControlCharacters: Bool {
        unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format: true
            default: false
            }
        }
    }
}
