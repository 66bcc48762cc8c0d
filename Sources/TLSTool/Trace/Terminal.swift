import Foundation

/// Whether to colour output: only on a terminal, never when NO_COLOR is set (https://no-color.org).
public func shouldUseColor(fileDescriptor: Int32 = STDOUT_FILENO, noColorFlag: Bool = false) -> Bool {
    if noColorFlag { return false }
    if let v = ProcessInfo.processInfo.environment["NO_COLOR"], !v.isEmpty { return false }
    return isatty(fileDescriptor) == 1
}
