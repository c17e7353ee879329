extension String {
    /// The text without leading and trailing Unicode whitespace (Foundation-free, so it is the
    /// same on every platform).
    func trimmingWhitespace() -> String {
        // Most cells start and end with a visible ASCII character: skip the scalar walk.
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(Substring(scalars[first...last]))
    }

    /// True when the text is empty or only whitespace.
    var isBlank: Bool {
        if utf8.allSatisfy({ $0 == 0x20 || (0x09...0x0D).contains($0) }) { return true }
        return unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    /// True when any character is a control character or a line/paragraph separator.
    var containsControlCharacters: Bool {
        if utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return false }
        return unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator, .format: true
            default: false
            }
        }
    }
}
