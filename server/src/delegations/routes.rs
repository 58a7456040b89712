//! `POST /deleghe` (give) and `POST /deleghe/{id}/revoca` (revoke): plain
//! form posts that answer with a redirect back to `/deleghe` and a notice.

use app::delegations::notice::DelegationNotice;
use app::notice::Notice;
use app::notice::WriteError;
use std::sync::Arc;

use app::delegations::forms::{GIVE_DELEGATION, REVOKE_DELEGATION};
use app::delegations::model::NewDelegationForm;
use app::delegations::port::Delegations;
use axum::{
    body::Bytes,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Router,
};
use tower_sessions::Session;

use crate::identity::extract::SignedIn;
use crate::{identity::session::set_notice, state::AppState};

const PAGE: &str = "/deleghe";

pub fn router() -> Router<AppState> {
    Router::new().route(GIVE_DELEGATION, post(give)).route(REVOKE_DELEGATION, post(revoke))
}

/// The form, read by hand: `scopes` repeats once per ticked service.
fn parse_form(body: &[u8]) -> NewDelegationForm {
    let mut form = NewDelegationForm::default();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            NewDelegationForm::DELEGATE => form.delegate = value.trim().to_uppercase(),
            NewDelegationForm::DELEGATE_GIVEN_NAME => form.delegate_given_name = value.trim().to_string(),
            NewDelegationForm::DELEGATE_FAMILY_NAME => form.delegate_family_name = value.trim().to_string(),
            NewDelegationForm::SCOPES => form.scopes.push(value.into_owned()),
            NewDelegationForm::VALID_UNTIL => form.valid_until = value.into_owned(),
            _ => {}
        }
    }
    form
}

async fn finish(session: &Session, outcome: Result<Notice, WriteError>) -> Response {
    let notice = match outcome {
        Ok(notice) | Err(WriteError::Refused(notice)) => notice,
        Err(WriteError::Access(_)) => Notice::ServiceUnavailable,
    };
    set_notice(session, notice).await;
    Redirect::to(PAGE).into_response()
}

async fn give(
    State(port): State<Arc<dyn Delegations>>,
    session: Session,
    SignedIn(principal): SignedIn,
    body: Bytes,
) -> Response {
    let outcome = port
        .create(&principal, &parse_form(&body))
        .await
        .map(|_| Notice::Delegations(DelegationNotice::DelegationCreated));
    finish(&session, outcome).await
}

async fn revoke(
    State(port): State<Arc<dyn Delegations>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let outcome = port.revoke(&principal, id).await.map(|()| Notice::Delegations(DelegationNotice::DelegationRevoked));
    finish(&session, outcome).await
}

#[cfg(test)]
mod tests {
    use super::parse_form;

    #[test]
    fn repeated_services_are_all_kept_and_the_code_is_normalised() {
        let form = parse_form(
            b"delegate=+bncpla70e04d969x+&delegate_given_name=+Paolo+&delegate_family_name=De+Santis&scopes=fascicolo&scopes=ricette&valid_until=2027-01-31",
        );
        assert_eq!(form.delegate, "BNCPLA70E04D969X");
        assert_eq!((form.delegate_given_name.as_str(), form.delegate_family_name.as_str()), ("Paolo", "De Santis"));
        assert_eq!(form.scopes, vec!["fascicolo", "ricette"]);
        assert_eq!(form.valid_until, "2027-01-31");
    }
}
