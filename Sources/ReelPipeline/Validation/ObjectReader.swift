import Foundation

/// Reads the fields of one JSON object of a pipeline file, reporting every problem with its JSON path (and the
/// stage it is in) instead of stopping at the first. Strings have their `${param}`s expanded.
public struct ObjectReader {
    /// The object's members.
    public let fields: [String: JSONValue]
    /// The object's JSON path in the file (`stages[2].video`).
    public let path: String
    /// The id of the stage the object is in, when it is in one.
    public let stage: String?
    let problems: ProblemList
    /// Expands `${name}` in a string found at a path.
    let expand: (String, String) -> String
    /// What relative paths are relative to.
    let paths: PathBase

    init(
        fields: [String: JSONValue], path: String, stage: String?, problems: ProblemList,
        paths: PathBase = PathBase(directory: FileManager.default.currentDirectoryPath),
        expand: @escaping (String, String) -> String
    ) {
        self.fields = fields
        self.path = path
        self.stage = stage
        self.problems = problems
        self.paths = paths
        self.expand = expand
    }

    /// The JSON path of member `key`.
    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports a problem with member `key` (nil: the object itself).
    public func report(_ key: String?, _ message: String) {
        problems.add(key.map(childPath) ?? path, stage: stage, message)
    }

    /// A file path, made absolute: relative to the pipeline file's folder, or to the current directory when it
    /// starts with a param given on the command line (`${clip}` from `--param clip=take1.mp4`), as a shell user
    /// expects of a path they typed.
    public func filePath(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required) else { return nil }
        guard !text.isEmpty else {
            report(key, "must not be empty")
            return nil
        }
        guard case .string(let raw) = fields[key] else { return nil }
        return paths.resolve(text, written: raw)
    }

    /// Flags every field not in `allowed`, suggesting the closest allowed name.
    public func rejectUnknown(allowing allowed: [String]) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            report(key, "unknown field \"\(key)\"\(suggestion(for: key, among: allowed))")
        }
    }

    public func has(_ key: String) -> Bool { fields[key] != nil }

    public func require(_ key: String) -> JSONValue? {
        guard let value = fields[key] else {
            report(nil, "missing required field \"\(key)\"")
            return nil
        }
        return value
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        guard let value = required ? require(key) : fields[key] else { return nil }
        guard case .string(let text) = value else {
            report(key, "must be a string, not \(value.typeName)")
            return nil
        }
        return expand(text, childPath(key))
    }

    /// A number, also accepted as a string that reads as one after `${param}` expansion.
    public func number(_ key: String, required: Bool = false, minimum: Double? = nil, exclusive: Bool = false)
        -> Double?
    {
        guard let value = required ? require(key) : fields[key] else { return nil }
        let number: Double?
        switch value {
        case .number(let n): number = n
        case .string(let text): number = Double(expand(text, childPath(key)))
        default: number = nil
        }
        guard let number, number.isFinite else {
            report(key, "must be a number, not \(value.typeName)")
            return nil
        }
        if let minimum, exclusive ? number <= minimum : number < minimum {
            report(key, "must be \(exclusive ? "greater than" : "at least") \(format(minimum)), not \(format(number))")
            return nil
        }
        return number
    }

    public func integer(_ key: String, required: Bool = false, minimum: Int? = nil) -> Int? {
        guard let number = number(key, required: required) else { return nil }
        guard number.rounded() == number, abs(number) < 1e15 else {
            report(key, "must be a whole number, not \(format(number))")
            return nil
        }
        if let minimum, Int(number) < minimum {
            report(key, "must be at least \(minimum), not \(Int(number))")
            return nil
        }
        return Int(number)
    }

    public func bool(_ key: String) -> Bool? {
        guard let value = fields[key] else { return nil }
        guard case .bool(let flag) = value else {
            report(key, "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            report(
                key,
                "must be one of \(names.joined(separator: ", ")), not \"\(text)\"\(suggestion(for: text, among: names))"
            )
            return nil
        }
        return value
    }

    public func object(_ key: String, required: Bool = false) -> ObjectReader? {
        guard let value = required ? require(key) : fields[key] else { return nil }
        guard case .object(let object) = value else {
            report(key, "must be an object, not \(value.typeName)")
            return nil
        }
        return ObjectReader(
            fields: object, path: childPath(key), stage: stage, problems: problems, paths: paths, expand: expand)
    }

    public func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let value = required ? require(key) : fields[key] else { return nil }
        guard case .array(let items) = value else {
            report(key, "must be an array of strings, not \(value.typeName)")
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                problems.add("\(childPath(key))[\(index)]", stage: stage, "must be a string, not \(item.typeName)")
                continue
            }
            result.append(expand(text, "\(childPath(key))[\(index)]"))
        }
        return result
    }

    /// An item of an array that holds strings or objects, like a stitch's `inputs` (`"scene2"` or
    /// `{"stage": "scene1", "in": 1.5}`).
    public enum Item {
        case string(String)
        case object(ObjectReader)
    }

    /// An array member of strings and objects; anything else in it is reported.
    public func items(_ key: String, required: Bool = false) -> [Item]? {
        guard let value = required ? require(key) : fields[key] else { return nil }
        guard case .array(let elements) = value else {
            report(key, "must be an array, not \(value.typeName)")
            return nil
        }
        return elements.enumerated().compactMap { index, element in
            let path = "\(childPath(key))[\(index)]"
            switch element {
            case .string(let text): return .string(expand(text, path))
            case .object(let object):
                return .object(
                    ObjectReader(
                        fields: object, path: path, stage: stage, problems: problems, paths: paths, expand: expand))
            default:
                problems.add(path, stage: stage, "must be a string or an object, not \(element.typeName)")
                return nil
            }
        }
    }

    /// An object of scalar values, each turned into a string.
    public func stringMap(_ key: String) -> [String: String]? {
        guard let reader = object(key) else { return nil }
        var result: [String: String] = [:]
        for (name, value) in reader.fields {
            switch value {
            case .string(let text): result[name] = expand(text, reader.childPath(name))
            case .number(let number): result[name] = format(number)
            case .bool(let flag): result[name] = String(flag)
            default: reader.report(name, "must be a string, number or true/false, not \(value.typeName)")
            }
        }
        return result
    }
}

/// `2` for whole numbers, `2.5` otherwise.
func format(_ number: Double) -> String {
    number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
}

/// What the relative paths of a file are relative to.
struct PathBase: Sendable {
    /// The folder of the file the paths are written in.
    var directory: String
    /// Params given on the command line: a path that starts with one is relative to `workingDirectory`.
    var commandLineParams: Set<String> = []
    var workingDirectory: String = FileManager.default.currentDirectoryPath

    /// `text` (the expansion of `written`) as an absolute, standardized path.
    func resolve(_ text: String, written: String) -> String {
        guard !text.hasPrefix("/") else { return (text as NSString).standardizingPath }
        let fromCommandLine = commandLineParams.contains { written.hasPrefix("${\($0)}") }
        let base = fromCommandLine ? workingDirectory : directory
        return ((base as NSString).appendingPathComponent(text) as NSString).standardizingPath
    }
}
