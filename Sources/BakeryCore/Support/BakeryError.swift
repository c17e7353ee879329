import Foundation

/// Everything that can go wrong in a way an operator can act on. Each message says what failed, where,
/// and when there is one, the fix.
public enum BakeryError: Error, LocalizedError, Equatable, Sendable {
    case invalidInput(String)
    case unknownClient(String)
    case duplicateClient(String)
    case duplicatePartner(key: String, owner: String)
    case unknownPartner(String)
    case duplicateRecord(client: String, recordID: String)
    case databaseMissing(path: String)
    case notADatabase(path: String, detail: String)
    case databaseTooNew(path: String)
    case storeFailure(String)
    /// The operator's role does not allow this; see ``Operator/require(_:to:clientID:auditingIn:)``.
    case notPermitted(role: Role, permission: Permission, action: String)

    public var errorDescription: String? {
        switch self {
        case .invalidInput(let message):
            return message
        case .unknownClient(let id):
            return "no client with id '\(id)'; `bakery client list` shows the known ids"
        case .duplicateClient(let id):
            return
                "a client with id '\(id)' already exists; choose another id or inspect it with `bakery client show \(id)`"
        case .duplicatePartner(let key, let owner):
            return
                "partner key '\(key)' already belongs to client '\(owner)'; partner keys must be unique across clients"
        case .unknownPartner(let key):
            return "no client has partner key '\(key)'; add it with `bakery client add … --partner \(key)`"
        case .duplicateRecord(let client, let recordID):
            return "client '\(client)' already has a CRM record with id '\(recordID)'"
        case .databaseMissing(let path):
            return
                "no database at \(path); create one with `bakery demo` or `bakery client add`, or point --db (or $BAKERY_DB) at an existing one"
        case .notADatabase(let path, let detail):
            return "\(path) is not a Bakery database (\(detail)); it was left untouched — check the --db path"
        case .databaseTooNew(let path):
            return "\(path) was written by a newer Bakery; upgrade this binary before using it"
        case .storeFailure(let message):
            return message
        case .notPermitted(let role, let permission, let action):
            return
                "refused: \(action) needs the \(permission.minimumRole) role, and this operator is \(role) (the \(role) role may "
                + "not \(permission.summary)); the refusal is in the audit log"
        }
    }
}
