/// What one CRM data row became.
public enum CRMRowOutcome: Sendable, Equatable {
    /// The row as a record: row number, and the record with only hashes in it.
    case accepted(row: Int, record: CRMRecord)
    case rejected(CRMRowRejection)
}

/// Turns the rows of one mapped CRM file into hashed `CRMRecord`s or rejections.
///
/// A row is all or nothing: if any non-empty identifier or id cell is invalid the whole row is
/// rejected (naming the first bad column in file order, address parts last, as they are checked
/// together once the row is read), because keeping the valid rest would silently store a
/// different customer than the client sent. Empty cells are simply absent.
/// A row whose identifier cells are all empty is rejected as `no_identifier`.
///
/// The record id is the `custom` value when given, else the hex of the primary identifier hash
/// (`CRMRecord.primary(of:)`). Identical identifiers within a row are kept once.
public struct CRMRowParser: Sendable {
    public let clientID: String
    /// ISO 3166-1 alpha-2, upper case: default phone region and address form.
    public let country: String
    public let mapping: CRMHeaderMapping
    /// Reference day for personnummer century inference.
    public let today: Day

    public init(clientID: String, country: String, mapping: CRMHeaderMapping, today: Day) {
        self.clientID = clientID
        self.country = country.uppercased()
        self.mapping = mapping
        self.today = today
    }

    /// The outcome for whatever the CSV reader yielded for one row.
    public func outcome(for event: CSVEvent) -> CRMRowOutcome {
        switch event {
        case .record(let record): parse(record)
        case .rejected(let bad): .rejected(rejection(for: bad))
        }
    }

    /// The outcome for a record the CSV reader could read.
    public func parse(_ record: CSVRecord) -> CRMRowOutcome {
        // The CSV reader already guarantees this; checked again so no caller can index past the row.
        guard record.fields.count == mapping.headerNames.count else {
            return .rejected(CRMRowRejection(row: record.row, line: record.line, reason: .wrongFieldCount))
        }
        var identifiers: [Identifier] = []
        var customID: String?
        var address = PostalAddressParts()

        for (index, column) in mapping.columns {
            let raw = record.fields[index]
            if column.isAddressPart {
                switch column {
                case .postalCode: address.postalCode = raw
                case .houseNumber: address.houseNumber = raw
                case .extension: address.extension = raw
                case .street: address.street = raw
                default: address.apartment = raw
                }
                continue
            }
            if raw.isBlank { continue }
            if column == .custom {
                guard let id = CustomRecordID.normalise(raw) else { return reject(record, column, index, raw) }
                customID = id
                continue
            }
            guard let hash = hash(raw, column: column), let kind = column.kind else {
                return reject(record, column, index, raw)
            }
            identifiers.append(Identifier(kind, hash))
        }

        if mapping.hasAddressParts, !address.isEmpty {
            switch PostalAddress.validated(address, country: country) {
            case .success(let canonical):
                identifiers.append(Identifier(.address, IdentifierHash.sha256(of: canonical)))
            case .failure(let invalid):
                let index = mapping.index(of: invalid.column) ?? mapping.index(of: .postalCode) ?? 0
                return reject(record, invalid.column, index, record.fields[index])
            }
        }

        var unique: [Identifier] = []
        for identifier in identifiers where !unique.contains(identifier) { unique.append(identifier) }
        guard let primary = CRMRecord.primary(of: unique) else {
            return .rejected(CRMRowRejection(row: record.row, line: record.line, reason: .noIdentifier))
        }
        let recordID = customID ?? primary.hash.hex
        return .accepted(
            row: record.row, record: CRMRecord(clientID: clientID, recordID: recordID, identifiers: unique))
    }

    /// The rejection for a record the CSV reader could not read.
    public func rejection(for bad: CSVRejectedRecord) -> CRMRowRejection {
        CRMRowRejection(
            row: bad.row, line: bad.line, reason: RejectionReason(bad.problem),
            column: bad.column.flatMap(mapping.name(at:)))
    }

    /// The normalised value's hash, or nil when the value is invalid for its column.
    private func hash(_ raw: String, column: CRMColumn) -> IdentifierHash? {
        switch column {
        case .email: EmailAddress.normalise(raw).map(IdentifierHash.sha256(of:))
        case .phone: PhoneNumber.e164(raw, region: country).map(IdentifierHash.sha256(of:))
        case .personalID: Personnummer.normalise(raw, today: today).map(IdentifierHash.sha256(of:))
        case .aaid, .idfa: DeviceID.normalise(raw).map(IdentifierHash.sha256(of:))
        case .emailSHA256, .phoneSHA256, .addressSHA256, .personalIDSHA256: PrehashedValue.parse(raw)
        case .postalCode, .houseNumber, .extension, .street, .apartment, .custom: nil
        }
    }

    private func reject(_ record: CSVRecord, _ column: CRMColumn, _ index: Int, _ raw: String) -> CRMRowOutcome {
        .rejected(
            CRMRowRejection(
                row: record.row, line: record.line, reason: RejectionReason(invalid: column),
                column: mapping.name(at: index), maskedValue: MaskedValue.mask(raw, column: column)))
    }
}
