/// Go's string literal syntax (`strconv.Unquote`), as build settings use it: `"..."` with Go's
/// escapes, or a raw `` `...` `` string.
enum GoQuoted {
    /// The unquoted text of the quoted string at the start of `text`, and how many UTF-8 bytes
    /// the quoted form took; nil when it is not a valid Go quoted string.
    static func unquotePrefix(_ text: Substring) -> (String, Int)? {
        let bytes = Array(text.utf8)
        guard let quote = bytes.first, quote == 0x22 || quote == 0x60 else { return nil }
        if quote == 0x60 {
            guard let end = bytes[1...].firstIndex(of: 0x60) else { return nil }
            return (String(decoding: bytes[1..<end], as: UTF8.self), end + 1)
        }
        var out: [UInt8] = []
        var i = 1
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { return (String(decoding: out, as: UTF8.self), i + 1) }
            if b == 0x0A { return nil }
            guard b == 0x5C else { out.append(b); i += 1; continue }
            guard i + 1 < bytes.count else { return nil }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case 0x61: out.append(0x07) // \a
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x76: out.append(0x0B)
            case 0x5C, 0x22, 0x27: out.append(e)
            case 0x78: // \xNN
                guard let v = hex(bytes, i, 2) else { return nil }
                out.append(UInt8(v))
                i += 2
            case 0x75, 0x55: // \uNNNN, \UNNNNNNNN
                let n = e == 0x75 ? 4 : 8
                guard let v = hex(bytes, i, n), let scalar = Unicode.Scalar(v) else { return nil }
                out += Array(String(Character(scalar)).utf8)
                i += n
            case 0x30...0x37: // \NNN octal
                guard i + 1 < bytes.count, (0x30...0x37).contains(bytes[i]), (0x30...0x37).contains(bytes[i + 1]) else { return nil }
                let v = Int(e - 0x30) * 64 + Int(bytes[i] - 0x30) * 8 + Int(bytes[i + 1] - 0x30)
                guard v <= 255 else { return nil }
                out.append(UInt8(v))
                i += 2
            default:
                return nil
            }
        }
        return nil
    }

    static func hex(_ bytes: [UInt8], _ at: Int, _ n: Int) -> UInt32? {
        guard at + n <= bytes.count else { return nil }
        var v: UInt32 = 0
        for b in bytes[at..<(at + n)] {
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x61...0x66: d = b - 0x61 + 10
            case 0x41...0x46: d = b - 0x41 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
