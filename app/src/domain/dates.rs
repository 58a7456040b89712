//! Dates as Italian readers expect them.

/// `2026-12-31` → `31/12/2026`; anything that is not `YYYY-MM-DD` is shown
/// as it is.
pub fn italian_date(day: &str) -> String {
    match (day.get(0..4), day.get(4..5), day.get(5..7), day.get(7..8), day.get(8..10)) {
        (Some(year), Some("-"), Some(month), Some("-"), Some(day)) => format!("{day}/{month}/{year}"),
        _ => day.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::italian_date;

    #[test]
    fn dates_are_shown_day_first() {
        assert_eq!(italian_date("2026-12-31"), "31/12/2026");
        assert_eq!(italian_date("2024-03-12"), "12/03/2024");
        assert_eq!(italian_date("boh"), "boh");
    }
}
