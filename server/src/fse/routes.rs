//! The FSE's plain HTTP endpoints: changes as form posts (redirect back
//! with a notice, no JavaScript needed) and downloads (document PDF,
//! notebook files, the FHIR export).

use app::fse::notice::FseNotice;
use app::notice::Notice;
use app::notice::WriteError;
use std::sync::Arc;

use app::fse::forms::{SetFseConsent, SetObscured, ADD_TO_NOTEBOOK, DELETE_FROM_NOTEBOOK};
use app::fse::model::NOTEBOOK_MAX_BYTES;
use app::fse::port::{HealthRecord, Upload};
use axum::{
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Form, Router,
};
use tower_sessions::Session;

use super::pdf::document_pdf;
use crate::downloads::{attachment, refused};
use crate::identity::extract::SignedIn;
use crate::{clock::rome_today, identity::session::redirect_with_notice, state::AppState};

/// Room for the multipart envelope and the title around the largest file.
const UPLOAD_BODY_LIMIT: usize = NOTEBOOK_MAX_BYTES + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SetFseConsent::ACTION, post(set_consent))
        .route(SetObscured::ACTION, post(set_obscured))
        .route("/fascicolo/documenti/{id}/documento.pdf", get(document_pdf_download))
        .route("/fascicolo/esporta/fhir.json", get(export))
        .route("/fascicolo/taccuino/{id}/file", get(notebook_file))
        .route(DELETE_FROM_NOTEBOOK, post(delete_from_notebook))
}

/// The upload route, with its own body limit (larger than the portal's).
pub fn upload_router() -> Router<AppState> {
    Router::new().route(ADD_TO_NOTEBOOK, post(add_to_notebook)).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
}

/// Redirects to `target` with the outcome's notice.
async fn answer(session: &Session, outcome: Result<Notice, WriteError>, target: &str) -> Response {
    let notice = outcome.unwrap_or_else(|error| error.notice(Notice::Fse(FseNotice::FseOnlyOwner)));
    redirect_with_notice(session, notice, target).await
}

async fn set_consent(
    State(port): State<Arc<dyn HealthRecord>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Form(form): Form<SetFseConsent>,
) -> Response {
    let given = form.given == "1";
    let notice =
        if given { Notice::Fse(FseNotice::FseConsentGiven) } else { Notice::Fse(FseNotice::FseConsentWithdrawn) };
    let outcome = port.set_consent(&principal, given).await.map(|()| notice);
    answer(&session, outcome, "/fascicolo/consensi").await
}

async fn set_obscured(
    State(port): State<Arc<dyn HealthRecord>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<SetObscured>,
) -> Response {
    let back = format!("/fascicolo/documenti/{id}");
    let obscured = form.obscured == "1";
    let notice =
        if obscured { Notice::Fse(FseNotice::FseDocumentObscured) } else { Notice::Fse(FseNotice::FseDocumentShown) };
    let outcome = port.set_obscured(&principal, id, obscured).await.map(|()| notice);
    let target = if matches!(outcome, Err(WriteError::Refused(Notice::Fse(FseNotice::FseDocumentNotFound)))) {
        "/fascicolo"
    } else {
        &back
    };
    answer(&session, outcome, target).await
}

/// Reads the multipart form; a body over the limit or a broken form ends
/// as "too large" or "no file" rather than as a bare error page.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, Notice> {
    let mut upload = Upload { title: String::new(), file_name: String::new(), bytes: Vec::new() };
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().map(str::to_string);
                let bytes = field.bytes().await.map_err(|error| {
                    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        Notice::Fse(FseNotice::NotebookTooLarge)
                    } else {
                        Notice::Fse(FseNotice::NotebookEmpty)
                    }
                })?;
                match name.as_str() {
                    "title" => upload.title = String::from_utf8_lossy(&bytes).into_owned(),
                    "file" => {
                        upload.file_name = file_name.unwrap_or_default();
                        upload.bytes = bytes.to_vec();
                    }
                    _ => {}
                }
            }
            Ok(None) => return Ok(upload),
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(Notice::Fse(FseNotice::NotebookTooLarge))
            }
            Err(_) => return Err(Notice::Fse(FseNotice::NotebookEmpty)),
        }
    }
}

async fn add_to_notebook(
    State(port): State<Arc<dyn HealthRecord>>,
    session: Session,
    SignedIn(principal): SignedIn,
    multipart: Multipart,
) -> Response {
    let outcome = match read_upload(multipart).await {
        Ok(upload) => port.add_to_notebook(&principal, upload).await.map(|_| Notice::Fse(FseNotice::NotebookAdded)),
        Err(notice) => Err(WriteError::Refused(notice)),
    };
    answer(&session, outcome, "/fascicolo/taccuino").await
}

async fn delete_from_notebook(
    State(port): State<Arc<dyn HealthRecord>>,
    session: Session,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let outcome = port.delete_from_notebook(&principal, id).await.map(|()| Notice::Fse(FseNotice::NotebookDeleted));
    answer(&session, outcome, "/fascicolo/taccuino").await
}

async fn document_pdf_download(
    State(port): State<Arc<dyn HealthRecord>>,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match port.document(&principal, id).await {
        Ok(document) => {
            let bytes = document_pdf(&document, &rome_today().to_string());
            attachment("application/pdf", &format!("documento-fse-{id}.pdf"), bytes)
        }
        Err(error) => refused(error, "Documento non trovato.", "/fascicolo"),
    }
}

async fn notebook_file(
    State(port): State<Arc<dyn HealthRecord>>,
    SignedIn(principal): SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match port.notebook_file(&principal, id).await {
        Ok(file) => attachment(&file.media_type, &file.file_name, file.bytes),
        Err(error) => refused(error, "Documento non trovato.", "/fascicolo"),
    }
}

async fn export(State(port): State<Arc<dyn HealthRecord>>, SignedIn(principal): SignedIn) -> Response {
    match port.export_fhir(&principal).await {
        Ok(json) => {
            let name = format!("fascicolo-{}-{}.json", principal.subject.fiscal_code, rome_today());
            attachment("application/fhir+json", &name, json.into_bytes())
        }
        Err(error) => refused(error, "Documento non trovato.", "/fascicolo"),
    }
}
