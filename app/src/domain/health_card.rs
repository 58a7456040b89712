//! The health card (tessera sanitaria, TS-CNS): a 20-digit identification
//! number; DOMAIN.md notes the national prefix 80380 *(check)*.

/// The typed card number without spaces, if it is 20 digits.
pub fn normalise_card_number(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 20 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::normalise_card_number;

    #[test]
    fn card_numbers_are_twenty_digits() {
        assert_eq!(normalise_card_number("8038 0001 2345 6789 0123"), Some("80380001234567890123".into()));
        assert_eq!(normalise_card_number("8038000123456789012"), None);
        assert_eq!(normalise_card_number("8038000123456789012X"), None);
        assert_eq!(normalise_card_number(""), None);
    }
}
