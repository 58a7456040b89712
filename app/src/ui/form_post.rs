//! Forms posted to the server's axum handlers (docs/decisions/0003): the
//! path, the fields' names and the struct the server decodes are written
//! once, here in `app`, and used by the page that renders the form and by
//! the handler that receives it.

/// Declares a posted form: a struct whose fields are the form's fields
/// (decoded by the server with `axum::Form`), with `ACTION`, the path it
/// is posted to (an axum route pattern when it has `{…}` segments: fill
/// them with [`action_for`]), and one constant per field holding its
/// `name` attribute (`BookSlot::NRE == "nre"`).
#[macro_export]
macro_rules! form_post {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident posted to $path:literal {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        $vis struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        $crate::__paste::paste! {
            impl $name {
                /// Where the form is posted.
                pub const ACTION: &'static str = $path;
                $(
                    #[doc = concat!("The `name` attribute of `", stringify!($field), "`.")]
                    pub const [<$field:upper>]: &'static str = stringify!($field);
                )*
            }
        }
    };
}

/// `pattern` with its first `{…}` segment replaced by `value`, encoded:
/// `action_for("/prenotazioni/{code}/disdici", "PR-1")`.
pub fn action_for(pattern: &str, value: &str) -> String {
    match (pattern.find('{'), pattern.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let segment = super::links::percent_encode(value).replace('/', "%2F");
            format!("{}{segment}{}", &pattern[..open], &pattern[close + 1..])
        }
        _ => pattern.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::action_for;

    crate::form_post! {
        /// A form for the test.
        struct Example posted to "/esempio/{id}/invia" {
            nre: String,
            #[serde(default)]
            slot_id: i64,
        }
    }

    #[test]
    fn the_field_names_are_the_decoded_fields() {
        assert_eq!((Example::NRE, Example::SLOT_ID), ("nre", "slot_id"));
        let sent = format!("{}=1200A4&{}=7", Example::NRE, Example::SLOT_ID);
        let decoded: Example = serde_urlencoded::from_str(&sent).expect("decodes");
        assert_eq!(decoded, Example { nre: "1200A4".into(), slot_id: 7 });
    }

    #[test]
    fn a_path_segment_is_filled_and_encoded() {
        assert_eq!(action_for(Example::ACTION, "PR-1A2B"), "/esempio/PR-1A2B/invia");
        assert_eq!(action_for(Example::ACTION, "a/b?c"), "/esempio/a%2Fb%3Fc/invia");
        assert_eq!(action_for("/senza", "x"), "/senza");
    }
}
