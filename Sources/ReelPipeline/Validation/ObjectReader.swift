/// Reads the fields of one JSON object, reporting every problem with its JSON path instead of stopping at the first.
struct ObjectReader {
    let fields: [String: JSONValue]
    let path: String
    let stage: String?
    let problems: ProblemList
    /// Expands `${name}` in a string found at a path.
    let expand: (String, String) -> String

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func report(_ key: String?, _ message: String) {
        problems.add(key.map(childPath) ?? path, stage: stage, message)
    }

    /// Flags every field not in `allowed`, suggesting the closest allowed name.
    func rejectUnknown(allowing allowed: [String]) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            report(key, "unknown field \"\(key)\"\(suggestion(for: key, among: allowed))")
        }
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    func require(_ key: String) -> JSONValue? {
        guard let value = fields[key] else {
            report(nil, "missing required field \"\(key)\"")
            return nil
        }
        return value
    }

    func string(_ key: String, required: Bool = false) -> String? {
        guard let value = required ? require(key) : fields[key] else { return nil }
        guard case .string(let text) = value else {
            report(key, "must be a string, not \(value.typeName)")
            return nil
        }
        return expand(text, childPath(key))
    }

    /// A number, also accepted as a string that reads as one after `${param}` expansion.
    func number(_ key: String, required: Bool = false, minimum: Double? = nil, exclusive: Bool = false) -> Double? {
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

    func integer(_ key: String, required: Bool = false, minimum: Int? = nil) -> Int? {
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

    func bool(_ key: String) -> Bool? {
        guard let value = fields[key] else { return nil }
        guard case .bool(let flag) = value else {
            report(key, "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
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

    func object(_ key: String, required: Bool = false) -> ObjectReader? {
        guard let value = required ? require(key) : fields[key] else { return nil }
        guard case .object(let object) = value else {
            report(key, "must be an object, not \(value.typeName)")
            return nil
        }
        return ObjectReader(fields: object, path: childPath(key), stage: stage, problems: problems, expand: expand)
    }

    func strings(_ key: String, required: Bool = false) -> [String]? {
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

    /// An object of scalar values, each turned into a string.
    func stringMap(_ key: String) -> [String: String]? {
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
