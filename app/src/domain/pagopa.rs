//! pagoPA notice codes (docs/DOMAIN.md): with aux digit 3 the notice code is
//! `3` + segregation code (2) + IUV base (13) + check (2), the check being
//! the preceding 16 digits mod 93; the IUV is the notice code without the
//! aux digit.

/// Builds the notice code from the creditor's segregation code (0–99) and
/// a unique IUV base (at most 13 digits).
pub fn notice_code(segregation: u8, iuv_base: u64) -> Option<String> {
    if segregation > 99 || iuv_base >= 10_u64.pow(13) {
        return None;
    }
    let prefix = format!("3{segregation:02}{iuv_base:013}");
    let check = prefix.parse::<u128>().ok()? % 93;
    Some(format!("{prefix}{check:02}"))
}

/// The IUV inside a notice code with aux digit 3.
pub fn iuv(notice_code: &str) -> Option<&str> {
    notice_code.strip_prefix('3').filter(|rest| rest.len() == 17)
}

/// Whether an 18-digit notice code with aux digit 3 carries a valid check.
pub fn notice_code_is_valid(code: &str) -> bool {
    if code.len() != 18 || !code.bytes().all(|b| b.is_ascii_digit()) || !code.starts_with('3') {
        return false;
    }
    match (code[..16].parse::<u128>(), code[16..].parse::<u128>()) {
        (Ok(prefix), Ok(check)) => prefix % 93 == check,
        _ => false,
    }
}

/// Whether an 11-digit numeric fiscal code (a creditor entity's, as the
/// ASLs') carries a valid check digit (the last one, Luhn-style: digits in
/// even positions doubled, 9 subtracted above 9).
pub fn creditor_fiscal_code_is_valid(code: &str) -> bool {
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = code.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits[..10]
        .iter()
        .enumerate()
        .map(|(index, &digit)| match index % 2 {
            0 => digit,
            _ if digit * 2 > 9 => digit * 2 - 9,
            _ => digit * 2,
        })
        .sum();
    (10 - sum % 10) % 10 == digits[10]
}

/// What the QR code of a notice carries (paper and app notices alike).
pub fn qr_payload(notice_code: &str, creditor_fiscal_code: &str, amount_cents: i64) -> String {
    format!("PAGOPA|002|{notice_code}|{creditor_fiscal_code}|{amount_cents}")
}

/// Digits only: people copy notice codes with spaces ("3 02 0000…").
pub fn digits_only(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '.').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creditor_fiscal_codes_of_the_asls_are_valid_and_typos_are_caught() {
        for code in ["01083410082", "01062990096", "03399650104", "01038700991", "00962520110"] {
            assert!(creditor_fiscal_code_is_valid(code), "{code}");
        }
        assert!(!creditor_fiscal_code_is_valid("01083410083"));
        assert!(!creditor_fiscal_code_is_valid("10834100820"));
        assert!(!creditor_fiscal_code_is_valid("0108341008"));
        assert!(!creditor_fiscal_code_is_valid("0108341008A"));
    }

    #[test]
    fn the_qr_payload_follows_the_notice_format() {
        assert_eq!(
            qr_payload("302000000000000142", "03399650104", 3615),
            "PAGOPA|002|302000000000000142|03399650104|3615"
        );
        assert_eq!(digits_only(" 3020 0000-0000.0001 42 "), "302000000000000142");
    }

    #[test]
    fn notice_codes_carry_their_check_digits() {
        let code = notice_code(3, 42).expect("valid");
        assert_eq!(code.len(), 18);
        assert!(code.starts_with("3030000000000042"));
        assert_eq!(code[16..].parse::<u128>().unwrap(), 3_030_000_000_000_042 % 93);
        assert!(notice_code_is_valid(&code));
        assert_eq!(iuv(&code), Some(&code[1..]));
        let mut wrong = code.clone().into_bytes();
        wrong[17] = if wrong[17] == b'0' { b'1' } else { b'0' };
        assert!(!notice_code_is_valid(&String::from_utf8(wrong).unwrap()));
        assert_eq!(notice_code(100, 1), None);
        assert_eq!(notice_code(1, 10_u64.pow(13)), None);
        assert!(!notice_code_is_valid("30300000000000420X"));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn checks_never_panic(code in any::<String>()) {
                let _ = notice_code_is_valid(&code);
                let _ = creditor_fiscal_code_is_valid(&code);
                let _ = iuv(&code);
                let _ = digits_only(&code);
            }

            /// Built codes are valid, and every single-digit typo is caught.
            #[test]
            fn notice_codes_round_trip_and_catch_typos(
                segregation in 0u8..=99,
                base in 0u64..10_u64.pow(13),
                at in 0usize..18,
                digit in 0u8..10,
            ) {
                let code = notice_code(segregation, base).expect("in range");
                prop_assert!(notice_code_is_valid(&code));
                prop_assert_eq!(iuv(&code).map(str::len), Some(17));
                let mut typo = code.clone().into_bytes();
                prop_assume!(typo[at] != b'0' + digit);
                typo[at] = b'0' + digit;
                prop_assert!(!notice_code_is_valid(&String::from_utf8(typo).expect("ascii")));
            }

            /// The creditor's check digit catches every single-digit typo.
            #[test]
            fn creditor_codes_catch_typos(body in "[0-9]{10}", at in 0usize..11, digit in 0u8..10) {
                let valid = (0..10)
                    .map(|check| format!("{body}{check}"))
                    .find(|code| creditor_fiscal_code_is_valid(code));
                let valid = valid.expect("one check digit fits");
                let mut typo = valid.clone().into_bytes();
                prop_assume!(typo[at] != b'0' + digit);
                typo[at] = b'0' + digit;
                prop_assert!(!creditor_fiscal_code_is_valid(&String::from_utf8(typo).expect("ascii")));
            }
        }
    }
}
