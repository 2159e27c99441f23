import CNetDNSShim
import Foundation
import Testing
@testable import NetDNSAudit

/// The fast reading path (memory-mapped windows, whole stretches of lines, the kubectl fast
/// path, the vector needle search) must count exactly as the line-by-line path does.
@Suite struct FastReadingTests {
    // MARK: netdns_find_pair

    /// Where `needle` starts at `i` in `hay` (plain index loops: cheap in debug and sanitizer builds).
    func occurs(_ needle: [UInt8], in hay: [UInt8], at i: Int) -> Bool {
        guard i + needle.count <= hay.count else { return false }
        var k = 0
        while k < needle.count, hay[i + k] == needle[k] { k += 1 }
        return k == needle.count
    }

    func naiveFind(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        var i = 0
        while i + needle.count <= hay.count {
            if occurs(needle, in: hay, at: i) { return i }
            i += 1
        }
        return nil
    }

    /// Needles as the analyzer searches them: `lookup ` on two rare bytes, and any needle on its
    /// first and last bytes (`firstRange(of:)`), one byte long included.
    @Test(arguments: [("lookup ", 3, 5), ("lookup ", 0, 6), (") = ", 0, 3), ("go package net: ", 0, 15), ("k", 0, 0)])
    func findPairAgreesWithANaiveSearch(_ text: String, _ a: Int, _ b: Int) {
        var random = SplitMix64(seed: 7)
        let needle = Array(text.utf8)
        let alphabet = Array(Set(text.utf8 + Array("lk ".utf8)))
        var mismatches: [String] = []   // one expectation for all trials (cheap under sanitizers)
        for trial in 0..<2000 {
            let n = random.below(300)
            var hay = (0..<n).map { _ in alphabet[random.below(alphabet.count)] }
            if trial % 3 == 0, n >= needle.count {
                let at = random.below(n - needle.count + 1)
                hay.replaceSubrange(at..<at + needle.count, with: needle)
            }
            let found: Int? = hay.withUnsafeBytes { h in
                needle.withUnsafeBytes { nd in
                    netdns_find_pair(h.baseAddress, h.count, nd.baseAddress, nd.count, a, b).map { h.baseAddress!.distance(to: $0) }
                }
            }
            let expected = naiveFind(hay, needle)
            if found != expected { mismatches.append("trial \(trial): \(String(decoding: hay, as: UTF8.self))") }
            if text == "lookup ", hay.withUnsafeBytes({ $0.firstRange(of: "lookup ") }) != expected {
                mismatches.append("firstRange, trial \(trial)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }


    @Test func instanceTableKeepsEveryKeyThroughGrowth() {
        let table = InstanceTable(fileName: "k.log", capacity: 8)
        // Short, inline and arena-held keys, one empty, under two envelope indices.
        let keys = (0..<1000).map { i -> [UInt8] in
            switch i % 4 {
            case 0: return Array("p\(i)".utf8)
            case 1: return Array("pod-\(i)-abcdef/container-\(i % 7)".utf8)
            case 2: return Array(String(repeating: "long-\(i)-", count: 30).utf8)
            default: return i == 3 ? [] : Array("svc \(i)".utf8)
            }
        }
        var buckets: [Int] = []
        for (i, key) in keys.enumerated() {
            buckets.append(key.withUnsafeBytes { table.add($0, envelopeIndex: i % 2, identity: InstanceIdentity(service: "s", name: "n\(i)")) })
        }
        #expect(table.rows.count == 1000)
        #expect(table.capacity >= 4000)
        var mismatches: [Int] = []
        for (i, key) in keys.enumerated() {
            guard let bucket = key.withUnsafeBytes({ table.find($0, envelopeIndex: i % 2) }), table.slot(ofBucket: bucket) == i else {
                mismatches.append(i)
                continue
            }
            table.buckets[bucket].counters.lines += i
            if key.withUnsafeBytes({ table.find($0, envelopeIndex: 1 - i % 2) }) != nil { mismatches.append(-i) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(Array("pod-1000-abcdef/container-0".utf8).withUnsafeBytes { table.find($0, envelopeIndex: 1) } == nil)
        table.setPendingTorn(.init(direction: .forward, fragment: [], age: 0), slot: 17)
        #expect((0..<1000).map { table.summary(ofSlot: $0).lines } == Array(0..<1000))
        let bucket17 = keys[17].withUnsafeBytes { table.find($0, envelopeIndex: 1) }
        #expect(bucket17.map { table.buckets[$0].counters.tornPending } == true)
    }

    @Test func instancesBeyondTheLimitAreFoldedPerService() {
        let table = InstanceTable(fileName: "k.log")
        for i in 0..<(InstanceTable.detailedLimit + 30) {
            let key = Array("pod-\(i)".utf8)
            let identity = InstanceIdentity(service: i % 2 == 0 ? "even" : "odd", name: "pod-\(i)")
            for _ in 0..<2 {   // each instance twice: folded ones are counted once
                let bucket = key.withUnsafeBytes { table.find($0, envelopeIndex: 3) ?? table.add($0, envelopeIndex: 3, identity: identity) }
                table.buckets[bucket].counters.lines += 1
            }
        }
        #expect(table.rows.count == InstanceTable.detailedLimit + 2)
        let rows = (InstanceTable.detailedLimit..<table.rows.count).map { table.summary(ofSlot: $0) }
        #expect(rows.map(\.identity.name) == [InstanceSummary.foldedRowName, InstanceSummary.foldedRowName])
        #expect(rows.map(\.foldedInstances) == [15, 15])
        #expect(rows.map(\.lines) == [30, 30])
    }

    @Test func lineIndexListsEveryNewlineNeedleAndFaultText() {
        var random = SplitMix64(seed: 23)
        let needle = Array("lookup ".utf8)
        let faultTexts = FaultRecognizer.anywhereNeedles.map { Array($0.description.utf8) }
        // The texts' own bytes, so that their pair bytes (and near misses) are frequent.
        let alphabet = Array(Set(Array("lookup \nk".utf8) + faultTexts.joined()))
        // The smallest lists allowed, so that the scan often stops early.
        var newlines = [UInt32](repeating: 0, count: 128)
        var hits = [UInt32](repeating: 0, count: 128)
        var faults = [UInt32](repeating: 0, count: 128)
        var mismatches: [String] = []
        var listedTexts = 0
        // Every copy this processor runs (AVX-512, AVX2, SSE2) lists the same.
        let levels = Array(0...Int(netdns_vector_level()))
        for trial in 0..<600 {
            let level = levels[trial % levels.count]
            let n = random.below(3000)
            var bytes = (0..<n).map { _ in alphabet[random.below(alphabet.count)] }
            for _ in 0..<random.below(20) {
                let text = random.below(3) == 0 ? needle : faultTexts[random.below(faultTexts.count)]
                guard n > text.count else { continue }
                let at = random.below(n - text.count)
                bytes.replaceSubrange(at..<at + text.count, with: text)
            }
            let expectedNewlines = bytes.indices.filter { bytes[$0] == 0x0A }
            let expectedHits = bytes.indices.filter { occurs(needle, in: bytes, at: $0) }
            let expectedFaults = bytes.indices.filter { at in faultTexts.contains { occurs($0, in: bytes, at: at) } }
            var foundNewlines: [Int] = []
            var foundHits: [Int] = []
            var foundFaults: [Int] = []
            var from = 0
            bytes.withUnsafeBytes { b in
                needle.withUnsafeBytes { nd in
                    while from < n {
                        var scanned = 0
                        var hitCount = 0
                        var faultCount = 0
                        let count = newlines.withUnsafeMutableBufferPointer { nl in
                            hits.withUnsafeMutableBufferPointer { h in
                                faults.withUnsafeMutableBufferPointer { f in
                                    netdns_index_lines_at(Int32(level), b.baseAddress! + from, n - from, nl.baseAddress, nl.count,
                                                          nd.baseAddress, nd.count, 3, 5, h.baseAddress, h.count, &hitCount,
                                                          f.baseAddress, &faultCount, &scanned)
                                }
                            }
                        }
                        foundNewlines += newlines[0..<count].map { from + Int($0) }
                        foundHits += hits[0..<hitCount].map { from + Int($0) }
                        foundFaults += faults[0..<faultCount].map { from + Int($0) }
                        if scanned == 0 { mismatches.append("trial \(trial) level \(level): no progress"); return }
                        from += scanned
                    }
                }
            }
            listedTexts += foundFaults.count
            if foundNewlines != expectedNewlines || foundHits != expectedHits || foundFaults != expectedFaults {
                mismatches.append("trial \(trial) level \(level)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(listedTexts > 1000)
    }

    /// Without a fault list, the index lists newlines and needles only, and reports no texts.
    @Test func lineIndexWithoutFaultList() {
        let bytes = Array("a x509: b\nlookup c\nfork/exec d\n".utf8) + [UInt8](repeating: 0x61, count: 200) + Array("\n".utf8)
        var newlines = [UInt32](repeating: 0, count: 128)
        var hits = [UInt32](repeating: 0, count: 128)
        var hitCount = 0
        var scanned = 0
        let needle = Array("lookup ".utf8)
        let count = bytes.withUnsafeBytes { b in
            needle.withUnsafeBytes { nd in
                netdns_index_lines(b.baseAddress, b.count, &newlines, 128, nd.baseAddress, nd.count, 3, 5, &hits, 128, &hitCount, nil, nil, &scanned)
            }
        }
        #expect(count == 4)
        #expect(Array(hits[0..<hitCount]) == [10])
        #expect(scanned == bytes.count)
    }

    // MARK: MappedLineReader against LineSplitter

    enum Event: Equatable { case line([UInt8]), overlong }

    func splitterEvents(_ data: [UInt8], maxLineBytes: Int, chunkBytes: Int) -> [Event] {
        var events: [Event] = []
        var source = MemorySource(bytes: data, chunk: 1000)
        let splitter = LineSplitter(maxLineBytes: maxLineBytes, chunkBytes: chunkBytes)
        _ = try? splitter.run(&source, line: { events.append(.line(Array($0))) }, overlong: { events.append(.overlong) })
        return events
    }

    /// Lines of a stretch handed over whole, as StreamAnalyzer.consumeLines cuts them.
    static func cut(_ region: UnsafeRawBufferPointer, maxLineBytes: Int, into events: inout [Event]) {
        var start = 0
        for i in 0..<region.count where region[i] == 0x0A {
            var end = i
            if end - start > maxLineBytes {
                events.append(.overlong)
            } else {
                if end > start, region[end - 1] == 0x0D { end -= 1 }
                events.append(.line(Array(region[start..<end])))
            }
            start = i + 1
        }
        #expect(start == region.count, "a stretch ends with a newline")
    }

    func mappedEvents(_ path: String, range: Range<Int>, maxLineBytes: Int) throws -> [Event] {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var events: [Event] = []
        let reader = MappedLineReader(fd: fd, path: path, range: range, maxLineBytes: maxLineBytes, windowBytes: 0)
        let n = try reader.run(lines: { Self.cut($0, maxLineBytes: maxLineBytes, into: &events) },
                               line: { events.append(.line(Array($0))) }, overlong: { events.append(.overlong) })
        #expect(n == range.count)
        return events
    }

    func splitterStretchEvents(_ data: [UInt8], maxLineBytes: Int, chunkBytes: Int) -> [Event] {
        var events: [Event] = []
        var source = MemorySource(bytes: data, chunk: 1000)
        let splitter = LineSplitter(maxLineBytes: maxLineBytes, chunkBytes: chunkBytes)
        _ = try? splitter.run(&source, lines: { Self.cut($0, maxLineBytes: maxLineBytes, into: &events) },
                              line: { events.append(.line(Array($0))) }, overlong: { events.append(.overlong) })
        return events
    }

    /// Random text with empty lines, CRLF, lines around the limit and far beyond it (longer than
    /// a window), with and without a final newline.
    func randomText(_ random: inout SplitMix64, maxLineBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(50 + random.below(150)) {
            let kind = random.below(20)
            let length: Int
            switch kind {
            case 0: length = 0
            case 1: length = maxLineBytes - 1 + random.below(3)           // at the limit
            case 2: length = maxLineBytes * (2 + random.below(30))        // over-long, across windows
            default: length = random.below(300)
            }
            out += (0..<length).map { _ in UInt8(0x61 + random.below(26)) }
            if random.below(10) == 0 { out.append(0x0D) }
            out.append(0x0A)
        }
        if random.below(2) == 0 { out += Array("last line without newline\r".utf8) }
        return out
    }

    @Test func mappedWindowsGiveTheLinesOfTheLineSplitter() throws {
        let maxLineBytes = 1024
        var random = SplitMix64(seed: 42)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-audit-mapped-\(getpid()).log")
        defer { try? FileManager.default.removeItem(at: url) }
        for trial in 0..<40 {
            let data = randomText(&random, maxLineBytes: maxLineBytes)
            try Data(data).write(to: url)
            let expected = splitterEvents(data, maxLineBytes: maxLineBytes, chunkBytes: 4096)
            #expect(expected.count > 50)
            #expect(try mappedEvents(url.path, range: 0..<data.count, maxLineBytes: maxLineBytes) == expected, "trial \(trial)")
            #expect(splitterStretchEvents(data, maxLineBytes: maxLineBytes, chunkBytes: 4096) == expected, "trial \(trial)")
            // A range that starts after a newline in the middle of the file.
            if let cut = data.indices.dropFirst(data.count / 2).first(where: { data[$0 - 1] == 0x0A }) {
                let rest = Array(data[cut...])
                #expect(try mappedEvents(url.path, range: cut..<data.count, maxLineBytes: maxLineBytes)
                        == splitterEvents(rest, maxLineBytes: maxLineBytes, chunkBytes: 4096), "trial \(trial) from \(cut)")
            }
        }
    }

    // MARK: The kubectl fast path against the line-by-line path

    /// kubectl lines of every kind the fast path must hand on: traces, failures, torn lines and
    /// their orphan tails, new and folded instances, other timestamp forms, unattributed lines.
    func kubectlText(_ random: inout SplitMix64) -> [UInt8] {
        let pods = (0..<12).map { "svc\($0 % 4)-7d9f8b6c5-\(String($0, radix: 36))x2k4/app" }
        let messages = [
            #"{"level":"info","msg":"request served","ms":12}"#, "cache lookup failed for key 12", "worker done in 5ms",
            "go package net: hostLookupOrder(db.internal) = files,dns", "go package net: using the cgo DNS resolver",
            "go package net: confVal.netCgo = false  netGo = true",
            "dial tcp: lookup db.internal on 10.96.0.10:53: no such host",
            "lookup api.example.com: Temporary failure in name resolution", "lookup x: no such host",
            #"go package net: hostLookupOrder({"msg":"interleaved"}"#, "db.internal) = files,dns", "payments) = cgo",
            "lookup  spaces", "look up the docs", "status ok", "",
        ]
        let stamps = ["2026-11-20T10:00:0\(random.below(10)).\(100_000_000 + random.below(899_999_999))Z",
                      "2026-11-20T10:00:01Z", "2026-11-20T11:00:00.5+01:00", "2026-11-20T10:00:02.123456789Z"]
        var out = ""
        for i in 0..<3000 {
            let pod = pods[random.below(pods.count)]
            let message = messages[random.below(messages.count)]
            switch random.below(40) {
            case 0: out += "no prefix at all \(i)\n"
            case 1: out += "[pod/\(pod)] \(message)\n"                                     // no timestamp
            case 2: out += "[pod/new-\(i)-abc/app] \(stamps[0]) \(message)\n"               // new instances
            case 3: out += "[pod/\(pod)] \(stamps[random.below(stamps.count)]) \(message)\r\n"
            default:
                let stamp = "2026-11-20T10:\(String(format: "%02d", i / 60 % 60)):\(String(format: "%02d", i % 60)).\(100_000_000 + random.below(899_999_999))Z"
                out += "[pod/\(pod)] \(stamp) \(message)\n"
            }
        }
        return Array(out.utf8)
    }

    func lineByLine(_ data: [UInt8], mode: StreamAnalyzer.EnvelopeMode, path: String = "k.log", maxLineBytes: Int = 1 << 20) -> AuditSummary {
        let analyzer = StreamAnalyzer(source: SourceContext(path: path), mode: mode, maxLineBytes: maxLineBytes)
        var source = MemorySource(bytes: data, chunk: 1000)
        _ = try? LineSplitter(maxLineBytes: maxLineBytes).run(&source, line: { analyzer.consume($0) }, overlong: { analyzer.consumeOverlong() })
        return analyzer.finish()
    }

    func stretches(_ data: [UInt8], mode: StreamAnalyzer.EnvelopeMode, chunkBytes: Int, path: String = "k.log",
                   maxLineBytes: Int = 1 << 20, sourceChunk: Int = 1000) -> AuditSummary {
        let analyzer = StreamAnalyzer(source: SourceContext(path: path), mode: mode, maxLineBytes: maxLineBytes)
        var source = MemorySource(bytes: data, chunk: sourceChunk)
        let splitter = LineSplitter(maxLineBytes: maxLineBytes, chunkBytes: chunkBytes)
        _ = try? analyzer.read(&source, through: splitter)
        return analyzer.finish()
    }

    @Test(arguments: [0, 1, 2])
    func fastPathCountsAsTheLineByLinePath(_ modeIndex: Int) {
        let mode: StreamAnalyzer.EnvelopeMode = [.perFile, .perLine, .forced(.kubectl)][modeIndex]
        var random = SplitMix64(seed: UInt64(99 + modeIndex))
        for trial in 0..<5 {
            let data = kubectlText(&random)
            let expected = lineByLine(data, mode: mode)
            #expect(expected.totals.lines == 3000)
            #expect(expected.totals.failures > 100)
            #expect(expected.totals.rebuiltTraceLines > 0)
            #expect(expected.totals.unattributedLines > 0)
            for chunkBytes in [512, 4096, 1 << 20] {
                let same = stretches(data, mode: mode, chunkBytes: chunkBytes) == expected
                #expect(same, "trial \(trial), chunks of \(chunkBytes)")
            }
        }
    }

    /// CRI lines of every kind the fast path must hand on or read: `P` pieces of both streams
    /// interleaved with full lines, fractions of 1 to 9 digits (and 10, and none), other zones,
    /// traces, failures, torn lines, malformed and foreign lines.
    func criText(_ random: inout SplitMix64) -> [UInt8] {
        let messages = [
            #"{"level":"info","msg":"request served","ms":12}"#, "cache lookup failed for key 12", "worker done in 5ms",
            "go package net: hostLookupOrder(db.internal) = files,dns", "go package net: using the cgo DNS resolver",
            "dial tcp: lookup db.internal on 10.96.0.10:53: no such host",
            "lookup api.example.com: Temporary failure in name resolution",
            #"go package net: hostLookupOrder({"msg":"interleaved"}"#, "db.internal) = files,dns", "payments) = cgo", "",
        ]
        var out = ""
        for i in 0..<3000 {
            let second = String(format: "%02d", i / 50 % 60)
            let digits = 1 + random.below(9)
            var fraction = String(random.below(1_000_000_000))
            fraction = String(String(repeating: "0", count: max(0, 9 - fraction.count)) + fraction).prefix(digits).description
            var stamp = "2026-11-20T10:00:\(second).\(fraction)Z"
            switch random.below(40) {
            case 0: stamp = "2026-11-20T10:00:\(second)Z"                      // no fraction
            case 1: stamp = "2026-11-20T10:00:\(second).1234567891Z"           // ten digits
            case 2: stamp = "2026-11-20T11:00:\(second).5+01:00"               // a zone
            case 3: stamp = "2026-13-20T10:00:\(second).5Z"                    // no month 13
            default: break
            }
            let stream = random.below(4) == 0 ? "stderr" : "stdout"
            let tag = random.below(6) == 0 ? "P" : "F"
            let message = messages[random.below(messages.count)]
            switch random.below(50) {
            case 0: out += "not a cri line \(i)\n"
            case 1: out += "\(stamp) stdin F \(message)\n"
            case 2: out += "\(stamp) \(stream) F\n"                             // empty message
            case 3: out += "\(stamp) \(stream) X \(message)\n"
            case 4: out += "\(stamp) \(stream) \(tag) \(message)\r\n"
            default: out += "\(stamp) \(stream) \(tag) \(message)\n"
            }
        }
        return Array(out.utf8)
    }

    @Test(arguments: [0, 1, 2])
    func criFastPathCountsAsTheLineByLinePath(_ modeIndex: Int) {
        let mode: StreamAnalyzer.EnvelopeMode = [.perFile, .perLine, .forced(.cri)][modeIndex]
        let path = "/var/log/pods/shop_api-7d9f8b6c5-x2k4p_0f0e/api/0.log"
        var random = SplitMix64(seed: UInt64(7 + modeIndex))
        for trial in 0..<5 {
            let data = criText(&random)
            let expected = lineByLine(data, mode: mode, path: path)
            #expect(expected.totals.lines == 3000)
            #expect(expected.totals.failures > 100)
            #expect(expected.totals.continuationLines > 100)
            #expect(expected.instances.count == 1)
            for chunkBytes in [512, 4096, 1 << 20] {
                let same = stretches(data, mode: mode, chunkBytes: chunkBytes, path: path) == expected
                #expect(same, "trial \(trial), chunks of \(chunkBytes)")
            }
        }
    }

    /// A file shorter than the vote's window, read as one stretch, is held whole and voted on
    /// and decoded at its end (``StreamAnalyzer/finishStretch()``); read in smaller stretches,
    /// or ended by a line without a newline or an over-long line, its lines are held one by one
    /// (``StreamAnalyzer/spillStretch()``). Every way counts as the line-by-line path.
    @Test func shortFilesCountAsTheLineByLinePath() {
        let path = "/var/log/pods/shop_api-7d9f8b6c5-x2k4p_0f0e/api/0.log"
        var random = SplitMix64(seed: 31)
        let cri = criText(&random)
        let kubectl = kubectlText(&random)
        func firstLines(_ data: [UInt8], _ count: Int) -> [UInt8] {
            var seen = 0
            for (i, byte) in data.enumerated() where byte == 0x0A {
                seen += 1
                if seen == count { return Array(data[...i]) }
            }
            return data
        }
        var compared = 0
        var mismatches: [String] = []
        for (name, text) in [("cri", cri), ("kubectl", kubectl)] {
            for count in [1, 2, 5, 21, 31, 32, 33, 40] {
                let start = random.below(1000)
                let whole = firstLines(Array(text[text.index(text.startIndex, offsetBy: start * 60)...].drop { $0 != 0x0A }.dropFirst()), count)
                let overlong = whole + Array(repeating: 0x61, count: 300) + [0x0A] + firstLines(whole, 3)
                for data in [whole, whole.dropLast().map { $0 }, whole + Array("\r\r\n".utf8), overlong] {
                    for mode: StreamAnalyzer.EnvelopeMode in [.perFile, .perLine] {
                        let expected = lineByLine(data, mode: mode, path: path, maxLineBytes: 200)
                        for chunkBytes in [64, 512, 1 << 20] {
                            compared += 1
                            let read = stretches(data, mode: mode, chunkBytes: chunkBytes, path: path, maxLineBytes: 200,
                                                 sourceChunk: chunkBytes)
                            if read != expected {
                                mismatches.append("\(name), \(count) lines, \(data.count) bytes, chunks of \(chunkBytes)")
                            }
                        }
                    }
                }
            }
        }
        #expect(compared == 2 * 8 * 4 * 2 * 3)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // A pod log of 21 CRI lines: one instance, every line counted.
        let pod = firstLines(cri, 21)
        let summary = stretches(pod, mode: .perFile, chunkBytes: 1 << 20, path: path, sourceChunk: 1 << 20)
        #expect(summary.totals.lines == 21)
        #expect(summary.instances.count == 1)
        #expect(summary == lineByLine(pod, mode: .perFile, path: path))
    }

    /// Through the whole analyzer: memory maps or read(2), one job or several, give one report.
    @Test func memoryMapsAndJobsGiveOneReport() throws {
        var random = SplitMix64(seed: 5)
        var data: [UInt8] = []
        for _ in 0..<4 { data += kubectlText(&random) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netdns-audit-fast-\(getpid()).log")
        try Data(data).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reference = Analyzer(options: AnalyzerOptions(jobs: 1, memoryMap: false)).analyze([.path(url.path)]).summary
        #expect(reference.totals.lines == 12000)
        let size = data.count
        for jobs in [1, 2, 3] {
            for memoryMap in [true, false] {
                let analyzer = Analyzer(options: AnalyzerOptions(jobs: jobs, memoryMap: memoryMap))
                let same = ParallelFileAnalyzer(analyzer: analyzer).analyzeSplit(url.path, size: size, parts: jobs).0 == reference
                #expect(same, "jobs \(jobs), memoryMap \(memoryMap)")
            }
        }
    }
}

