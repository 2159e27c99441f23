/// Each wire type's JSON object: its keys in the order of their UTF-8 bytes (upper-case letters
/// before lower-case ones), optional keys left out when absent (docs/reports.md lists them).
extension WireDocument: WireJSONValue {
    func write(to json: inout WireJSONWriter) { write(to: &json) { _ in } }

    /// Calls `between` after each instance and each service (to hand the bytes over).
    func write(to json: inout WireJSONWriter, between: (inout WireJSONWriter) throws -> Void) rethrows {
        json.beginObject()
        json.field("schemaVersion", schemaVersion)
        json.key("services")
        json.beginArray()
        for service in services {
            json.element()
            try WireService(service).write(to: &json, between: between)
            try between(&json)
        }
        json.endArray()
        json.field("tool", tool)
        json.field("totals", totals)
        json.endObject()
    }
}

extension WireTotals: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("binaryFilesSkipped", binaryFilesSkipped)
        json.field("binaryLines", binaryLines)
        json.field("bytes", bytes)
        json.field("continuationLines", continuationLines)
        json.field("failureLines", failureLines)
        json.field("failures", failures)
        json.field("files", files)
        json.field("lines", lines)
        json.field("ordinaryLines", ordinaryLines)
        json.field("overlongLines", overlongLines)
        json.field("readErrors", readErrors)
        json.field("rebuiltTraceLines", rebuiltTraceLines)
        json.field("recognisedTraceLines", recognisedTraceLines)
        json.field("tornLines", tornLines)
        json.field("unattributedLines", unattributedLines)
        json.field("unrecognisedTraceLines", unrecognisedTraceLines)
        json.field("unrecognisedTraceSamples", unrecognisedTraceSamples)
        json.endObject()
    }
}

extension WireService: WireJSONValue {
    func write(to json: inout WireJSONWriter) { write(to: &json) { _ in } }

    /// Calls `between` after each instance.
    func write(to json: inout WireJSONWriter, between: (inout WireJSONWriter) throws -> Void) rethrows {
        json.beginObject()
        json.field("advice", advice)
        json.field("cause", cause)
        json.field("debugLevel", debugLevel)
        json.field("decisions", decisions)
        json.field("evidence", evidence)
        json.field("failures", failures)
        json.field("faults", faults)
        json.field("firstSeen", firstSeen)
        json.field("instanceCount", instanceCount)
        json.key("instances")
        json.beginArray()
        for instance in instances {
            json.element()
            instance.write(to: &json)
            try between(&json)
        }
        json.endArray()
        json.field("lastSeen", lastSeen)
        json.field("libc", libc)
        json.field("lookups", lookups)
        json.field("name", name)
        json.field("namespace", namespace)
        json.field("processes", processes)
        json.field("verdict", verdict)
        json.endObject()
    }
}

extension WireInstance: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("cgoEvidence", cgoEvidence)
        json.field("confidence", confidence)
        json.field("container", container)
        json.field("counters", counters)
        json.field("debugLevel", debugLevel)
        json.field("decisions", decisions)
        json.field("evidence", evidence)
        json.field("failures", failures)
        json.field("faults", faults)
        json.field("files", files)
        json.field("firstSeen", firstSeen)
        json.field("goEvidence", goEvidence)
        json.field("lastSeen", lastSeen)
        json.field("libc", libc)
        json.field("lookups", lookups)
        json.field("name", name)
        json.field("processes", processes)
        json.field("verdict", verdict)
        json.endObject()
    }
}

extension WireCounters: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("cgoEvidence", cgoEvidence)
        json.field("cgoLookupNames", cgoLookupNames)
        json.field("confValLines", confValLines)
        json.field("debugLevel", debugLevel)
        json.field("decisions", decisions)
        json.field("failingNames", failingNames)
        json.field("failureLines", failureLines)
        json.field("failures", failures)
        json.field("faults", faults)
        json.field("files", files)
        json.field("firstSeen", firstSeen)
        json.field("foldedInstances", foldedInstances)
        json.field("forwardOrders", forwardOrders)
        json.field("goEvidence", goEvidence)
        json.field("identity", identity)
        json.field("invalidModeNotices", invalidModeNotices)
        json.field("lastSeen", lastSeen)
        json.field("libc", libc)
        json.field("lines", lines)
        json.field("reverseOrders", reverseOrders)
        json.field("traceLines", traceLines)
        json.endObject()
    }
}

extension WireFaults: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("byKind", byKind)
        json.field("first", first)
        json.field("getaddrinfoGoroutines", getaddrinfoGoroutines)
        json.field("goResolverGoroutines", goResolverGoroutines)
        json.field("goResolverStacks", goResolverStacks)
        json.field("highestGlibc", highestGlibc)
        json.endObject()
    }
}

extension WireFirstFault: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("file", file)
        json.field("kind", kind)
        json.field("line", line)
        json.field("text", text)
        json.endObject()
    }
}

extension WireIdentity: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("container", container)
        json.field("name", name)
        json.field("namespace", namespace)
        json.field("service", service)
        json.endObject()
    }
}

extension WireFailureTally: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("ambiguousNoSuchHost", ambiguousNoSuchHost)
        json.field("libcText", libcText)
        json.field("serverNamed", serverNamed)
        json.field("serverlessOther", serverlessOther)
        json.endObject()
    }
}

extension WireNameTally: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("counts", counts)
        json.field("foldedFailures", foldedFailures)
        json.field("foldedNames", foldedNames)
        json.endObject()
    }
}

extension WireEvidence: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("file", file)
        json.field("line", line)
        json.field("text", text)
        json.endObject()
    }
}

extension WireLookups: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("byOrder", byOrder)
        json.field("cgo", cgo)
        json.field("go", go)
        json.field("reverseByOrder", reverseByOrder)
        json.field("traced", traced)
        json.endObject()
    }
}

extension WireFailures: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("byClass", byClass)
        json.field("byPath", byPath)
        json.field("foldedNames", foldedNames)
        json.field("topNames", topNames)
        json.field("total", total)
        json.endObject()
    }
}

extension WireNameCount: WireJSONValue {
    func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.field("count", count)
        json.field("name", name)
        json.endObject()
    }
}
