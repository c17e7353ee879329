/// Why a TC string or GPP string cannot be read. The description says what is wrong and where (the character or
/// bit position, the field); it never repeats the string itself.
public struct ConsentStringError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
