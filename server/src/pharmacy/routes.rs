//! Form posts of "Le mie ricette" (consent) and of the pharmacy counter
//! (look up a card — rate limited per pharmacist —, dispense, close).

use app::fse::notice::FseNotice;
use app::notice::Notice;
use app::pharmacy::notice::PharmacyNotice;
use std::{sync::Arc, time::Duration};

use app::identity::AccessError;
use app::pharmacy::forms::{Dispense, LookUpCard, SetCardConsent, CLOSE_COUNTER};
use app::pharmacy::model::CardLookup;
use app::pharmacy::port::{DispenseError, Prescriptions};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use tower_sessions::Session;

use crate::db::{self, window::SlidingWindow};
use crate::identity::extract::SignedIn;
use crate::{identity::session::redirect_with_notice, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SetCardConsent::ACTION, post(set_consent))
        .route(LookUpCard::ACTION, post(lookup))
        .route(Dispense::ACTION, post(dispense))
        .route(CLOSE_COUNTER, post(close))
}

/// `per_minute` card look-ups per pharmacist in any 60 seconds, counted in
/// the database so that the limit holds whichever instance answers.
fn lookup_limit(per_minute: u32) -> SlidingWindow {
    SlidingWindow {
        table: "pharmacy_card_lookups",
        key_column: "pharmacist",
        limit: i64::from(per_minute.max(1)),
        window: Duration::from_secs(60),
    }
}

/// Takes one look-up of `pharmacist` from the limit: `Some(answer)` is the
/// 429 to send when there is none left.
async fn over_the_limit(state: &AppState, pharmacist: &str) -> Option<Response> {
    let limit = lookup_limit(state.settings.pharmacy_lookups_per_minute);
    let taken = async {
        let mut tx = db::begin(&state.pool).await?;
        let taken = limit.take(&mut tx, pharmacist).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(taken)
    }
    .await;
    let wait = match taken {
        Ok(Ok(())) => return None,
        Ok(Err(wait)) => wait.as_secs().max(1),
        Err(error) => {
            tracing::error!(%error, "pharmacy look-up limit not counted: refused");
            return Some(StatusCode::SERVICE_UNAVAILABLE.into_response());
        }
    };
    tracing::warn!(wait, "too many card look-ups: refused");
    Some(
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string()), (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string())],
            format!(
                "Troppe ricerche di tessere in poco tempo: per proteggere i dati dei cittadini le ricerche sono limitate. \
                 Riprova tra {wait} secondi."
            ),
        )
            .into_response(),
    )
}

async fn set_consent(
    State(port): State<Arc<dyn Prescriptions>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<SetCardConsent>,
) -> Response {
    let given = form.given == "1";
    let notice = match port.set_consent(&principal, given).await {
        Ok(()) if given => Notice::Pharmacy(PharmacyNotice::CardConsentGiven),
        Ok(()) => Notice::Pharmacy(PharmacyNotice::CardConsentWithdrawn),
        Err(AccessError::NotAllowed) => Notice::Fse(FseNotice::FseOnlyOwner),
        Err(_) => Notice::ServiceUnavailable,
    };
    redirect_with_notice(&session, notice, "/ricette").await
}

async fn lookup(
    State(state): State<AppState>,
    State(port): State<Arc<dyn Prescriptions>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<LookUpCard>,
) -> Response {
    if let Some(refused) = over_the_limit(&state, &principal.actor.fiscal_code).await {
        return refused;
    }
    let notice = match port.lookup(&principal, &form.codice_fiscale, &form.tessera).await {
        Ok(CardLookup::BadFiscalCode) => Some(Notice::Pharmacy(PharmacyNotice::CardBadFiscalCode)),
        Ok(CardLookup::BadCardNumber) => Some(Notice::Pharmacy(PharmacyNotice::CardBadNumber)),
        Ok(CardLookup::CardMismatch) => Some(Notice::Pharmacy(PharmacyNotice::CardMismatch)),
        Ok(CardLookup::CardExpired(_)) => Some(Notice::Pharmacy(PharmacyNotice::CardExpired)),
        Ok(_) => None,
        Err(AccessError::NotAllowed) => Some(Notice::Pharmacy(PharmacyNotice::PharmacistsOnly)),
        Err(_) => Some(Notice::ServiceUnavailable),
    };
    match notice {
        Some(notice) => redirect_with_notice(&session, notice, "/farmacia").await,
        None => Redirect::to("/farmacia").into_response(),
    }
}

async fn dispense(
    State(port): State<Arc<dyn Prescriptions>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<Dispense>,
) -> Response {
    let notice = match port.dispense(&principal, form.line_id, form.boxes).await {
        Ok(()) => Notice::Pharmacy(PharmacyNotice::Dispensed),
        // The page shows where and when it was dispensed.
        Err(DispenseError::AlreadyDispensed { .. }) => Notice::Pharmacy(PharmacyNotice::LineAlreadyDispensed),
        Err(DispenseError::Lookup(CardLookup::ConsentMissing)) => {
            Notice::Pharmacy(PharmacyNotice::CardConsentMissingNow)
        }
        Err(DispenseError::Lookup(_)) => Notice::Pharmacy(PharmacyNotice::CardLookupAgain),
        Err(DispenseError::Refused(notice)) => notice,
        Err(DispenseError::Access(AccessError::NotAllowed)) => Notice::Pharmacy(PharmacyNotice::PharmacistsOnly),
        Err(DispenseError::Access(_)) => Notice::ServiceUnavailable,
    };
    redirect_with_notice(&session, notice, "/farmacia").await
}

async fn close(State(port): State<Arc<dyn Prescriptions>>, SignedIn(principal): SignedIn) -> Response {
    if let Err(error) = port.close_counter(&principal).await {
        tracing::warn!(?error, "could not close the counter");
    }
    Redirect::to("/farmacia").into_response()
}
