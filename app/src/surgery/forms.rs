//! The patient's forms about who follows an operation, shared by the page
//! and the server's handlers.

use crate::form_post;

form_post! {
    /// Lets `persona` (a fiscal code) follow the case `{id}`.
    pub struct AuthoriseFollower posted to "/interventi/{id}/autorizza" {
        persona: String,
    }
}

form_post! {
    /// Stops `persona` following the case `{id}`.
    pub struct WithdrawFollower posted to "/interventi/{id}/ritira" {
        persona: String,
    }
}
