import BakeryCore
import Foundation

/// A folder listing that never leaves its root: sub-folders first, then the files an upload accepts (`.csv`,
/// `.csv.gz`, `.zip`; not the `.rejections.csv` reports of earlier uploads), with sizes and times. Enter opens a folder, Backspace goes up (not above the root).
@MainActor
final class FileBrowser {
    struct Entry: Equatable {
        var name: String
        var isFolder: Bool
        var bytes: Int
        var modified: Date?
    }

    let root: URL
    private(set) var folder: URL
    private(set) var entries: [Entry] = []
    /// Which entry is selected.
    var selection = ListSelection()
    private(set) var error: String?

    init(root: URL) {
        self.root = root.standardizedFileURL
        folder = self.root
        refresh()
    }

    /// The folder shown, relative to the root: `/`, `/clients/acme`.
    var relativePath: String {
        let path = String(folder.path.dropFirst(root.path.count))
        return path.isEmpty ? "/" : path
    }

    var selectedEntry: Entry? { entries.indices.contains(selection.index) ? entries[selection.index] : nil }

    func refresh() {
        do {
            let keys: [URLResourceKey] = [.isDirectoryKey, .fileSizeKey, .contentModificationDateKey]
            let urls = try FileManager.default.contentsOfDirectory(
                at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
            entries = urls.compactMap { url -> Entry? in
                let values = try? url.resourceValues(forKeys: Set(keys))
                let isFolder = values?.isDirectory ?? false
                // Rejection reports sit beside the files they describe; they are no upload.
                guard isFolder || ((try? CSVContainer.of(url)) != nil && !url.lastPathComponent.hasSuffix(".rejections.csv"))
                else { return nil }
                return Entry(
                    name: url.lastPathComponent, isFolder: isFolder, bytes: values?.fileSize ?? 0,
                    modified: values?.contentModificationDate)
            }.sorted { ($0.isFolder ? 0 : 1, $0.name) < ($1.isFolder ? 0 : 1, $1.name) }
            error = nil
        } catch {
            entries = []
            self.error = "cannot list \(folder.path): \(error.localizedDescription)"
        }
        selection.clamp(count: entries.count)
    }

    /// Opens the selected folder, or returns the selected file.
    func open() -> URL? {
        guard let entry = selectedEntry else { return nil }
        let url = folder.appendingPathComponent(entry.name)
        guard entry.isFolder else { return url }
        folder = url.standardizedFileURL
        selection = ListSelection()
        refresh()
        return nil
    }

    /// Goes up one folder; false at the root.
    @discardableResult
    func up() -> Bool {
        guard folder.path != root.path else { return false }
        let name = folder.lastPathComponent
        folder = folder.deletingLastPathComponent().standardizedFileURL
        refresh()
        selection = ListSelection()
        selection.select(entries.firstIndex { $0.name == name } ?? 0, count: entries.count)
        return true
    }

    /// The listing as table rows.
    func rows() -> [TableRow] {
        entries.map { entry in
            TableRow(
                key: entry.name,
                cells: [
                    TableCell(entry.isFolder ? entry.name + "/" : entry.name, tone: entry.isFolder ? .muted : .normal),
                    TableCell(entry.isFolder ? "" : Figures.bytes(entry.bytes)),
                    TableCell(entry.modified.map(Figures.minute) ?? "", tone: .muted),
                ])
        }
    }

    static let columns = [
        TableColumn("Name", minWidth: 12, priority: 3),
        .numeric("Size", minWidth: 7, priority: 2),
        TableColumn("Modified", minWidth: 16, maxWidth: 16, priority: 1),
    ]
}
