//! Setting the HTTP status of the page being rendered (server only).

#[cfg(feature = "ssr")]
pub fn set_response_status(status: u16) {
    if let (Some(response), Ok(code)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        response.set_status(code);
    }
}

/// In the browser the status is already sent; nothing to do.
#[cfg(not(feature = "ssr"))]
pub fn set_response_status(_status: u16) {}
