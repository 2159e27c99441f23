/// What one `go package net:` line says.
public enum TraceEvent: Sendable, Equatable {
    /// A process-wide decision line (debug level 1 and 2).
    case decision(ResolverDecision)
    /// `GODEBUG=netdns contains an invalid dns mode, ignoring it`.
    case invalidModeNotice
    /// `confVal.netCgo = X  netGo = Y` (debug level 2).
    case confVal(netCgo: Bool?, netGo: Bool?)
    /// `hostLookupOrder(NAME) = ORDER` or `addrLookupOrder(ADDR) = ORDER` (debug level 2).
    case order(LookupDirection, LookupOrder)
    /// An order line cut by another write: the trace prefix followed by foreign text.
    /// `fragment` is what followed the opening parenthesis, needed to rebuild the line.
    case tornOrderStart(LookupDirection, fragment: [UInt8])
    /// A `go package net:` line of a wording this tool does not know.
    case unrecognised
}
