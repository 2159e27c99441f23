import CNetDNSShim

/// The command line, without the program name.
///
/// Swift's `CommandLine.arguments` is read from `/proc/self/cmdline` on Linux: without /proc
/// (a chroot, a sandbox) it is empty, not even the program name, and `netdns-audit check logs/`
/// would silently become "check standard input". An empty vector is never normal (a process
/// always gets its name), so the vector glibc passed to the program's initialisers is used
/// instead; when that is empty too (musl, or a parent that really passed none: Linux then
/// gives the program one empty argument, `[""]`), the command refuses to run rather than guess.
enum ProcessArguments {
    /// The arguments after the program name, or `nil` when the process's vector is unknown.
    static func read() -> [String]? {
        var vector = CommandLine.arguments
        if vector.isEmpty || vector == [""] { vector = entryArguments() }
        guard !vector.isEmpty, vector != [""] else { return nil }
        return Array(vector.dropFirst())
    }

    /// The vector as the C runtime passed it to main (glibc), without /proc.
    static func entryArguments() -> [String] {
        (0..<max(0, Int(netdns_entry_argument_count()))).compactMap { i in
            netdns_entry_argument(Int32(i)).map { String(cString: $0) }
        }
    }

    static let emptyMessage =
        "the command line is empty (not even the program name; is /proc mounted?): refusing to run rather than read standard input"
}
