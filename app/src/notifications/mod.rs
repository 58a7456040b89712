//! "Notifiche": one inbox for what the portal tells a person — offers from
//! the waiting list, payment outcomes settled later — for themselves and
//! their minor children, with the unread count in the header.

pub mod api;
pub mod forms;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod port;
pub mod texts;
