//! Free text from people (a notebook title, a file name) and from hospital
//! systems (every string of an ingest body): one validator for all of it,
//! the same in the browser and on the server.
//!
//! Text is **refused, never repaired**: nothing is removed, replaced or
//! normalised behind the sender's back, so what is stored and shown is
//! exactly what was sent. Refused characters:
//!
//! - NUL and every other C0 control (U+0000–U+001F), DEL (U+007F) and the C1
//!   controls (U+0080–U+009F). In multi-line text a line feed and a tab are
//!   allowed, and a carriage return only right before a line feed (the CR LF
//!   that browsers send for every line break of a `<textarea>`).
//! - Line and paragraph separators (U+2028, U+2029) and, in single-line
//!   text, every line break.
//! - Bidirectional controls, which make text display in another order than
//!   it is stored ("Referto \u{202E}gnp.exe" shows as "Referto exe.png"):
//!   U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates), the
//!   marks U+200E, U+200F and U+061C.
//! - Invisible characters that make two different texts look the same:
//!   U+200B–U+200D (zero-width space, non-joiner, joiner), U+2060–U+2064
//!   (word joiner, invisible operators), U+FEFF (BOM), U+00AD (soft hyphen),
//!   U+034F (grapheme joiner), U+180E, the Hangul fillers U+115F, U+1160,
//!   U+3164, U+FFA0, the interlinear annotation controls U+FFF9–U+FFFB and
//!   the tag characters U+E0000–U+E007F (used to smuggle invisible text).
//! - Unicode noncharacters: U+FDD0–U+FDEF and the last two code points of
//!   every plane (U+FFFE, U+FFFF, U+1FFFE, … U+10FFFF).
//! - Private-use characters (U+E000–U+F8FF, U+F0000–U+10FFFD). **Decision:
//!   refused.** They have no agreed meaning: each font or device shows them
//!   differently (or not at all), so a citizen could not read back what a
//!   hospital sent, and no Italian text, name or clinical term needs them.
//!
//! Everything else is accepted as it is: letters of any script, accents
//! (precomposed or combining), emoji with their variation selectors.

use std::fmt;

/// Whether the text may span several lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// A title, a name, an identifier: no line breaks, no tabs.
    One,
    /// A note or a report: line feeds and tabs allowed.
    Many,
}

/// Why a character is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forbidden {
    /// U+0000.
    Nul,
    /// Another C0 or C1 control, DEL, or a carriage return not followed by
    /// a line feed.
    Control,
    /// A line break where one line is expected (or U+2028/U+2029 anywhere).
    LineBreak,
    /// Changes the order in which text is displayed.
    Bidi,
    /// Zero width or otherwise invisible.
    Invisible,
    /// A Unicode noncharacter.
    Noncharacter,
    /// A private-use character.
    PrivateUse,
}

/// The first refused character of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextRefusal {
    pub kind: Forbidden,
    pub character: char,
    /// 1-based position, in characters.
    pub position: usize,
}

/// Whether `c` is refused in text of `lines`, and why. A carriage return
/// is judged by [`check`], which sees the character after it.
pub fn classify(c: char, lines: Lines) -> Option<Forbidden> {
    let code = u32::from(c);
    match c {
        '\0' => Some(Forbidden::Nul),
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' if lines == Lines::One => Some(Forbidden::LineBreak),
        '\n' | '\r' | '\t' if lines == Lines::Many => None,
        '\u{2028}' | '\u{2029}' => Some(Forbidden::LineBreak),
        _ if c.is_control() => Some(Forbidden::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' => {
            Some(Forbidden::Bidi)
        }
        '\u{200B}'..='\u{200D}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{034F}'
        | '\u{180E}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{3164}'
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' => Some(Forbidden::Invisible),
        '\u{FDD0}'..='\u{FDEF}' => Some(Forbidden::Noncharacter),
        _ if (code & 0xFFFE) == 0xFFFE => Some(Forbidden::Noncharacter),
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}' => Some(Forbidden::PrivateUse),
        _ => None,
    }
}

/// The text itself when every character is allowed, else the first one
/// that is not. Never changes the text.
pub fn check(text: &str, lines: Lines) -> Result<&str, TextRefusal> {
    let mut chars = text.chars().enumerate().peekable();
    while let Some((index, c)) = chars.next() {
        let refused = match classify(c, lines) {
            // In multi-line text a CR is only the first half of CR LF.
            None if c == '\r' => (chars.peek().map(|&(_, next)| next) != Some('\n')).then_some(Forbidden::Control),
            other => other,
        };
        if let Some(kind) = refused {
            return Err(TextRefusal { kind, character: c, position: index + 1 });
        }
    }
    Ok(text)
}

/// `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

