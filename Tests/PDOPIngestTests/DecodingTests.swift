import PDOPDomain
@testable import PDOPIngest
import Testing

@Suite("Decoding uploads: UTF-8 and GBK/GB18030 (R5, issue 3)")
struct DecodingTests {
    @Test("GBK text round trips when the bytes are split at every possible boundary")
    func gbkAtEveryBoundary() throws {
        for chunks in everySplit(of: gbkContacts) {
            #expect(try decodeAll(chunks, encoding: .gb18030) == contactsText)
        }
        #expect(try decodeAll(gbkContacts.map { [$0] }, encoding: .gb18030) == contactsText)
    }

    @Test("GB18030 four-byte sequences decode, also when cut by a chunk boundary")
    func gb18030FourByte() throws {
        let bytes: [UInt8] = [0x95, 0x32, 0x82, 0x36, 0xA2, 0xE3] // 𠀀€
        for chunks in everySplit(of: bytes) {
            #expect(try decodeAll(chunks, encoding: .gb18030) == "𠀀€")
        }
    }

    @Test("UTF-8 multibyte characters survive every split point; the BOM is dropped")
    func utf8AtEveryBoundary() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("名称,𠀀\n值,€\n".utf8)
        for chunks in everySplit(of: bytes) {
            #expect(try decodeAll(chunks, encoding: .utf8) == "名称,𠀀\n值,€\n")
        }
        #expect(try decodeAll(bytes.map { [$0] }, encoding: .utf8) == "名称,𠀀\n值,€\n")
    }

    @Test("Only a byte order mark at the very start is dropped")
    func bomOnlyAtStart() throws {
        #expect(try decodeAll([Array("a,\u{FEFF}b".utf8)], encoding: .utf8) == "a,\u{FEFF}b")
        #expect(try decodeAll([[0xEF, 0xBB, 0xBF]], encoding: .utf8) == "")
    }

    @Test("Invalid GBK bytes are refused with the line and byte offset")
    func invalidGBK() {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0xD0, 0xD5, 0xFF] + Array(",c\n".utf8)
        #expect(throws: refusal("line 2", "invalid GB18030 bytes at byte offset 6 (0xFF 0x2C 0x63 0x0A)")) {
            try decodeAll([bytes], encoding: .gb18030)
        }
    }

    @Test("A GBK character cut off by the end of the file is refused")
    func truncatedGBK() {
        #expect(throws: refusal("line 2", "invalid GB18030 bytes at byte offset 4 (0xD0)")) {
            try decodeAll([Array("a,b\n".utf8), [0xD0]], encoding: .gb18030)
        }
    }

    @Test("Invalid UTF-8 is refused with the line and byte offset, also across chunks")
    func invalidUTF8() {
        let bytes = Array("名,b\nx,y\n".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        #expect(throws: refusal("line 3", "invalid UTF-8 bytes at byte offset 10 (0xC3 0x28 0x0A)")) {
            try decodeAll([Array(bytes[..<7]), Array(bytes[7...])], encoding: .utf8)
        }
        #expect(throws: refusal("line 1", "invalid UTF-8 bytes at byte offset 0 (0xED 0xA0 0x80)")) {
            try decodeAll([[0xED, 0xA0, 0x80]], encoding: .utf8) // an encoded surrogate
        }
        #expect(throws: refusal("line 1", "invalid UTF-8 bytes at byte offset 1 (0xE5 0x90)")) {
            try decodeAll([[0x61, 0xE5], [0x90]], encoding: .utf8) // cut off by the end
        }
    }

    @Test("auto: a BOM or valid UTF-8 reads as UTF-8, GBK as GB18030")
    func autoDetection() throws {
        let withBOM = try TextDecoderStream(encoding: .auto)
        #expect(try withBOM.decode([0xEF, 0xBB, 0xBF] + Array("名".utf8)) + withBOM.finish() == "名")
        #expect(withBOM.encoding == .utf8)

        let utf8 = try TextDecoderStream(encoding: .auto)
        #expect(try utf8.decode(Array(contactsText.utf8)) + utf8.finish() == contactsText)
        #expect(utf8.encoding == .utf8)

        for chunks in everySplit(of: gbkContacts) {
            let gbk = try TextDecoderStream(encoding: .auto)
            #expect(try chunks.map { try gbk.decode($0) }.joined() + gbk.finish() == contactsText)
            #expect(gbk.encoding == .gb18030)
        }
    }

    @Test("auto: ASCII is passed on undecided, and GBK far into the file is still recognised")
    func autoAfterLongASCII() throws {
        let ascii = String(repeating: "id,value\n", count: 2_000)
        let decoder = try TextDecoderStream(encoding: .auto)
        var text = try decoder.decode(Array(ascii.utf8))
        #expect(text == ascii && decoder.encoding == nil)
        text += try decoder.decode(gbkContacts) + decoder.finish()
        #expect(text == ascii + contactsText)
        #expect(decoder.encoding == .gb18030)
    }

    @Test("auto: bytes that are neither UTF-8 nor GB18030 are refused")
    func autoNeither() {
        let bytes = Array("a,b\n".utf8) + [0xD0, 0xD5, 0xFF, 0x0A]
        #expect(throws: refusal("line 2", "the bytes at byte offset 6 (0xFF 0x0A) are neither UTF-8 nor GB18030")) {
            try decodeAll([bytes], encoding: .auto)
        }
    }

    @Test("auto: a file read as UTF-8 says so when later bytes are not UTF-8")
    func autoLaterMismatch() {
        // More than the 4 KiB detection window of UTF-8 first, then GBK bytes.
        let start = Array(("名,b\n" + String(repeating: "值\n", count: 2_000)).utf8)
        #expect(start.count == 8_006)
        let expected = refusal("line 2002", "invalid UTF-8 bytes at byte offset 8006 (0xD0 0xD5 0x0A); the file was read as UTF-8 from its first non-ASCII bytes")
        #expect(throws: expected) {
            try decodeAll([start, [0xD0, 0xD5, 0x0A]], encoding: .auto)
        }
    }
}
