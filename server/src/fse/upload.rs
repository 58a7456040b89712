//! What a notebook upload really is: the type comes from the file's first
//! bytes (its "magic number"), never from its name or the browser's claim;
//! the title and the file's own name follow the free-text rules
//! ([`app::domain::text`]): refused, never silently cleaned.

use app::domain::text::{self, Lines};
use app::fse::notice::FseNotice;
use app::notice::Notice;

/// The title and the original file name as the citizen sent them: no
/// control, invisible or reversing characters ("Referto \u{202E}gnp.exe"
/// would show as "Referto exe.png").
pub fn check_text(title: &str, file_name: &str) -> Result<(), Notice> {
    text::check(title, Lines::One).map_err(|_| Notice::Fse(FseNotice::NotebookBadTitle))?;
    text::check(file_name, Lines::One).map_err(|_| Notice::Fse(FseNotice::NotebookBadFileName))?;
    Ok(())
}

/// The accepted media type of `bytes`, with the extension it is saved under.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else {
        None
    }
}

/// A file name safe to store and send back in `Content-Disposition`: the
/// last path segment, printable ASCII letters, digits, `-_. ` only, at most
/// 80 characters, with the extension of the detected type.
pub fn safe_file_name(original: &str, extension: &str) -> String {
    let last = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ') { c } else { '_' })
        .take(80)
        .collect();
    let cleaned = cleaned.trim().trim_matches('_');
    let stem = if cleaned.is_empty() { "documento" } else { cleaned };
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(("application/pdf", "pdf")));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(("image/jpeg", "jpg")));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(("image/png", "png")));
        // A script renamed to .pdf, an HTML page, an empty file.
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn titles_and_names_that_hide_or_reverse_text_are_refused() {
        assert_eq!(check_text("Referto cardiologico", "referto è.pdf"), Ok(()));
        assert_eq!(check_text("Referto \u{202E}gnp.exe", "a.pdf"), Err(Notice::Fse(FseNotice::NotebookBadTitle)));
        assert_eq!(check_text("Referto\u{0}", "a.pdf"), Err(Notice::Fse(FseNotice::NotebookBadTitle)));
        assert_eq!(check_text("Referto\nriga", "a.pdf"), Err(Notice::Fse(FseNotice::NotebookBadTitle)));
        assert_eq!(check_text("Referto", "referto\u{202E}fdp.exe"), Err(Notice::Fse(FseNotice::NotebookBadFileName)));
        assert_eq!(check_text("Referto", "\u{FEFF}a.pdf"), Err(Notice::Fse(FseNotice::NotebookBadFileName)));
    }

    #[test]
    fn names_lose_paths_and_odd_characters_and_get_the_real_extension() {
        assert_eq!(safe_file_name("C:\\Users\\a\\referto privato.PDF", "pdf"), "referto privato.pdf");
        assert_eq!(safe_file_name("../../etc/passwd", "png"), "passwd.png");
        assert_eq!(safe_file_name("\"x\";.jpg", "jpg"), "x.jpg");
        assert_eq!(safe_file_name("", "pdf"), "documento.pdf");
        assert_eq!(safe_file_name("analisi.exe", "pdf"), "analisi.pdf");
    }
}
