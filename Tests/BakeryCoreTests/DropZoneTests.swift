import BakeryCore
import Testing

@Suite("Drop zone paths")
struct DropZoneTests {
    @Test func aWellFormedPathNamesAudienceModeAndTime() throws {
        let file = try DropZoneFile.parse(relativePath: "onboard/audience=AUD_1.x/opt-out/20261128_235959.csv.gz").get()
        #expect(file.audience == "AUD_1.x")
        #expect(file.mode == .remove)
        #expect(file.timestamp == "20261128_235959")
        #expect(
            try DropZoneFile.parse(relativePath: "onboard/audience=a/opt-in/20240229_000000.csv").get().mode == .add)
        #expect(
            try DropZoneFile.parse(relativePath: "onboard/audience=a/replace/20261128_000000.csv.zip").get().mode
                == .replace)
    }

    @Test(arguments: [
        "onboard/20261128_000000.csv",
        "onboard/audience=a/opt-in/extra/20261128_000000.csv",
        "elsewhere/audience=a/opt-in/20261128_000000.csv",
        "onboard/audience=/opt-in/20261128_000000.csv",
        "onboard/audience=a b/opt-in/20261128_000000.csv",
        "onboard/client=a/opt-in/20261128_000000.csv",
        "onboard/audience=a/optin/20261128_000000.csv",
        "onboard/audience=a/opt-in/20261128_000000.txt",
        "onboard/audience=a/opt-in/20261128-000000.csv",
        "onboard/audience=a/opt-in/20230229_000000.csv",
        "onboard/audience=a/opt-in/20261128_246000.csv",
        "onboard/audience=a/opt-in/2026112_0000000.csv",
        "onboard/audience=a/opt-in/customers.csv",
    ])
    func aMalformedPathIsRefusedNotGuessed(path: String) {
        #expect(throws: DropZonePathError.self) { try DropZoneFile.parse(relativePath: path).get() }
    }

    @Test func onlyFilesWhoseSizeHeldStillAreSettled() {
        let previous = ["a": 10, "b": 20, "c": 30]
        let current = ["a": 10, "b": 25, "d": 5]
        #expect(DropZone.settled(current, previous: previous) == ["a"])
        #expect(DropZone.settled(current, previous: [:]).isEmpty, "a file seen once is not settled yet")
    }
}
