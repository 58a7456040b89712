//! The Electronic Health Record port (in the region: the FSE index and
//! repositories). Adapters decide who may see and change what: consent and
//! obscuring are enforced there, and every access lands in the audit log.

use crate::notice::WriteError;
use async_trait::async_trait;

use super::model::{
    ConsentPage, Document, DocumentFilter, DocumentsPage, NotebookPage, PatientSummary, ProfessionalView, TrendPage,
};
use crate::identity::{model::Principal, AccessError};

/// A file the citizen uploads to the notebook, as received.
pub struct Upload {
    pub title: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file to send back to the browser.
pub struct StoredFile {
    pub file_name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
}

#[async_trait]
pub trait HealthRecord: Send + Sync {
    /// The subject's clinical documents, newest first, filtered and paged.
    async fn documents(&self, principal: &Principal, filter: &DocumentFilter) -> Result<DocumentsPage, AccessError>;

    /// One of the subject's documents (marks it as read by the actor).
    async fn document(&self, principal: &Principal, id: i64) -> Result<Document, AccessError>;

    async fn summary(&self, principal: &Principal) -> Result<PatientSummary, AccessError>;

    /// The tests with values and, when one is chosen (LOINC), its series.
    async fn trend(&self, principal: &Principal, loinc: Option<&str>) -> Result<TrendPage, AccessError>;

    async fn consents(&self, principal: &Principal) -> Result<ConsentPage, AccessError>;

    async fn set_consent(&self, principal: &Principal, given: bool) -> Result<(), WriteError>;

    /// Hides (P99) or shows again (P00) a document to professionals.
    async fn set_obscured(&self, principal: &Principal, id: i64, obscured: bool) -> Result<(), WriteError>;

    async fn notebook(&self, principal: &Principal) -> Result<NotebookPage, AccessError>;

    async fn add_to_notebook(&self, principal: &Principal, upload: Upload) -> Result<i64, WriteError>;

    async fn notebook_file(&self, principal: &Principal, id: i64) -> Result<StoredFile, AccessError>;

    async fn delete_from_notebook(&self, principal: &Principal, id: i64) -> Result<(), WriteError>;

    /// The whole record as a FHIR R4 `Bundle` (JSON text).
    async fn export_fhir(&self, principal: &Principal) -> Result<String, AccessError>;

    /// A professional's consultation of a patient's record: nothing without
    /// consent, never the obscured documents.
    async fn consult(&self, professional: &Principal, patient: &str) -> Result<ProfessionalView, AccessError>;
}