impl TextRefusal {
    /// What is wrong, in Italian, naming the field (`"titolo"`).
    pub fn message_it(&self, field: &str) -> String {
        let cp = code_point(self.character);
        let at = self.position;
        match self.kind {
            Forbidden::Nul => format!("Il campo «{field}» contiene il carattere nullo ({cp}) in posizione {at}: toglilo."),
            Forbidden::Control => {
                format!("Il campo «{field}» contiene un carattere di controllo ({cp}) in posizione {at}: toglilo.")
            }
            Forbidden::LineBreak => {
                format!("Il campo «{field}» deve stare su una sola riga: c'è un a capo ({cp}) in posizione {at}.")
            }
            Forbidden::Bidi => format!(
                "Il campo «{field}» contiene un carattere che cambia il verso di lettura del testo ({cp}) in posizione {at}: \
                 farebbe apparire il testo diverso da com'è. Toglilo."
            ),
            Forbidden::Invisible => {
                format!("Il campo «{field}» contiene un carattere invisibile ({cp}) in posizione {at}: toglilo.")
            }
            Forbidden::Noncharacter => format!(
                "Il campo «{field}» contiene un codice che non è un carattere Unicode ({cp}) in posizione {at}: toglilo."
            ),
            Forbidden::PrivateUse => format!(
                "Il campo «{field}» contiene un carattere ad uso privato ({cp}) in posizione {at}, che ogni dispositivo \
                 mostra in modo diverso: toglilo."
            ),
        }
    }

    /// What is wrong, in English, naming the field (`"title"`).
    pub fn message_en(&self, field: &str) -> String {
        let cp = code_point(self.character);
        let at = self.position;
        match self.kind {
            Forbidden::Nul => {
                format!("The field «{field}» contains the null character ({cp}) at position {at}: remove it.")
            }
            Forbidden::Control => {
                format!("The field «{field}» contains a control character ({cp}) at position {at}: remove it.")
            }
            Forbidden::LineBreak => {
                format!("The field «{field}» must fit on one line: there is a line break ({cp}) at position {at}.")
            }
            Forbidden::Bidi => format!(
                "The field «{field}» contains a character that changes the reading direction ({cp}) at position {at}: \
                 the text would look different from what it is. Remove it."
            ),
            Forbidden::Invisible => {
                format!("The field «{field}» contains an invisible character ({cp}) at position {at}: remove it.")
            }
            Forbidden::Noncharacter => {
                format!("The field «{field}» contains a Unicode noncharacter ({cp}) at position {at}: remove it.")
            }
            Forbidden::PrivateUse => format!(
                "The field «{field}» contains a private-use character ({cp}) at position {at}, which every device \
                 shows differently: remove it."
            ),
        }
    }
}

impl fmt::Display for TextRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} character {} at position {}", self.kind, code_point(self.character), self.position)
    }
}

impl std::error::Error for TextRefusal {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn refused(text: &str, lines: Lines) -> (Forbidden, usize) {
        let refusal = check(text, lines).expect_err(text);
        (refusal.kind, refusal.position)
    }

    #[test]
    fn the_review_examples_are_refused_with_what_and_where() {
        assert_eq!(refused("Referto \u{202E}gnp.exe", Lines::One), (Forbidden::Bidi, 9));
        assert_eq!(refused("a\0b", Lines::Many), (Forbidden::Nul, 2));
        assert_eq!(refused("x\nFORGED", Lines::One), (Forbidden::LineBreak, 2));
        assert_eq!(refused("Ros\u{200B}si", Lines::One), (Forbidden::Invisible, 4));
        assert_eq!(refused("\u{FEFF}titolo", Lines::One), (Forbidden::Invisible, 1));
        assert_eq!(refused("a\u{E0041}", Lines::One), (Forbidden::Invisible, 2));
        assert_eq!(refused("\u{FDD0}", Lines::One), (Forbidden::Noncharacter, 1));
        assert_eq!(refused("\u{10FFFF}", Lines::One), (Forbidden::Noncharacter, 1));
        assert_eq!(refused("\u{1FFFE}", Lines::One), (Forbidden::Noncharacter, 1));
        assert_eq!(refused("\u{E000}", Lines::One), (Forbidden::PrivateUse, 1));
        assert_eq!(refused("\u{F0000}", Lines::One), (Forbidden::PrivateUse, 1));
        assert_eq!(refused("\u{9B}31m", Lines::Many), (Forbidden::Control, 1));
        assert_eq!(refused("\u{1B}[31m", Lines::Many), (Forbidden::Control, 1));
        for c in ['\u{202A}', '\u{202D}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}'] {
            assert_eq!(classify(c, Lines::Many), Some(Forbidden::Bidi), "{}", code_point(c));
        }
    }

