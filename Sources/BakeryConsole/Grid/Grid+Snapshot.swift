extension Grid {
    /// The grid as plain text, one line per row with trailing spaces removed: the form text snapshots compare.
    public var plainText: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].grapheme }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The grid's styles as a map: each distinct style gets a letter (in order of first appearance) and a legend
    /// line names its colours and attributes. Lets a test check *how* something is drawn, not only what.
    public var styleMap: String {
        var letters: [Style: Character] = [:]
        var legend: [String] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var rows: [String] = []
        for y in 0..<height {
            var row = ""
            for x in 0..<width {
                let style = self[x, y].style
                if letters[style] == nil {
                    let letter = letters.count < alphabet.count ? alphabet[letters.count] : "?"
                    letters[style] = letter
                    legend.append("\(letter): \(style.summary)")
                }
                row.append(letters[style]!)
            }
            rows.append(row)
        }
        return (rows + [""] + legend).joined(separator: "\n")
    }
}

extension Style {
    /// `fg=yellow bg=default bold`: how a style reads in a style snapshot.
    var summary: String {
        var parts = ["fg=\(foreground.name)", "bg=\(background.name)"]
        if attributes.contains(.bold) { parts.append("bold") }
        if attributes.contains(.reverse) { parts.append("reverse") }
        if attributes.contains(.underline) { parts.append("underline") }
        if attributes.contains(.dim) { parts.append("dim") }
        return parts.joined(separator: " ")
    }
}
