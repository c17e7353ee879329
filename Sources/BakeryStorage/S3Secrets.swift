import BakeryCore
import Foundation

/// Where an S3 location's keys come from, in this order: the variables the location names
/// (`--access-key-variable`, `--secret-key-variable`), its credentials file (`--key-file`, mode 0600, in the AWS
/// `credentials` format: `aws_access_key_id = …`, `aws_secret_access_key = …`, optionally `aws_session_token = …`,
/// the `[default]` section or none), else `$AWS_ACCESS_KEY_ID` and `$AWS_SECRET_ACCESS_KEY` (and
/// `$AWS_SESSION_TOKEN`). The secret is read when the location is opened and never stored, printed or logged.
struct S3Secrets {
    var accessKeyID: String
    var secretAccessKey: String
    var sessionToken: String?

    static func resolve(
        for location: StorageLocation, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> S3Secrets {
        if let idName = location.accessKeyVariable, let secretName = location.secretKeyVariable {
            guard let id = environment[idName], !id.isEmpty, let secret = environment[secretName], !secret.isEmpty else {
                throw StorageFailure(
                    .configuration, "\(location.address): $\(idName) and $\(secretName) must both be set for this location")
            }
            return S3Secrets(accessKeyID: id, secretAccessKey: secret)
        }
        if let path = location.keyFile { return try read(file: path, for: location) }
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else {
            throw StorageFailure(
                .configuration,
                "\(location.address): no S3 credentials: set $AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY, or give the "
                    + "location a credentials file or variable names (`bakery storage add … --key-file`)")
        }
        return S3Secrets(
            accessKeyID: id, secretAccessKey: secret,
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }

    static func read(file path: String, for location: StorageLocation) throws -> S3Secrets {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StorageFailure(.configuration, "\(location.address): cannot read the credentials file \(path)")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw StorageFailure(
                .configuration,
                "\(location.address): the credentials file \(path) may be read by others (mode "
                    + "\(String(status.st_mode & 0o777, radix: 8))); `chmod 600 \(path)`")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StorageFailure(.configuration, "\(location.address): cannot read the credentials file \(path)")
        }
        var values: [String: String] = [:]
        var section: String?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw StorageFailure(.configuration, "\(path):\(number + 1): expected `name = value`")
            }
            guard section == nil || section == "default" else { continue }
            values[line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let id = values["aws_access_key_id"], !id.isEmpty, let secret = values["aws_secret_access_key"], !secret.isEmpty
        else {
            throw StorageFailure(
                .configuration, "\(path): needs aws_access_key_id and aws_secret_access_key (in [default] or no section)")
        }
        return S3Secrets(accessKeyID: id, secretAccessKey: secret, sessionToken: values["aws_session_token"])
    }
}
