//! pagoPA notice codes (DOMAIN.md): with aux digit 3 the notice code is
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
