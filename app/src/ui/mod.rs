//! Pieces every capability's pages share: the page heading and icons, the
//! personal-page loader with its access-error view, the native-submit
//! marker for forms that leave the router, the sign-in link, and the
//! `form_post!` declarations that pages and handlers share.
//! Depends on `identity` for the refusal type and its texts; nothing in
//! `identity` or `layout` is needed here, so the page frame and the
//! account bar can both use it.

pub mod consent;
pub mod form_post;
pub mod heading;
pub mod links;
pub mod native_submit;
pub mod personal_page;

pub use consent::{ConsentSwitch, ConsentWords};
pub use heading::{Icon, PageHeading};
pub use native_submit::NativeSubmit;
pub use personal_page::{loaded_view, AccessErrorView};
