/// An access key pair for signing S3 requests, with an optional session token for temporary credentials.
///
/// The secret and the token never appear in `description`, `debugDescription` or a `dump`/`Mirror` of the value;
/// only the access key ID (which AWS treats as an identifier, not a secret) is shown.
public struct S3Credentials: Sendable, Equatable {
    /// The access key ID, e.g. `AKIAIOSFODNN7EXAMPLE`.
    public var accessKeyID: String
    /// The secret access key. Used only to derive signing keys; never printed.
    public var secretAccessKey: String
    /// The session token of temporary (STS) credentials, sent as `x-amz-security-token`.
    public var sessionToken: String?

    /// Creates credentials from an access key pair and an optional session token.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

extension S3Credentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `S3Credentials(accessKeyID: AKID…, secretAccessKey: <redacted>)`, never the secret itself.
    public var description: String {
        let token = sessionToken == nil ? "" : ", sessionToken: <redacted>"
        return "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(token))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the secret, so `dump(credentials)` and string interpolation of containers stay safe.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": accessKeyID,
                "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "nil" : "<redacted>",
            ],
            displayStyle: .struct
        )
    }
}
