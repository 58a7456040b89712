//! Server function of the `/medico` page. Choosing is a plain form post
//! handled by the server (`server/src/doctors/routes.rs`).

use leptos::prelude::*;

use super::model::{DoctorFilter, DoctorsPage};
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "doctors")]
pub async fn load_doctors_page(filter: DoctorFilter) -> Result<DoctorsPage, AccessError> {
    use super::port::Doctors;
    use std::sync::Arc;

    let principal = crate::identity::principal()?;
    let port = use_context::<Arc<dyn Doctors>>()
        .ok_or_else(|| AccessError::Internal { request_id: principal.request_id.clone() })?;
    port.page(&principal, &filter).await
}
