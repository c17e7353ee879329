import Foundation

/// A row of a client's match table: the DMP's cookie id seen in the same browser as a DA id.
public struct SyncPair: Hashable, Codable, Sendable {
    public var clientID: String
    public var partner: String
    public var cookieID: String
    public var daID: String
    /// The `site` of the most recent sync, when the DMP sent one.
    public var site: String?
    public var firstSeen: Date
    public var lastSeen: Date
    public var hits: Int

    public init(
        clientID: String, partner: String, cookieID: String, daID: String, site: String?, firstSeen: Date,
        lastSeen: Date, hits: Int
    ) {
        self.clientID = clientID
        self.partner = partner
        self.cookieID = cookieID
        self.daID = daID
        self.site = site
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.hits = hits
    }
}

/// One observation from the sync pixel (or several folded together), as the writer hands it to the store.
///
/// The store adds `hits` to the pair (creating it on first sight) and to the pair's activity on the UTC day
/// of `at`, so any past day can be re-exported.
public struct SyncHit: Hashable, Sendable {
    public var partner: String
    public var cookieID: String
    public var daID: String
    public var site: String?
    public var at: Date
    public var hits: Int

    public init(partner: String, cookieID: String, daID: String, site: String?, at: Date, hits: Int = 1) {
        self.partner = partner
        self.cookieID = cookieID
        self.daID = daID
        self.site = site
        self.at = at
        self.hits = hits
    }
}
