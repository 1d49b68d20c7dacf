import CLibCrypt

/// bcrypt through libxcrypt (Debian's libcrypt): the same hashes exporter-toolkit's web config takes.
///
/// Nothing of the algorithm is written here: `crypt_rn` hashes the candidate with the
/// stored hash as its setting, and the two results are compared in constant time.
enum BcryptHash {
    /// `$2a$`, `$2b$` or `$2y$`, a two-digit cost, `$`, then 53 characters of salt and hash.
    static func isWellFormed(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
              bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
              let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)), (4...31).contains(cost)
        else { return false }
        return bytes[7...].allSatisfy { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) }
    }

    /// Whether `password` hashes to `hash` (false for a malformed hash or a password with a NUL).
    static func verify(_ password: String, against hash: String) -> Bool {
        guard let computed = crypt(password, setting: hash) else { return false }
        return constantTimeEqual(Array(computed.utf8), Array(hash.utf8))
    }

    /// `crypt_rn(phrase, setting)`, or nil when libcrypt refuses the setting.
    static func crypt(_ phrase: String, setting: String) -> String? {
        guard !phrase.utf8.contains(0) else { return nil }
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        defer {
            // The scratch area held the password: clear it before it goes back to the allocator.
            data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            data.deallocate()
        }
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        guard let result = crypt_rn(phrase, setting, data, Int32(size)) else { return nil }
        let text = String(cString: result)
        return text.hasPrefix("*") ? nil : text
    }

    /// A fresh setting for `prefix` (`$5$`: SHA-256-crypt, `$2b$`: bcrypt) with libcrypt's own
    /// random salt; `cost` 0 is libcrypt's default for the method.
    static func randomSetting(prefix: String, cost: UInt = 0) -> String? {
        var output = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn(prefix, cost, nil, 0, &output, Int32(output.count)) != nil else { return nil }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
