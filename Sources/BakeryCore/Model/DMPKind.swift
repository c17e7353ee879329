/// The DMP a client uses. The raw values are the lower-case names the CLI contract writes.
public enum DMPKind: String, CaseIterable, Codable, Sendable {
    case tealium, relay42, squeezely, weborama, mediarithmics, snowplow, piano, permutive
    /// Any other DMP, integrated with the default profile.
    case custom

    /// The product name as operators write it.
    public var displayName: String {
        switch self {
        case .tealium: "Tealium"
        case .relay42: "Relay42"
        case .squeezely: "Squeezely"
        case .weborama: "Weborama"
        case .mediarithmics: "Mediarithmics"
        case .snowplow: "Snowplow"
        case .piano: "Piano"
        case .permutive: "Permutive"
        case .custom: "Custom"
        }
    }
}