    #[test]
    fn line_breaks_and_tabs_only_in_multi_line_text() {
        assert_eq!(check("riga 1\nriga 2\tfine", Lines::Many), Ok("riga 1\nriga 2\tfine"));
        assert_eq!(check("riga 1\r\nriga 2", Lines::Many), Ok("riga 1\r\nriga 2"));
        assert_eq!(refused("riga 1\rriga 2", Lines::Many), (Forbidden::Control, 7));
        assert_eq!(refused("fine\r", Lines::Many), (Forbidden::Control, 5));
        assert_eq!(refused("a\tb", Lines::One), (Forbidden::Control, 2));
        assert_eq!(refused("a\u{2028}b", Lines::Many), (Forbidden::LineBreak, 2));
    }

    #[test]
    fn ordinary_text_of_any_script_passes_unchanged() {
        for text in [
            "Referto cardiologico — 12/03/2026",
            "Niccolò D'Amico-Gallo",
            "e\u{301}cografia",
            "Ελληνικά, русский, العربية, 中文",
            "🩺 visita ❤\u{FE0F}",
            "",
        ] {
            assert_eq!(check(text, Lines::One), Ok(text));
        }
    }

    #[test]
    fn messages_name_the_field_and_the_character() {
        let refusal = check("Referto \u{202E}gnp.exe", Lines::One).expect_err("bidi");
        let italian = refusal.message_it("titolo");
        assert!(italian.contains("«titolo»") && italian.contains("U+202E") && italian.contains("posizione 9"));
        assert!(refusal.message_en("title").contains("«title»"));
        let nul = check("\0", Lines::One).expect_err("nul");
        assert!(nul.message_it("note").contains("carattere nullo"));
    }

    /// Every character the rules name, plus a sample around them.
    fn forbidden_char() -> impl Strategy<Value = char> {
        prop_oneof![
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
            (0x7Fu32..0xA0).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
            prop::sample::select(vec![
                '\u{202A}',
                '\u{202B}',
                '\u{202C}',
                '\u{202D}',
                '\u{202E}',
                '\u{2066}',
                '\u{2067}',
                '\u{2068}',
                '\u{2069}',
                '\u{200E}',
                '\u{200F}',
                '\u{061C}',
                '\u{200B}',
                '\u{200C}',
                '\u{200D}',
                '\u{2060}',
                '\u{FEFF}',
                '\u{2028}',
                '\u{2029}',
                '\u{FFFE}',
                '\u{FFFF}',
                '\u{E000}',
                '\u{F8FF}',
                '\u{E0001}',
            ]),
            (0xFDD0u32..=0xFDEF).prop_map(|c| char::from_u32(c).unwrap_or('\0')),
            (1u32..=16).prop_map(|plane| char::from_u32(plane * 0x10000 + 0xFFFF).unwrap_or('\0')),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Any text at all: no panic; what is accepted comes back as it was
        /// and holds no refused character.
        #[test]
        fn never_panics_and_accepted_text_is_clean_and_unchanged(text in any::<String>(), many in any::<bool>()) {
            let lines = if many { Lines::Many } else { Lines::One };
            match check(&text, lines) {
                Ok(accepted) => {
                    prop_assert_eq!(accepted, text.as_str());
                    prop_assert!(accepted.chars().all(|c| classify(c, Lines::Many).is_none()));
                    if lines == Lines::One {
                        prop_assert!(accepted.chars().all(|c| classify(c, Lines::One).is_none()));
                    }
                }
                Err(refusal) => {
                    let at = text.chars().nth(refusal.position - 1);
                    prop_assert_eq!(at, Some(refusal.character));
                    prop_assert!(check(&text.chars().take(refusal.position - 1).collect::<String>(), lines).is_ok());
                }
            }
        }

        /// A refused character anywhere in clean text is found at its place.
        #[test]
        fn a_forbidden_character_is_always_found(
            clean in "[a-zA-Z0-9 àèéìòù'.,;:()/-]{0,40}",
            bad in forbidden_char(),
            at in 0usize..41,
        ) {
            let mut chars: Vec<char> = clean.chars().collect();
            let at = at.min(chars.len());
            chars.insert(at, bad);
            let text: String = chars.iter().collect();
            let refusal = check(&text, Lines::One).expect_err("refused");
            prop_assert_eq!(refusal.position, at + 1);
            prop_assert_eq!(refusal.character, bad);
            prop_assert!(!refusal.message_it("campo").is_empty());
        }

        /// Multi-line text accepts what single-line text accepts.
        #[test]
        fn multi_line_is_never_stricter(text in any::<String>()) {
            if check(&text, Lines::One).is_ok() {
                prop_assert!(check(&text, Lines::Many).is_ok());
            }
        }
    }
}
