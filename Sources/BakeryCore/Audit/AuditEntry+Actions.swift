import Foundation

/// The wording of every audit entry, in one place: the CLI, the console, the drop zone, the scheduler and every
/// store write the same entry for the same action.
extension AuditEntry {
    /// A client was added.
    public static func clientAdded(_ client: Client, by actor: Operator, at: Date = Date()) -> AuditEntry {
        AuditEntry(
            .clientAdd, by: actor, clientID: client.id, at: at,
            detail: "\(client.name) (\(client.country), \(client.dmp.rawValue)), partners "
                + client.partners.map(\.key).joined(separator: ", "))
    }

    /// A client and everything it owned were removed.
    public static func clientRemoved(_ id: String, by actor: Operator, at: Date = Date()) -> AuditEntry {
        AuditEntry(.clientRemove, by: actor, clientID: id, at: at, detail: "removed with its records, pairs and ledgers")
    }

    /// An upload that was applied, or a dry run (then nothing was stored).
    public static func upload(_ request: UploadRequest, _ applied: AppliedUpload) -> AuditEntry {
        let upload = applied.upload
        let n = Figures.grouped
        var detail =
            "\(request.mode.rawValue) \(request.fileName): \(n(upload.rows)) rows, \(n(upload.accepted)) accepted, "
            + "\(n(upload.rejected)) rejected, \(n(upload.duplicates)) duplicates, records \(n(upload.recordsBefore)) -> "
            + "\(n(upload.recordsAfter))"
        if let before = applied.matchedBefore, let after = applied.matchedAfter {
            detail += ", matched \(n(before)) -> \(n(after))"
        }
        return AuditEntry(
            request.dryRun ? .uploadDryRun : .uploadApply, by: request.actor, clientID: request.clientID,
            at: upload.finishedAt, detail: detail)
    }

    /// An upload (or dry run) that failed or was cancelled: nothing was stored.
    public static func uploadFailed(_ request: UploadRequest, reason: String, at: Date = Date()) -> AuditEntry {
        AuditEntry(
            request.dryRun ? .uploadDryRun : .uploadApply, by: request.actor, clientID: request.clientID, at: at,
            outcome: .failed, detail: "\(request.mode.rawValue) \(request.fileName): \(reason); nothing was stored")
    }

    /// A graph file was imported.
    public static func graphImport(_ request: GraphImportRequest, edges: Int, at: Date = Date()) -> AuditEntry {
        AuditEntry(.graphImport, by: request.actor, at: at, detail: "\(request.fileName): \(Figures.grouped(edges)) edges")
    }

    /// An export run, succeeded or failed, as its ledger row says.
    public static func export(_ run: ExportRun, by actor: Operator) -> AuditEntry {
        let detail =
            run.outcome == .succeeded
            ? "\(run.day): \(Figures.grouped(run.rows)) rows, \(Figures.bytes(run.bytes)), sha256 \(run.sha256 ?? "-")"
            : "\(run.day): \(run.message ?? "failed")"
        return AuditEntry(
            .exportRun, by: actor, clientID: run.clientID, at: run.finishedAt,
            outcome: run.outcome == .succeeded ? .succeeded : .failed, detail: detail)
    }

    /// A storage location was added to a client.
    public static func storageAdded(_ location: StorageLocation, by actor: Operator, at: Date = Date()) -> AuditEntry {
        AuditEntry(.storageAdd, by: actor, clientID: location.clientID, at: at, detail: location.summary)
    }

    /// A storage location was removed.
    public static func storageRemoved(_ location: StorageLocation, by actor: Operator, at: Date = Date()) -> AuditEntry {
        AuditEntry(.storageRemove, by: actor, clientID: location.clientID, at: at, detail: location.summary)
    }

    /// A run's files were delivered to the client's delivery location, or the attempt failed.
    public static func delivery(_ run: ExportRun, _ delivery: ExportRun.Delivery, by actor: Operator) -> AuditEntry {
        let ok = delivery.status == .delivered
        return AuditEntry(
            .exportDeliver, by: actor, clientID: run.clientID, at: delivery.at, outcome: ok ? .succeeded : .failed,
            detail: ok
                ? "\(run.day): delivered to \(delivery.uri) (attempt \(delivery.attempts))"
                : "\(run.day): delivery to \(delivery.uri) failed (attempt \(delivery.attempts)): \(delivery.message ?? "")")
    }

    /// The demo dataset was built.
    public static func demoBuilt(_ options: DemoOptions, by actor: Operator) -> AuditEntry {
        AuditEntry(
            .demoBuild, by: actor, at: options.now,
            detail: "\(options.clients) clients, \(options.records) records, seed \(options.seed)")
    }

    /// An action the actor's role does not allow.
    public static func denied(
        _ actor: Operator, permission: Permission, action: String, clientID: String?, at: Date = Date()
    ) -> AuditEntry {
        AuditEntry(
            .roleDenied, by: actor, clientID: clientID, at: at, outcome: .denied,
            detail: "\(action): \(actor.role) may not \(permission.summary) (needs \(permission.minimumRole))")
    }
}

extension Store {
    /// Appends `entry` even when the calling task is cancelled (a cancelled upload is audited as such): the write
    /// runs in a task of its own, which does not inherit the cancellation. A failure to write is given up quietly:
    /// the caller is already reporting what went wrong.
    public func appendAuditEvenIfCancelled(_ entry: AuditEntry) async {
        let store = self
        _ = await Task { try? await store.appendAudit(entry) }.value
    }
}

extension AuditEntry {
    /// A retention purge: the cutoffs and what went, summed over clients (``PurgeReport`` has the split).
    public static func purge(_ request: PurgeRequest, _ report: PurgeReport) -> AuditEntry {
        let n = Figures.grouped
        let total = report.clients.values.total
        let cut = request.cutoffs
        let before: String =
            "before \(cut.syncDay) (sync), \(Day(cut.graphBefore)) (graph), \(Day(cut.removedRecordsBefore)) (removed "
            + "records), \(Day(cut.auditBefore)) (audit), \(cut.exportDay) (exports)"
        let audit: Int = total.auditEntries + report.otherAuditEntries
        let files: Int = request.exportFiles.values.reduce(0, +)
        let removed: String =
            "\(n(total.syncPairs)) sync pairs, \(n(total.syncActivity)) activity rows, \(n(total.records)) removed "
            + "records, \(n(report.graphEdges)) graph edges, \(n(audit)) audit entries, \(n(files)) export files; "
            + "\(Set(report.clients.keys).union(request.exportFiles.keys).count) clients"
        return AuditEntry(.privacyPurge, by: request.actor, at: request.at, detail: before + ": " + removed)
    }

    /// A data-subject erasure. The entry names the kind of subject and what went, never the erased id.
    public static func erasure(_ request: ErasureRequest, _ report: ErasureReport) -> AuditEntry {
        let n = Figures.grouped
        let total = report.clients.values.total
        let removed: String =
            "\(n(total.syncPairs)) sync pairs, \(n(total.syncActivity)) activity rows, \(n(total.records)) records, "
            + "\(n(report.graphEdges)) graph edges"
        let clients: String = report.clients.isEmpty ? "" : " at " + report.clients.keys.sorted().joined(separator: ", ")
        let reference: String = request.reference.map { "; request \($0)" } ?? ""
        let detail = "\(request.subject.kind): " + removed + clients + reference
        return AuditEntry(.privacyErase, by: request.actor, at: request.at, detail: detail)
    }
}
