//! The health card (tessera sanitaria, TS-CNS): a 20-digit identification
//! number; docs/DOMAIN.md notes the national prefix 80380 *(check)*.

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

    mod properties {
        use super::super::normalise_card_number;
        use proptest::prelude::*;

        proptest! {
            /// Any input: no panic; what is accepted is 20 ASCII digits and
            /// stays the same when read again.
            #[test]
            fn accepted_numbers_are_twenty_digits_and_stable(typed in any::<String>()) {
                if let Some(number) = normalise_card_number(&typed) {
                    prop_assert_eq!(number.len(), 20);
                    prop_assert!(number.bytes().all(|b| b.is_ascii_digit()));
                    prop_assert_eq!(normalise_card_number(&number), Some(number.clone()));
                }
            }

            #[test]
            fn spaced_numbers_are_read(digits in "[0-9]{20}", spaces in prop::collection::vec(0usize..20, 0..5)) {
                let mut typed = digits.clone();
                for at in spaces {
                    typed.insert(at, ' ');
                }
                prop_assert_eq!(normalise_card_number(&typed), Some(digits));
            }
        }
    }
}
