//! Generated PDF documents (pdf-writer): A4 pages, the standard Helvetica
//! fonts with WinAnsi encoding (no font embedded), text wrapped to the page
//! and new pages added as the content grows.

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const LABEL_WIDTH: f32 = 150.0;
/// Average Helvetica glyph width as a share of the font size, slightly
/// generous so wrapped lines never overflow the margin.
const GLYPH_WIDTH: f32 = 0.53;

/// Text as WinAnsi bytes (what the standard fonts read): Latin-1 letters
/// as they are, the euro sign and typographic quotes mapped, anything else `?`.
pub fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            '⚠' => b'!',
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

/// Splits `text` into lines of at most `width` points at `size`.
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let max_chars = ((width / (size * GLYPH_WIDTH)) as usize).max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > max_chars && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }
}

/// A document written top to bottom.
pub struct PdfDocument {
    title: String,
    pages: Vec<Content>,
    page: Content,
    y: f32,
}

impl PdfDocument {
    /// A document whose first page opens with the region's header and `title`.
    pub fn new(title: &str) -> PdfDocument {
        let mut document =
            PdfDocument { title: title.to_string(), pages: vec![], page: Content::new(), y: A4.1 - MARGIN };
        document.text(Font::Bold, 11.0, MARGIN, "Regione Liguria — Servizio Sanitario Regionale");
        document.y -= 30.0;
        for line in wrap(title, 18.0, A4.0 - 2.0 * MARGIN) {
            document.text(Font::Bold, 18.0, MARGIN, &line);
            document.y -= 24.0;
        }
        document.y -= 10.0;
        document
    }

    fn text(&mut self, font: Font, size: f32, x: f32, text: &str) {
        self.page.begin_text();
        self.page.set_font(font.name(), size);
        self.page.next_line(x, self.y);
        self.page.show(Str(&win_ansi(text)));
        self.page.end_text();
    }

    /// Starts a new page when fewer than `needed` points are left.
    fn room_for(&mut self, needed: f32) {
        if self.y - needed < MARGIN {
            let full = std::mem::replace(&mut self.page, Content::new());
            self.pages.push(full);
            self.y = A4.1 - MARGIN;
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.y -= 8.0;
        self.room_for(40.0);
        self.text(Font::Bold, 13.0, MARGIN, text);
        self.y -= 20.0;
    }

    /// A label and its value side by side (the value wraps).
    pub fn field(&mut self, label: &str, value: &str) {
        let lines = wrap(value, 11.0, A4.0 - 2.0 * MARGIN - LABEL_WIDTH);
        self.room_for(16.0 * lines.len() as f32 + 4.0);
        self.text(Font::Bold, 11.0, MARGIN, label);
        for line in lines {
            self.text(Font::Regular, 11.0, MARGIN + LABEL_WIDTH, &line);
            self.y -= 16.0;
        }
        self.y -= 2.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, 11.0, A4.0 - 2.0 * MARGIN) {
            self.room_for(16.0);
            self.text(Font::Regular, 11.0, MARGIN, &line);
            self.y -= 16.0;
        }
        self.y -= 4.0;
    }

    pub fn note(&mut self, text: &str) {
        for line in wrap(text, 9.0, A4.0 - 2.0 * MARGIN) {
            self.room_for(13.0);
            self.text(Font::Regular, 9.0, MARGIN, &line);
            self.y -= 13.0;
        }
    }

    /// One row of a table: each cell starts at its share of the text width
    /// (`columns` are fractions summing to at most 1); cells are cut, not wrapped.
    pub fn row(&mut self, columns: &[f32], cells: &[&str], header: bool) {
        self.room_for(16.0);
        let width = A4.0 - 2.0 * MARGIN;
        let font = if header { Font::Bold } else { Font::Regular };
        let mut x = MARGIN;
        for (share, cell) in columns.iter().zip(cells) {
            let max_chars = ((share * width) / (10.0 * GLYPH_WIDTH)) as usize;
            let shown: String = if cell.chars().count() > max_chars {
                cell.chars().take(max_chars.saturating_sub(1)).chain(['…']).collect()
            } else {
                cell.to_string()
            };
            self.page.begin_text();
            self.page.set_font(font.name(), 10.0);
            self.page.next_line(x, self.y);
            self.page.show(Str(&win_ansi(&shown)));
            self.page.end_text();
            x += share * width;
        }
        self.y -= 15.0;
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.pages.push(std::mem::replace(&mut self.page, Content::new()));
        let (catalog, tree, regular, bold, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
        let count = self.pages.len() as i32;
        let page_refs: Vec<Ref> = (0..count).map(|i| Ref::new(6 + 2 * i)).collect();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_refs.iter().copied()).count(count);
        for (index, content) in self.pages.into_iter().enumerate() {
            let (page_ref, stream_ref) = (page_refs[index], Ref::new(7 + 2 * index as i32));
            let mut page = pdf.page(page_ref);
            page.parent(tree).media_box(Rect::new(0.0, 0.0, A4.0, A4.1)).contents(stream_ref);
            page.resources().fonts().pair(Font::Regular.name(), regular).pair(Font::Bold.name(), bold);
            drop(page);
            pdf.stream(stream_ref, &content.finish());
        }
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info).title(TextStr(&self.title)).producer(TextStr("Portale Salute Liguria"));
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_on_words() {
        let lines = wrap("uno due tre quattro cinque sei sette otto nove dieci", 10.0, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| line.chars().count() <= 11), "{lines:?}");
        assert_eq!(lines.join(" "), "uno due tre quattro cinque sei sette otto nove dieci");
        assert_eq!(wrap("", 10.0, 100.0), vec![String::new()]);
    }

    #[test]
    fn a_long_document_gets_more_pages() {
        let mut document = PdfDocument::new("Prova");
        for i in 0..120 {
            document.paragraph(&format!("Riga numero {i}"));
        }
        let bytes = document.finish();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        // 33 lines fit under the title, 36 on each further page.
        assert!(text.contains("/Count 4"), "120 lines of 20 points need four A4 pages");
    }

    #[test]
    fn accented_letters_use_winansi_bytes() {
        assert_eq!(win_ansi("è€x"), vec![0xE8, 0x80, b'x']);
        assert_eq!(win_ansi("ł"), vec![b'?']);
    }
}
