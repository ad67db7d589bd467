import Foundation

/// Sizes as people read them: `0 bytes`, `1 byte`, `999 bytes`, `1.5 MB`, `4 GiB`. One formatter for every
/// message and table, so a size never reads `Zero KB` and a limit is said in the units it was written in.
public enum ByteCount {
    /// Powers of 1000 (`KB`, `MB`…) or of 1024 (`KiB`, `MiB`…).
    public enum Units: Sendable {
        case decimal, binary

        /// The units a size was most likely written in: binary when it is a whole number of KiB and not of KB
        /// (`1MiB` is 1048576), else decimal (`500MB`).
        public init(of size: Int64) {
            self = size > 0 && size % 1024 == 0 && size % 1000 != 0 ? .binary : .decimal
        }
    }

    /// `bytes` with one decimal at most, in `units`.
    public static func text(_ bytes: Int64, units: Units = .decimal) -> String {
        let (base, names): (Double, [String]) =
            switch units {
            case .decimal: (1000, ["KB", "MB", "GB", "TB", "PB"])
            case .binary: (1024, ["KiB", "MiB", "GiB", "TiB", "PiB"])
            }
        guard Double(bytes.magnitude) >= base else { return bytes.magnitude == 1 ? "1 byte" : "\(bytes) bytes" }
        var value = Double(bytes)
        var unit = ""
        for name in names where (abs(value) * 10).rounded() / 10 >= base || unit.isEmpty {
            value /= base
            unit = name
        }
        let rounded = (value * 10).rounded() / 10
        let number = rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
        return "\(number) \(unit)"
    }
}
