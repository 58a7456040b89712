//! The payments' form posts, shared by the pages and the server's handlers.

use crate::form_post;

/// Pays the ticked positions: one `posizione=<id>` per position.
pub const PAY_POSITIONS: &str = "/pagamenti/paga";
/// The repeated field of [`PAY_POSITIONS`].
pub const POSITION_FIELD: &str = "posizione";

form_post! {
    /// Pays a paper notice by its notice code and creditor's fiscal code.
    pub struct PayNotice posted to "/pagamenti/paga-avviso" {
        codice: String,
        ente: String,
    }
}

form_post! {
    /// Self-certifies an income exemption (`dichiaro=1`: the declaration
    /// is ticked).
    pub struct DeclareExemption posted to "/pagamenti/esenzioni" {
        #[serde(default)]
        codice: String,
        #[serde(default)]
        dichiaro: String,
    }
}

form_post! {
    /// Withdraws the declaration `id`.
    pub struct WithdrawExemption posted to "/pagamenti/esenzioni/ritira" {
        id: i64,
    }
}
