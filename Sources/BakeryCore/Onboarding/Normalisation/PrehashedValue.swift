/// Values that arrive already hashed (`email_sha256` and the like).
public enum PrehashedValue {
    /// SHA-256 of the empty string: what a client's export produces for an empty cell. Accepting
    /// it would tie every such record to every other one.
    static let emptyInputHash = IdentifierHash(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")!

    /// The hash for exactly 64 hex characters (either case, surrounding whitespace ignored);
    /// nil for anything else, and for the hash of an empty value.
    public static func parse(_ raw: String) -> IdentifierHash? {
        guard let hash = IdentifierHash(hex: raw.trimmingWhitespace()), hash != emptyInputHash else { return nil }
        return hash
    }
}
