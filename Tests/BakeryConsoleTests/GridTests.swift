import Foundation
import Testing

@testable import BakeryConsole

@Suite struct GridTests {
    @Test func writeClipsToTheRectangle() {
        var grid = Grid(width: 10, height: 2)
        let written = grid.write("abcdefgh", x: 2, y: 0, style: .plain, clip: Rect(x: 2, y: 0, width: 4, height: 1))
        #expect(written == 4)
        #expect(grid.plainText == "  abcd\n")
    }

    @Test func wideCharactersTakeTwoCellsWithAContinuation() {
        var grid = Grid(width: 6, height: 1)
        grid.write("日本", x: 0, y: 0, style: .plain)
        #expect(grid[0, 0].width == 2)
        #expect(grid[1, 0].isContinuation)
        #expect(grid[2, 0].grapheme == "本")
        #expect(grid.plainText == "日本")
    }

    @Test func aWideCharacterThatWouldStraddleTheClipBecomesASpace() {
        var grid = Grid(width: 5, height: 1)
        grid.write("a日本", x: 0, y: 0, style: .plain, clip: Rect(x: 0, y: 0, width: 4, height: 1))
        #expect(grid.plainText == "a日")
        #expect(grid[3, 0].grapheme == " ")
        #expect(!grid[3, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 4, height: 1)
        grid.write("日本", x: 0, y: 0, style: .plain)
        grid.write("x", x: 1, y: 0, style: .plain)
        #expect(grid.plainText == " x本")
        grid.write("y", x: 2, y: 0, style: .plain)
        #expect(grid.plainText == " xy")
        #expect(!grid[3, 0].isContinuation)
    }

    @Test func truncationUsesTheEllipsisAndCountsColumns() {
        #expect(TextLayout.truncate("Acme Retail", to: 6, ellipsis: "…") == "Acme …")
        #expect(TextLayout.truncate("日本語テキスト", to: 5, ellipsis: "…") == "日本…")
        #expect(TextLayout.pad("42", to: 5, alignment: .right, ellipsis: "…") == "   42")
    }

    @Test(arguments: [(Glyphs.unicode, "┌ T ─┐\n│    │\n└────┘"), (Glyphs.ascii, "+ T -+\n|    |\n+----+")])
    func boxesHaveUnicodeAndASCIIForms(glyphs: Glyphs, expected: String) {
        var grid = Grid(width: 6, height: 3)
        grid.drawBox(grid.bounds, style: .plain, glyphs: glyphs)
        grid.write(" T ", x: 1, y: 0, style: .plain)
        #expect(grid.plainText == expected)
    }

    @Test func styleMapNamesEachStyleOnce() {
        var grid = Grid(width: 4, height: 1)
        grid.write("ab", x: 0, y: 0, style: Style(foreground: .ansi(1), attributes: .bold))
        #expect(grid.styleMap == "aabb\n\na: fg=red bg=default bold\nb: fg=default bg=default")
    }
}

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("日", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2), ("😀", 2), ("👍🏽", 2), ("❤️", 2), ("👨‍👩‍👧", 2),
        ("e\u{301}", 1), ("\u{7}", 0), ("─", 1), ("▇", 1),
    ])
    func graphemeWidths(text: String, width: Int) {
        #expect(DisplayWidth.of(Character(text)) == width)
    }

    @Test func stringWidthSumsGraphemes() {
        #expect(DisplayWidth.of("Bakery 日本 😀") == 14)
    }
}

@Suite struct SnapshotHelperTests {
    @Test(
        .disabled(
            if: ProcessInfo.processInfo.environment["BAKERY_RECORD_SNAPSHOTS"] == "1", "recording would create it"))
    func aMissingSnapshotFailsAndSaysHowToRecord() {
        withKnownIssue {
            assertSnapshot("anything", named: "no-such-snapshot")
        } matching: { issue in
            issue.description.contains("BAKERY_RECORD_SNAPSHOTS=1")
        }
    }
}
