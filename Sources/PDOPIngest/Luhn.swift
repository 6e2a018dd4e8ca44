/// The Luhn (mod 10) check used by bank card numbers.
public enum Luhn {
    public static func isValid(_ digits: String) -> Bool {
        guard digits.count >= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        var sum = 0
        for (index, char) in digits.reversed().enumerated() {
            var value = char.wholeNumberValue!
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
