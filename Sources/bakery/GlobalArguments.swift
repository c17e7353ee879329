/// The contract puts `--db`, `--role` and `--read-only` before the subcommand (`bakery --db x.sqlite --read-only
/// stats`); ArgumentParser reads options where the subcommand declares them, so leading ones are moved behind the
/// subcommand's words.
enum GlobalArguments {
    /// Options that take a value, and flags, that may come before the subcommand.
    static let valued: Set<String> = ["--db", "--role"]
    static let flags: Set<String> = ["--read-only"]

    static func reordered(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if valued.contains(argument), index + 1 < arguments.count {
                leading += [argument, arguments[index + 1]]
                index += 2
            } else if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return rest
    }
}
