#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A pseudo-terminal for end-to-end tests: the tool writes to the slave side and believes it
/// talks to a terminal; the test reads the bytes from the master side.
final class PseudoTerminal {
    let master: Int32
    let slave: Int32
    private(set) var output = Data()

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// glibc's pty calls, which Swift's Glibc module hides behind `_XOPEN_SOURCE`.
    enum PtyCalls {
        typealias OpenPt = @convention(c) (Int32) -> Int32
        typealias OnMaster = @convention(c) (Int32) -> Int32
        typealias PtsName = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        static func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, name) else { return nil }
            return unsafeBitCast(sym, to: type)
        }
    }

    init(columns: UInt16 = 120, rows: UInt16 = 40) throws {
        guard let openpt = PtyCalls.symbol("posix_openpt", as: PtyCalls.OpenPt.self),
              let grantpt = PtyCalls.symbol("grantpt", as: PtyCalls.OnMaster.self),
              let unlockpt = PtyCalls.symbol("unlockpt", as: PtyCalls.OnMaster.self),
              let ptsname = PtyCalls.symbol("ptsname", as: PtyCalls.PtsName.self) else {
            throw Failure(description: "no pty functions in libc")
        }
        master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            throw Failure(description: "no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw Failure(description: "cannot open the pty slave") }
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        closeSlave()
        close(master)
    }

    /// The slave side, to hand to a child process.
    var slaveHandle: FileHandle { FileHandle(fileDescriptor: slave, closeOnDealloc: false) }

    private var slaveOpen = true

    /// Closes this process's copy of the slave, so that reads end when the child exits.
    func closeSlave() {
        if slaveOpen { close(slave); slaveOpen = false }
    }

    /// Everything read so far, as text.
    var text: String { String(decoding: output, as: UTF8.self) }

    /// Reads until `done(text)` holds or `seconds` pass; returns whether it held.
    @discardableResult
    func read(within seconds: Double, until done: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            if done(text) { return true }
            if Date() >= deadline { return false }
            if !readOnce(waitMilliseconds: 50) && !slaveOpen {
                // The other side is gone: nothing more will come.
                return done(text)
            }
        }
    }

    /// Waits up to `waitMilliseconds` and reads what is there; false at the end (EIO).
    private func readOnce(waitMilliseconds: Int32) -> Bool {
        var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, waitMilliseconds) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
        if n > 0 { output.append(contentsOf: buffer[0..<n]); return true }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return true }
        return false
    }
}

/// Reads a pipe with deadlines (for the JSON lines of `watch` off a terminal).
final class PipeReader {
    let fd: Int32
    private(set) var output = Data()

    init(_ pipe: Pipe) {
        fd = pipe.fileHandleForReading.fileDescriptor
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    var text: String { String(decoding: output, as: UTF8.self) }

    /// Reads until `done(text)` holds, the writer closes, or `seconds` pass.
    @discardableResult
    func read(within seconds: Double, until done: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !done(text), Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n > 0 { output.append(contentsOf: buffer[0..<n]) } else if n == 0 { break }
        }
        return done(text)
    }
}

/// Waits for a child with a deadline, reading its terminal meanwhile (a full pty would block
/// its last writes); kills it if it overstays.
func waitForExit(_ process: Process, within seconds: Double, reading tty: PseudoTerminal? = nil) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning, Date() < deadline {
        if let tty { tty.read(within: 0.05) { _ in false } } else { usleep(20_000) }
    }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }
    process.waitUntilExit()
    return true
}
