//! `/vaccinazioni/certificato.pdf`: the certificate, as a download.

use std::sync::Arc;

use app::vaccinations::port::Vaccinations;
use axum::{extract::State, response::Response, routing::get, Router};

use super::certificate::certificate_pdf;
use crate::identity::extract::SignedIn;
use crate::{
    clock::rome_today,
    downloads::{attachment, refused},
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/vaccinazioni/certificato.pdf", get(certificate))
}

async fn certificate(State(port): State<Arc<dyn Vaccinations>>, SignedIn(principal): SignedIn) -> Response {
    match port.overview(&principal).await {
        Ok(page) => {
            let pdf = certificate_pdf(&page, &principal, &rome_today().to_string());
            attachment("application/pdf", &format!("certificato-vaccinale-{}.pdf", principal.subject.fiscal_code), pdf)
        }
        Err(error) => refused(error, "Certificato non disponibile.", "/vaccinazioni"),
    }
}
