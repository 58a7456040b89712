//! `POST /medico/scelta` (choose a doctor; plain form, redirect back with a
//! notice) and `GET /medico/scelte/{id}/conferma.pdf` (the confirmation).

use app::doctors::notice::DoctorNotice;
use app::notice::Notice;
use app::notice::WriteError;
use std::sync::Arc;

use app::doctors::forms::ChooseDoctor;
use app::doctors::port::Doctors;
use app::domain::fiscal_code::FiscalCode;
use axum::{
    extract::{Path, State},
    response::Response,
    routing::{get, post},
    Form, Router,
};
use tower_sessions::Session;

use super::pdf::confirmation_pdf;
use crate::downloads::{attachment, refused};
use crate::identity::extract::SignedIn;
use crate::identity::session::{redirect_target, redirect_with_notice};
use crate::{clock::rome_today, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route(ChooseDoctor::ACTION, post(choose)).route("/medico/scelte/{id}/conferma.pdf", get(confirmation))
}

async fn choose(
    State(port): State<Arc<dyn Doctors>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<ChooseDoctor>,
) -> Response {
    // The form names a person by fiscal code: anything else is refused
    // here, before it reaches the registry or the redirect.
    let Ok(person) = FiscalCode::parse(&form.person) else {
        tracing::info!("doctor choice for a malformed fiscal code refused");
        return redirect_with_notice(&session, Notice::Doctors(DoctorNotice::DoctorNotAllowed), "/medico#ricerca")
            .await;
    };
    let person = person.as_str();
    let (notice, target) = match port.choose(&principal, person, form.doctor_id).await {
        Ok(_) => (Notice::Doctors(DoctorNotice::DoctorChosen), "/medico".to_string()),
        // Full: show the area's doctors that still have places.
        Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorFull))) => (
            Notice::Doctors(DoctorNotice::DoctorFull),
            redirect_target("/medico", &[("per", person), ("disponibili", "1")], Some("ricerca")),
        ),
        Err(WriteError::Refused(notice)) => (notice, redirect_target("/medico", &[("per", person)], Some("ricerca"))),
        Err(WriteError::Access(_)) => (Notice::ServiceUnavailable, "/medico".to_string()),
    };
    redirect_with_notice(&session, notice, &target).await
}

async fn confirmation(
    State(port): State<Arc<dyn Doctors>>,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match port.confirmation(&principal, id).await {
        Ok(confirmation) => {
            let pdf = confirmation_pdf(&confirmation, &rome_today().to_string());
            attachment("application/pdf", &format!("conferma-scelta-medico-{id}.pdf"), pdf)
        }
        Err(error) => refused(error, "Documento non trovato.", "/medico"),
    }
}
