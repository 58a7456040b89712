//! Form posts of the vaccination and screening appointments: book (or
//! move) and cancel, answered with a redirect and a notice.

use app::cup::notice::CupNotice;
use app::notice::Notice;
use app::prevention::notice::AppointmentNotice;
use std::sync::Arc;

use app::notice::WriteError;
use app::prevention::forms::{BookAppointment, CANCEL_APPOINTMENT};
use app::prevention::model::{Purpose, SlotQuery};
use app::prevention::port::Appointments;
use axum::{
    extract::{Path, State},
    response::Response,
    routing::post,
    Form, Router,
};
use tower_sessions::Session;

use crate::identity::extract::SignedIn;
use crate::slots::clean_reference;
use crate::{identity::session::redirect_with_notice, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route(BookAppointment::ACTION, post(book)).route(CANCEL_APPOINTMENT, post(cancel))
}

async fn book(
    State(port): State<Arc<dyn Appointments>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<BookAppointment>,
) -> Response {
    let home = Purpose::from_code(&form.scopo).map_or("/vaccinazioni", |purpose| purpose.home());
    let moving = Some(clean_reference(&form.sposta)).filter(|code| !code.is_empty());
    match port.book(&principal, &form.scopo, form.slot_id, moving.as_deref()).await {
        Ok(code) => {
            let notice = if moving.is_some() {
                Notice::Prevention(AppointmentNotice::AppointmentMoved)
            } else {
                Notice::Prevention(AppointmentNotice::AppointmentConfirmed)
            };
            tracing::info!(code, "prevention appointment booked");
            redirect_with_notice(&session, notice, &format!("{home}#appuntamento-{code}")).await
        }
        // Taken: back to the search, which shows the next free slots.
        Err(WriteError::Refused(Notice::Cup(CupNotice::SlotTaken))) => {
            let query = SlotQuery { purpose: clean_reference(&form.scopo), moving, ..SlotQuery::default() };
            let search = format!("{home}/prenota?{}#posti", query.query_string());
            redirect_with_notice(&session, Notice::Cup(CupNotice::SlotTaken), &search).await
        }
        Err(error) => {
            redirect_with_notice(&session, error.notice(Notice::Cup(CupNotice::BookingNotAllowed)), home).await
        }
    }
}

async fn cancel(
    State(port): State<Arc<dyn Appointments>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(code): Path<String>,
) -> Response {
    // Codes say what they are for: VA- vaccinations, SC- screening.
    let home = if code.starts_with("SC-") { "/screening" } else { "/vaccinazioni" };
    match port.cancel(&principal, &code).await {
        Ok(appointment) => {
            redirect_with_notice(
                &session,
                Notice::Prevention(AppointmentNotice::AppointmentCancelled),
                appointment.purpose.home(),
            )
            .await
        }
        Err(error) => {
            redirect_with_notice(&session, error.notice(Notice::Cup(CupNotice::BookingNotAllowed)), home).await
        }
    }
}
