//! Codice fiscale: the 16-character Italian personal tax code that
//! identifies a person across the health service.
//!
//! Layout: surname (3) name (3) year (2) month letter (1) day (2, +40 for
//! women) municipality (4) check letter (1). Digits in the date and
//! municipality may be replaced by letters (omocodia) when two people would
//! otherwise share a code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A fiscal code whose layout and check letter are valid. Stored uppercase.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FiscalCode(String);

/// Why a fiscal code was refused; each maps to a message a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FiscalCodeError {
    #[error("il codice fiscale deve avere 16 caratteri")]
    WrongLength,
    #[error("il codice fiscale contiene caratteri non ammessi")]
    BadCharacters,
    #[error("il codice fiscale non è valido")]
    WrongCheckLetter,
}

/// Month letters, January to December.
const MONTH_LETTERS: [u8; 12] = *b"ABCDEHLMPRST";
/// Letters that stand for the digits 0-9 in an omocode.
const OMOCODE_LETTERS: [u8; 10] = *b"LMNPQRSTUV";
/// Positions (0-based) that hold digits, possibly replaced by omocode letters.
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
/// Values of characters in odd positions (1st, 3rd, …), for A-Z and 0-9 alike.
const ODD_VALUES: [u32; 26] =
    [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

impl FiscalCode {
    /// Validates layout and check letter. Spaces are ignored, case too.
    pub fn parse(input: &str) -> Result<FiscalCode, FiscalCodeError> {
        let code: String = input.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        if code.chars().count() != 16 {
            return Err(FiscalCodeError::WrongLength);
        }
        let bytes = code.as_bytes();
        for (position, &byte) in bytes.iter().enumerate() {
            let allowed = if DIGIT_POSITIONS.contains(&position) {
                byte.is_ascii_digit() || OMOCODE_LETTERS.contains(&byte)
            } else if position == 8 {
                MONTH_LETTERS.contains(&byte)
            } else {
                byte.is_ascii_uppercase()
            };
            if !allowed {
                return Err(FiscalCodeError::BadCharacters);
            }
        }
        if check_letter(&bytes[..15]) != bytes[15] {
            return Err(FiscalCodeError::WrongCheckLetter);
        }
        Ok(FiscalCode(code))
    }

    /// Builds the code of a person from its parts (used by the demo-data
    /// generator and tests). `surname_part` and `name_part` are the 3-letter
    /// groups already derived from the names; `municipality` a Belfiore code.
    pub fn compose(
        surname_part: &str,
        name_part: &str,
        birth: (i32, u32, u32),
        female: bool,
        municipality: &str,
    ) -> Result<FiscalCode, FiscalCodeError> {
        let (year, month, day) = birth;
        let month_letter =
            *MONTH_LETTERS.get((month as usize).wrapping_sub(1)).ok_or(FiscalCodeError::BadCharacters)?;
        let day = if female { day.saturating_add(40) } else { day };
        let body = format!(
            "{surname_part}{name_part}{:02}{}{:02}{municipality}",
            year.rem_euclid(100),
            month_letter as char,
            day
        );
        if body.len() != 15 {
            return Err(FiscalCodeError::WrongLength);
        }
        // The check letter is computed over capital letters and digits only.
        if !body.bytes().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit()) {
            return Err(FiscalCodeError::BadCharacters);
        }
        let check = check_letter(body.as_bytes()) as char;
        FiscalCode::parse(&format!("{body}{check}"))
    }

    /// The omocode variant of this code at `level` (0 = the code itself):
    /// the last `level` digits, from the right, become letters, as the
    /// registry does when two people would otherwise share a code.
    pub fn omocode(&self, level: usize) -> Option<FiscalCode> {
        if level > DIGIT_POSITIONS.len() {
            return None;
        }
        let mut bytes = self.0.as_bytes()[..15].to_vec();
        for &position in DIGIT_POSITIONS.iter().rev().take(level) {
            let byte = bytes[position];
            if byte.is_ascii_digit() {
                bytes[position] = OMOCODE_LETTERS[usize::from(byte - b'0')];
            }
        }
        bytes.push(check_letter(&bytes));
        String::from_utf8(bytes).ok().and_then(|code| FiscalCode::parse(&code).ok())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the person is registered as female (day of birth + 40).
    pub fn is_female(&self) -> bool {
        self.day_field() > 40
    }

    /// Day of birth (1-31), with omocode letters decoded.
    pub fn birth_day(&self) -> u32 {
        let day = self.day_field();
        if day > 40 {
            day - 40
        } else {
            day
        }
    }

    /// Month of birth (1-12).
    pub fn birth_month(&self) -> u32 {
        let letter = self.0.as_bytes()[8];
        MONTH_LETTERS.iter().position(|&m| m == letter).map_or(0, |i| i as u32 + 1)
    }

    /// Two-digit year of birth; the century is not in the code.
    pub fn birth_year_two_digits(&self) -> u32 {
        self.digit(6) * 10 + self.digit(7)
    }

    fn day_field(&self) -> u32 {
        self.digit(9) * 10 + self.digit(10)
    }

    fn digit(&self, position: usize) -> u32 {
        let byte = self.0.as_bytes()[position];
        match OMOCODE_LETTERS.iter().position(|&l| l == byte) {
            Some(value) => value as u32,
            None => u32::from(byte - b'0'),
        }
    }
}

impl fmt::Display for FiscalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check letter of the first 15 characters: odd positions (1st, 3rd, …)
/// use the special table, even positions their plain value, sum mod 26.
fn check_letter(first_fifteen: &[u8]) -> u8 {
    let sum: u32 = first_fifteen
        .iter()
        .enumerate()
        .map(|(index, &byte)| {
            let value = if byte.is_ascii_digit() { byte - b'0' } else { byte - b'A' } as usize;
            if index % 2 == 0 {
                ODD_VALUES[value]
            } else {
                value as u32
            }
        })
        .sum();
    b'A' + (sum % 26) as u8
}

/// The 3-letter group of a surname: consonants, then vowels, then X.
pub fn surname_part(surname: &str) -> String {
    let (consonants, vowels) = split_letters(surname);
    consonants.chain(vowels).chain(std::iter::repeat('X')).take(3).collect()
}

/// The 3-letter group of a first name: with four or more consonants the
/// 1st, 3rd and 4th; otherwise as for the surname.
pub fn name_part(name: &str) -> String {
    let (consonants, vowels) = split_letters(name);
    let consonants: Vec<char> = consonants.collect();
    if consonants.len() >= 4 {
        [consonants[0], consonants[2], consonants[3]].iter().collect()
    } else {
        consonants.into_iter().chain(vowels).chain(std::iter::repeat('X')).take(3).collect()
    }
}

fn split_letters(word: &str) -> (impl Iterator<Item = char> + '_, impl Iterator<Item = char> + '_) {
    let letters = || word.chars().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_uppercase());
    let is_vowel = |c: &char| "AEIOU".contains(*c);
    (letters().filter(move |c| !is_vowel(c)), letters().filter(is_vowel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_code_with_the_right_check_letter_is_accepted() {
        // The textbook example: Mario Rossi, born in Rome on 1 Jan 1980.
        let code = FiscalCode::parse("RSSMRA80A01H501U").expect("valid");
        assert_eq!(code.as_str(), "RSSMRA80A01H501U");
        assert!(!code.is_female());
        assert_eq!((code.birth_year_two_digits(), code.birth_month(), code.birth_day()), (80, 1, 1));
    }

    #[test]
    fn lowercase_and_spaces_are_normalised() {
        let code = FiscalCode::parse(" rssmra80a01h501u ").expect("valid");
        assert_eq!(code.as_str(), "RSSMRA80A01H501U");
    }

    #[test]
    fn a_wrong_check_letter_is_refused_with_a_clear_message() {
        let error = FiscalCode::parse("RSSMRA80A01H501X").unwrap_err();
        assert_eq!(error, FiscalCodeError::WrongCheckLetter);
        assert_eq!(error.to_string(), "il codice fiscale non è valido");
    }

    #[test]
    fn wrong_length_and_characters_are_told_apart() {
        assert_eq!(FiscalCode::parse("RSSMRA80A01H501"), Err(FiscalCodeError::WrongLength));
        assert_eq!(FiscalCode::parse("RSSMRA80Z01H501U"), Err(FiscalCodeError::BadCharacters));
        assert_eq!(FiscalCode::parse("R5SMRA80A01H501U"), Err(FiscalCodeError::BadCharacters));
    }

    #[test]
    fn an_omocode_decodes_to_the_same_birth_date() {
        // Replace the last digit of the municipality and day digits with letters.
        let plain = FiscalCode::compose("RSS", "MRA", (1980, 1, 1), false, "H501").expect("valid");
        let body: String = plain.as_str()[..15].replace("01H501", "0MH50M");
        let check = check_letter(body.as_bytes()) as char;
        let omocode = FiscalCode::parse(&format!("{body}{check}")).expect("omocode is valid");
        assert_eq!(omocode.birth_day(), 1);
        assert_eq!(omocode.birth_month(), 1);
    }

    #[test]
    fn omocode_variants_are_valid_distinct_and_keep_the_birth_date() {
        let code = FiscalCode::compose("BNC", "LRA", (1952, 7, 23), true, "D969").expect("valid");
        let variants: Vec<FiscalCode> = (0..=7).filter_map(|level| code.omocode(level)).collect();
        assert_eq!(variants.len(), 8);
        assert_eq!(variants[0], code);
        for variant in &variants {
            assert_eq!((variant.birth_day(), variant.birth_month()), (23, 7));
        }
        let distinct: std::collections::HashSet<_> = variants.iter().collect();
        assert_eq!(distinct.len(), 8);
        assert_eq!(code.omocode(8), None);
    }

    #[test]
    fn women_have_forty_added_to_the_day() {
        let code = FiscalCode::compose("BNC", "LRA", (1952, 7, 23), true, "D969").expect("valid");
        assert_eq!(&code.as_str()[9..11], "63");
        assert!(code.is_female());
        assert_eq!(code.birth_day(), 23);
        assert_eq!(code.birth_month(), 7);
    }

    #[test]
    fn name_groups_follow_the_consonant_rules() {
        assert_eq!(surname_part("Rossi"), "RSS");
        assert_eq!(surname_part("Fo"), "FOX");
        assert_eq!(surname_part("Aiello"), "LLA");
        assert_eq!(name_part("Mario"), "MRA");
        assert_eq!(name_part("Francesco"), "FNC");
        assert_eq!(name_part("Ugo"), "GUO");
    }

    #[test]
    fn compose_refuses_odd_parts_instead_of_panicking() {
        assert_eq!(FiscalCode::compose("RS ", "MRA", (1980, 1, 1), false, "H501"), Err(FiscalCodeError::BadCharacters));
        assert_eq!(FiscalCode::compose("RSS", "MRA", (1980, 1, 1), false, "H5é"), Err(FiscalCodeError::BadCharacters));
        assert_eq!(
            FiscalCode::compose("RSS", "MRA", (1980, 1, u32::MAX), true, "H501"),
            Err(FiscalCodeError::WrongLength)
        );
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        const ALLOWED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

        /// A valid code built from random parts, with the parts.
        fn valid_code() -> impl Strategy<Value = (FiscalCode, u32, u32, bool)> {
            ("[A-Z]{3}", "[A-Z]{3}", 1900i32..2100, 1u32..=12, 1u32..=31, any::<bool>(), "[A-Z][0-9]{3}").prop_map(
                |(surname, name, year, month, day, female, municipality)| {
                    let code = FiscalCode::compose(&surname, &name, (year, month, day), female, &municipality)
                        .expect("valid parts make a valid code");
                    (code, month, day, female)
                },
            )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            /// Any input: no panic; an accepted code is 16 capital letters
            /// and digits, and reads back as itself.
            #[test]
            fn parsing_never_panics_and_accepted_codes_round_trip(input in any::<String>()) {
                if let Ok(code) = FiscalCode::parse(&input) {
                    prop_assert_eq!(code.as_str().len(), 16);
                    prop_assert!(code.as_str().bytes().all(|b| ALLOWED.contains(&b)));
                    prop_assert_eq!(FiscalCode::parse(code.as_str()), Ok(code.clone()));
                }
            }

            /// Near misses of real codes (one character changed, lower
            /// case, odd Unicode around) never panic either.
            #[test]
            fn near_misses_never_panic(
                (code, _, _, _) in valid_code(),
                at in 0usize..16,
                with in any::<char>(),
            ) {
                let mut chars: Vec<char> = code.as_str().chars().collect();
                chars[at] = with;
                let _ = FiscalCode::parse(&chars.iter().collect::<String>());
                let _ = FiscalCode::parse(&format!("{}\u{202E}", code.as_str()));
            }

            #[test]
            fn compose_never_panics(
                surname in any::<String>(),
                name in any::<String>(),
                birth in (any::<i32>(), any::<u32>(), any::<u32>()),
                female in any::<bool>(),
                municipality in any::<String>(),
            ) {
                if let Ok(code) = FiscalCode::compose(&surname, &name, birth, female, &municipality) {
                    prop_assert_eq!(FiscalCode::parse(code.as_str()), Ok(code.clone()));
                }
            }

            /// Composed codes keep the birth date, in lower case and with
            /// spaces too, and so do all their omocode variants.
            #[test]
            fn composed_codes_round_trip((code, month, day, female) in valid_code()) {
                let typed = format!(" {} ", code.as_str().to_lowercase());
                prop_assert_eq!(FiscalCode::parse(&typed), Ok(code.clone()));
                prop_assert_eq!((code.birth_month(), code.birth_day(), code.is_female()), (month, day, female));
                for level in 0..=7 {
                    let variant = code.omocode(level).expect("every level is valid");
                    prop_assert_eq!((variant.birth_month(), variant.birth_day()), (month, day));
                    prop_assert_eq!(FiscalCode::parse(variant.as_str()), Ok(variant.clone()));
                }
            }

            /// The check letter catches every single-character typo.
            #[test]
            fn every_single_substitution_is_refused(
                (code, _, _, _) in valid_code(),
                at in 0usize..16,
                with in prop::sample::select(ALLOWED.to_vec()),
            ) {
                let mut bytes = code.as_str().as_bytes().to_vec();
                prop_assume!(bytes[at] != with);
                bytes[at] = with;
                let typo = String::from_utf8(bytes).expect("ascii");
                prop_assert!(FiscalCode::parse(&typo).is_err(), "{} accepted", typo);
            }
        }
    }
}
