import Foundation

/// Generated Swedish CRM rows with every kind of plain value, and the plain forms a leak would show.
struct SwedishPeople {
    static let header = "Email,Phone,postnummer,gata,gatunummer,personnummer"

    struct Person {
        var email: String
        var phone: String
        var postalCode: String
        var street: String
        var number: String
        var personnummer: String

        var row: String { [email, phone, postalCode, street, number, personnummer].joined(separator: ",") }

        /// Every plain form worth searching for: as written, as normalised, and the canonical address.
        var plainForms: [String] {
            let digits = phone.filter(\.isNumber)
            let pnr = personnummer.filter(\.isNumber)
            return [
                email, email.lowercased(), phone, "46" + digits.dropFirst(), street, street.uppercased(),
                "SE|\(postalCode)|\(street.uppercased())|\(number)|", personnummer, "19" + pnr,
            ]
        }
    }

    /// `count` distinct people; deterministic.
    static func make(_ count: Int, offset: Int = 0) -> [Person] {
        (0..<count).map { index in
            let n = index + offset
            let birth = String(format: "8%d%02d%02d", n % 10, 1 + n % 12, 1 + n % 28)
            let serial = String(format: "%03d", n % 1000)
            let nine = birth + serial
            return Person(
                email: "Anna.Lindqvist\(n)@Example.SE",
                phone: String(format: "070%07d", 1_000_000 + n),
                postalCode: String(11_400 + n % 500),
                street: "Kvarnbäcksvägen\(["a", "b", "c", "d", "e"][n % 5])",
                number: String(1 + n % 90),
                personnummer: String(nine.prefix(6)) + "-" + String(nine.suffix(3)) + luhn(nine))
        }
    }

    /// The Luhn check digit over nine digits.
    static func luhn(_ digits: String) -> String {
        var sum = 0
        for (index, char) in digits.enumerated() {
            var value = char.wholeNumberValue! * (index % 2 == 0 ? 2 : 1)
            if value > 9 { value -= 9 }
            sum += value
        }
        return String((10 - sum % 10) % 10)
    }

    static func csv(_ people: [Person]) -> String {
        ([header] + people.map(\.row)).joined(separator: "\r\n") + "\r\n"
    }
}

/// Big email-only files, written in chunks.
enum LargeCSV {
    static func write(rows: Int, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var chunk = "email\r\n"
        for index in 0..<rows {
            chunk += "member\(index)@bulk.example\r\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }
}
