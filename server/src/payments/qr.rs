//! The notice's QR code as inline SVG (qrcode crate), for the payment list.

use qrcode::{render::svg, EcLevel, QrCode};

/// SVG markup of a QR code carrying `payload`, scalable to its container.
pub fn svg(payload: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let markup = code.render::<svg::Color>().min_dimensions(192, 192).quiet_zone(true).build();
    // Inline in HTML: no XML declaration.
    match markup.find("<svg") {
        Some(start) => markup[start..].to_string(),
        None => markup,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_payload_becomes_inline_svg() {
        let markup = svg("PAGOPA|002|302000000000000142|03399650104|3615");
        assert!(markup.starts_with("<svg"), "{}", &markup[..40.min(markup.len())]);
        assert!(markup.contains("<path") || markup.contains("<rect"));
        assert!(markup.ends_with("</svg>"));
    }
}
