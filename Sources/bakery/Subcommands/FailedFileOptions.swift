import ArgumentParser
import BakeryCore

/// `--keep-failed-hours`, shared by the commands that poll drop zones (`watch`, `serve`).
struct FailedFileOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Hours a file that failed stays in a drop zone's failed/ (private to its owner) before it is shredded; "
                + "its receipt and masked rejection report stay. 0 to 720.", valueName: "hours"))
    var keepFailedHours = Int(FailedFileRule.defaultLifetime / 3600)

    func validate() throws {
        do {
            _ = try FailedFileRule(hours: Double(keepFailedHours))
        } catch {
            throw ValidationError("--keep-failed-hours must be between 0 and 720")
        }
    }

    var rule: FailedFileRule { (try? FailedFileRule(hours: Double(keepFailedHours))) ?? FailedFileRule() }
}
