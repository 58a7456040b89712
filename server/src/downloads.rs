//! Files the portal hands to the browser (PDF copies, notebook files, the
//! FHIR export), and the answers when a download is refused.

use app::identity::AccessError;
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

/// A download: saved under `file_name`, never rendered as the portal's own page.
pub fn attachment(media_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// A refused download: someone else's file is "not found" (whether it
/// exists is not told), a signed-out visitor signs in and comes back.
pub fn refused(error: AccessError, not_found: &'static str, return_to: &str) -> Response {
    match error {
        AccessError::SignInRequired => Redirect::to(&format!("/auth/login?return_to={return_to}")).into_response(),
        AccessError::NotAllowed => (StatusCode::NOT_FOUND, not_found).into_response(),
        _ => {
            (StatusCode::SERVICE_UNAVAILABLE, "Documento non disponibile: riprova tra qualche minuto.").into_response()
        }
    }
}
