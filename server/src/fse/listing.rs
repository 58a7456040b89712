//! The document list in SQL: the columns of a summary, the filters, and the
//! Rome day of a stored instant.

use crate::db::{Flag, SqlBuilder};
use app::fse::model::{DocumentFilter, DocumentKind, DocumentSummary};
use chrono::{DateTime, Utc};

use crate::clock::utc_to_rome;

/// Columns of a listed document; the last one (whether the reader opened
/// it) is closed, and named `is_read`, by the caller after binding the reader.
pub(super) const SELECT_SUMMARY: &str = "SELECT d.id, d.loinc_code, d.title, f.name, d.author, d.issued_at, d.obscured,
       EXISTS (SELECT 1 FROM fse_document_reads r WHERE r.document_id = d.id AND r.reader = ";

/// A listed document, with its facility's name and whether the reader opened it.
#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    loinc_code: String,
    title: String,
    name: String,
    author: String,
    issued_at: String,
    obscured: i64,
    is_read: Flag,
}

pub(super) fn summary(
    SummaryRow { id, loinc_code: loinc, title, name: facility, author, issued_at, obscured, is_read: read }: SummaryRow,
) -> Option<DocumentSummary> {
    Some(DocumentSummary {
        id,
        kind: DocumentKind::from_loinc(&loinc)?,
        title,
        facility,
        author,
        // Stored with the Rome offset: the first ten characters are the local day.
        issued_on: issued_at.get(0..10).unwrap_or_default().to_string(),
        issued_at,
        new: !read.0,
        obscured: obscured == 1,
    })
}

pub(super) fn push_filter(query: &mut SqlBuilder<'_>, filter: &DocumentFilter) {
    if let Some(kind) = filter.kind {
        query.push(" AND d.loinc_code = ").push_bind(kind.loinc());
    }
    if let Some(from) = filter.from.clone() {
        query.push(" AND substr(d.issued_at, 1, 10) >= ").push_bind(from);
    }
    if let Some(to) = filter.to.clone() {
        query.push(" AND substr(d.issued_at, 1, 10) <= ").push_bind(to);
    }
    if let Some(facility) = filter.facility {
        query.push(" AND d.facility_id = ").push_bind(facility);
    }
}

/// A stored UTC instant as the Rome day, `YYYY-MM-DD`.
pub(super) fn local_day(instant: &str) -> String {
    DateTime::parse_from_rfc3339(instant)
        .map(|t| utc_to_rome(t.with_timezone(&Utc)).date().to_string())
        .unwrap_or_else(|_| instant.get(0..10).unwrap_or_default().to_string())
}
