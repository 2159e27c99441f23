import Foundation

/// The number of processors this process may use (the default of `--jobs`).
public enum ProcessorCount {
    public static var active: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
