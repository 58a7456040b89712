//! CUP form posts (book, move, cancel, waiting list, offers) answered with
//! a redirect and a notice, and the booking reminder PDF.

use app::cup::notice::CupNotice;
use app::notice::Notice;
use std::sync::Arc;

use app::cup::forms::{BookSlot, JoinWaitingList, ACCEPT_OFFER, CANCEL_BOOKING, DECLINE_OFFER};
use app::cup::port::Cup;
use app::notice::WriteError;
use axum::{
    extract::{Path, State},
    response::Response,
    routing::{get, post},
    Form, Router,
};
use tower_sessions::Session;

use super::pdf::{reminder_pdf, waiting_receipt_pdf};
use crate::identity::extract::SignedIn;
use crate::slots::clean_reference;
use crate::{
    clock::rome_today,
    downloads::{attachment, refused},
    identity::session::redirect_with_notice,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(BookSlot::ACTION, post(book))
        .route(JoinWaitingList::ACTION, post(join_waiting_list))
        .route(ACCEPT_OFFER, post(accept_offer))
        .route(DECLINE_OFFER, post(decline_offer))
        .route(CANCEL_BOOKING, post(cancel))
        .route("/prenotazioni/{code}/promemoria.pdf", get(reminder))
        .route("/prenotazioni/lista-attesa/{reference}/ricevuta.pdf", get(waiting_receipt))
}

async fn book(
    State(port): State<Arc<dyn Cup>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<BookSlot>,
) -> Response {
    let moving = Some(clean_reference(&form.sposta)).filter(|code| !code.is_empty());
    match port.book(&principal, &form.nre, form.slot_id, moving.as_deref()).await {
        Ok(code) => {
            let notice = if moving.is_some() {
                Notice::Cup(CupNotice::BookingMoved)
            } else {
                Notice::Cup(CupNotice::BookingConfirmed)
            };
            redirect_with_notice(&session, notice, &format!("/prenotazioni/{code}")).await
        }
        // Taken or refused: back to the search, which shows the next free slots.
        Err(error) => {
            let mut search = format!("/prenotazioni/cerca?nre={}", clean_reference(&form.nre));
            if let Some(code) = &moving {
                search.push_str(&format!("&sposta={code}"));
            }
            redirect_with_notice(
                &session,
                error.notice(Notice::Cup(CupNotice::BookingNotAllowed)),
                &format!("{search}#risultati"),
            )
            .await
        }
    }
}

async fn join_waiting_list(
    State(port): State<Arc<dyn Cup>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<JoinWaitingList>,
) -> Response {
    match port.join_waiting_list(&principal, &form.nre).await {
        Ok(_) => {
            redirect_with_notice(&session, Notice::Cup(CupNotice::WaitingListJoined), "/prenotazioni#lista-attesa")
                .await
        }
        Err(error) => {
            let search = format!("/prenotazioni/cerca?nre={}#risultati", clean_reference(&form.nre));
            redirect_with_notice(&session, error.notice(Notice::Cup(CupNotice::BookingNotAllowed)), &search).await
        }
    }
}

async fn accept_offer(
    State(port): State<Arc<dyn Cup>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match port.accept_offer(&principal, id).await {
        Ok(code) => {
            redirect_with_notice(&session, Notice::Cup(CupNotice::OfferAccepted), &format!("/prenotazioni/{code}"))
                .await
        }
        Err(error) => {
            redirect_with_notice(
                &session,
                error.notice(Notice::Cup(CupNotice::BookingNotAllowed)),
                "/prenotazioni#lista-attesa",
            )
            .await
        }
    }
}

async fn decline_offer(
    State(port): State<Arc<dyn Cup>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let notice = match port.decline_offer(&principal, id).await {
        Ok(()) => Notice::Cup(CupNotice::OfferDeclined),
        Err(error) => error.notice(Notice::Cup(CupNotice::BookingNotAllowed)),
    };
    redirect_with_notice(&session, notice, "/prenotazioni#lista-attesa").await
}

async fn cancel(
    State(port): State<Arc<dyn Cup>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(code): Path<String>,
) -> Response {
    match port.cancel(&principal, &code).await {
        Ok(()) => redirect_with_notice(&session, Notice::Cup(CupNotice::BookingCancelled), "/prenotazioni").await,
        Err(WriteError::Refused(Notice::Cup(CupNotice::BookingNotFound))) => {
            redirect_with_notice(&session, Notice::Cup(CupNotice::BookingNotFound), "/prenotazioni").await
        }
        Err(error) => {
            redirect_with_notice(
                &session,
                error.notice(Notice::Cup(CupNotice::BookingNotAllowed)),
                &format!("/prenotazioni/{}", clean_reference(&code)),
            )
            .await
        }
    }
}

/// "Name — codice fiscale …" of the person the document is for.
fn patient_line(principal: &app::identity::model::Principal) -> String {
    format!("{} — codice fiscale {}", principal.subject.full_name(), principal.subject.fiscal_code)
}

async fn reminder(
    State(port): State<Arc<dyn Cup>>,
    SignedIn(principal): SignedIn,
    Path(code): Path<String>,
) -> Response {
    match port.booking(&principal, &code).await {
        Ok(booking) => {
            let pdf = reminder_pdf(&booking, &patient_line(&principal), &rome_today().to_string());
            attachment("application/pdf", &format!("promemoria-{}.pdf", clean_reference(&booking.code)), pdf)
        }
        Err(error) => refused(error, "Prenotazione non trovata.", "/prenotazioni"),
    }
}

async fn waiting_receipt(
    State(port): State<Arc<dyn Cup>>,
    SignedIn(principal): SignedIn,
    Path(reference): Path<String>,
) -> Response {
    match port.waiting_entry(&principal, &reference).await {
        Ok(entry) => {
            let pdf = waiting_receipt_pdf(&entry, &patient_line(&principal), &rome_today().to_string());
            attachment("application/pdf", &format!("presa-in-carico-{}.pdf", clean_reference(&entry.reference)), pdf)
        }
        Err(error) => refused(error, "Richiesta non trovata.", "/prenotazioni"),
    }
}
