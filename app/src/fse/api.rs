//! Server functions of the FSE pages (reads). Changes are plain form posts
//! handled by the server (`server/src/fse/routes.rs`).

use leptos::prelude::*;

use super::model::{
    ConsentPage, Document, DocumentFilter, DocumentsPage, NotebookPage, PatientSummary, ProfessionalView, TrendPage,
};
#[cfg(feature = "ssr")]
use super::port::HealthRecord;
#[cfg(feature = "ssr")]
use crate::identity::signed_in_with;
use crate::identity::AccessError;

#[server(prefix = "/api", endpoint = "fse_documents")]
pub async fn load_documents(filter: DocumentFilter) -> Result<DocumentsPage, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.documents(&principal, &filter).await
}

#[server(prefix = "/api", endpoint = "fse_document")]
pub async fn load_document(id: i64) -> Result<Document, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.document(&principal, id).await
}

#[server(prefix = "/api", endpoint = "fse_summary")]
pub async fn load_summary() -> Result<PatientSummary, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.summary(&principal).await
}

#[server(prefix = "/api", endpoint = "fse_trend")]
pub async fn load_trend(loinc: Option<String>) -> Result<TrendPage, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.trend(&principal, loinc.as_deref()).await
}

#[server(prefix = "/api", endpoint = "fse_consents")]
pub async fn load_consents() -> Result<ConsentPage, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.consents(&principal).await
}

#[server(prefix = "/api", endpoint = "fse_notebook")]
pub async fn load_notebook() -> Result<NotebookPage, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.notebook(&principal).await
}

#[server(prefix = "/api", endpoint = "fse_consult")]
pub async fn consult_record(patient: String) -> Result<ProfessionalView, AccessError> {
    let (principal, port) = signed_in_with::<dyn HealthRecord>()?;
    port.consult(&principal, &patient).await
}
