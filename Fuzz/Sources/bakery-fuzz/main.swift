import BakeryFuzzTargets
import Foundation

// One binary for every target: BAKERY_FUZZ_TARGET names the one this run feeds. libFuzzer's driver runs from here
// (LLVMFuzzerRunDriver), so the executable keeps the main() SwiftPM gives it; its flags and corpus folders are the
// command line's.

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

guard let target = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["BAKERY_FUZZ_TARGET"] ?? "") else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("set BAKERY_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
}
nonisolated(unsafe) let selected = target

/// The entry libFuzzer's runtime links against; the driver below calls it for every input.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    selected.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv) { testOneInput($0, $1) })
