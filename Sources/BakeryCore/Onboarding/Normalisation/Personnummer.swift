/// The Swedish personal identity number, normalised to 12 digits `YYYYMMDDNNNC` before hashing.
///
/// Accepted: `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`, `YYMMDDNNNC`, `YYMMDD-NNNC` and `YYMMDD+NNNC`
/// (spaces anywhere are ignored). With a two-digit year the century is the one that puts the
/// birth date on or before `today` and less than 100 years back; the `+` separator, which Swedes
/// use from their 100th year, moves it one century further back. The date must exist
/// (coordination numbers, samordningsnummer, with the day plus 60, are accepted), must not be in
/// the future, and the last digit must be the Luhn check digit over the 10 digits from `YY`.
public enum Personnummer {
    /// The 12-digit form, or nil when the value is not a valid personnummer.
    public static func normalise(_ raw: String, today: Day) -> String? {
        let text = raw.filter { !$0.isWhitespace }
        guard text.count <= 13, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else {
            return nil
        }
        var digits = text.filter(\.isNumber).compactMap(\.wholeNumberValue)
        let separators = text.filter { !$0.isNumber }
        guard separators.count <= 1 else { return nil }
        let separator = separators.first
        // The separator is only meaningful before the last four digits.
        if let separator {
            // Shorter values (`+31`, a phone in the wrong column) have no such place: refused, never trapped on.
            guard let place = text.index(text.endIndex, offsetBy: -5, limitedBy: text.startIndex),
                text.firstIndex(of: separator) == place
            else { return nil }
        }
        let (todayYear, todayMonth, todayDay) = civil(today)

        switch digits.count {
        case 12:
            break
        case 10:
            let yy = digits[0] * 10 + digits[1]
            var year = todayYear / 100 * 100 + yy
            let day = birthDay(digits[4] * 10 + digits[5])
            let month = digits[2] * 10 + digits[3]
            if (year, month, day) > (todayYear, todayMonth, todayDay) { year -= 100 }
            if separator == "+" { year -= 100 }
            digits.insert(contentsOf: [year / 1000, year / 100 % 10], at: 0)
        default:
            return nil
        }
        let year = digits[0...3].reduce(0) { $0 * 10 + $1 }
        let month = digits[4] * 10 + digits[5]
        let day = birthDay(digits[6] * 10 + digits[7])
        guard year >= 1850, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            (year, month, day) <= (todayYear, todayMonth, todayDay), luhnValid(Array(digits[2...]))
        else { return nil }
        return digits.map(String.init).joined()
    }

    /// Coordination numbers carry the day of birth plus 60.
    private static func birthDay(_ value: Int) -> Int { value > 60 ? value - 60 : value }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Luhn over 10 digits: weights 2,1,2,1… from the left, digits of each product summed.
    static func luhnValid(_ digits: [Int]) -> Bool {
        guard digits.count == 10 else { return false }
        var sum = 0
        for (index, digit) in digits.enumerated() {
            let product = index % 2 == 0 ? digit * 2 : digit
            sum += product > 9 ? product - 9 : product
        }
        return sum % 10 == 0
    }

    private static func civil(_ day: Day) -> (Int, Int, Int) { Day.civil(fromDays: day.number) }
}
