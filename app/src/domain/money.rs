//! Amounts are integer cents everywhere; this is how Italians read them.

/// `3615` → `"36,15 €"`, `120000` → `"1.200,00 €"`, `0` → `"0,00 €"`.
pub fn euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let units = (cents / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in units.chars().enumerate() {
        if index > 0 && (units.len() - index).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02} €", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::euro;

    #[test]
    fn amounts_use_the_decimal_comma_and_thousands_dots() {
        assert_eq!(euro(3615), "36,15 €");
        assert_eq!(euro(0), "0,00 €");
        assert_eq!(euro(5), "0,05 €");
        assert_eq!(euro(120_000), "1.200,00 €");
        assert_eq!(euro(123_456_789), "1.234.567,89 €");
        assert_eq!(euro(-250), "-2,50 €");
    }
}
