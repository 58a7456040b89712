//! Localisation: Italian by default, English on request.
//!
//! Texts are plain Rust structs (one per language, in `it.rs` and `en.rs`) so
//! that a missing translation is a compile error, not a blank on screen. The
//! language is chosen by the `lang` cookie that `POST /lingua` sets.

mod en;
mod it;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use texts::*;
mod texts;

/// Name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "lang";

/// A language the portal speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    /// Every supported language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::It, Lang::En];

    /// BCP 47 code, used for `<html lang>` and the cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    /// The language's own name ("Italiano", "English"), shown in the switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::It => "Italiano",
            Lang::En => "English",
        }
    }

    /// Parses a cookie or form value; anything unknown is `None`.
    pub fn parse(value: &str) -> Option<Lang> {
        match value.trim() {
            "it" => Some(Lang::It),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Reads the language from a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == LANG_COOKIE)
            .and_then(|(_, value)| Lang::parse(value))
    }

    /// The texts of this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::It => &it::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
}

/// The language of the current request (server) or page (browser).
pub fn current_lang() -> Lang {
    if let Some(lang) = use_context::<Lang>() {
        return lang;
    }
    detect::lang_of_request()
}

/// Puts the current language in context for every component below.
pub fn provide_texts() {
    provide_context(current_lang());
}

/// The texts for the current language.
pub fn use_texts() -> &'static Texts {
    current_lang().texts()
}

#[cfg(feature = "ssr")]
mod detect {
    use super::Lang;
    use leptos::prelude::use_context;

    /// On the server the request's cookie decides; Italian otherwise.
    pub fn lang_of_request() -> Lang {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .find_map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
}

#[cfg(not(feature = "ssr"))]
mod detect {
    use super::Lang;

    /// In the browser the server already decided: read `<html lang>`.
    pub fn lang_of_request() -> Lang {
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::parse(&code))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lang_cookie_is_found_among_others() {
        assert_eq!(Lang::from_cookie_header("a=1; lang=en; b=2"), Some(Lang::En));
        assert_eq!(Lang::from_cookie_header("lang=it"), Some(Lang::It));
    }

    #[test]
    fn an_unknown_or_missing_language_is_ignored() {
        assert_eq!(Lang::from_cookie_header("lang=fr"), None);
        assert_eq!(Lang::from_cookie_header("other=en"), None);
        assert_eq!(Lang::from_cookie_header(""), None);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }
}
