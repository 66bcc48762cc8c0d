import Foundation

/// Whether to colour output: only on a terminal, never when NO_COLOR is set (https://no-color.org)
/// nor on a terminal that says it cannot (TERM=dumb).
public func shouldUseColor(fileDescriptor: Int32 = STDOUT_FILENO, noColorFlag: Bool = false,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    if noColorFlag { return false }
    if let v = environment["NO_COLOR"], !v.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return isatty(fileDescriptor) == 1
}
