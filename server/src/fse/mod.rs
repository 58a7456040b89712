//! The Electronic Health Record in SQL. Who may read: the person, a parent
//! for a minor child, a delegate with the "fascicolo" service. Who may
//! change consents, obscuring and the notebook: the person or the parent
//! only (a delegation is for consulting). Professionals see nothing without
//! consent and never an obscured document. Every access is audited.

pub mod body;
pub mod consult;
pub mod fhir;
mod listing;
pub mod pdf;
pub mod routes;
pub mod upload;

use crate::db::SqlBuilder;
use app::access_log::model::AccessAction;
use app::fse::model::{
    ConsentEvent, ConsentPage, Document, DocumentFilter, DocumentKind, DocumentSummary, DocumentsPage, FacilityOption,
    LabTest, NotebookEntry, NotebookPage, PatientSummary, ProfessionalView, Trend, TrendPage, TrendPoint,
    VaccinationEntry, DOCUMENTS_PAGE_SIZE, NOTEBOOK_MAX_BYTES, NOTEBOOK_TITLE_MAX,
};
use app::fse::notice::FseNotice;
use app::fse::port::{HealthRecord, StoredFile, Upload};
use app::identity::model::{Capability, Person, Principal, Relation, Role};
use app::identity::AccessError;
use app::notice::Notice;
use app::notice::WriteError;
use async_trait::async_trait;
use chrono::Utc;
use sqlx::AnyPool;

use crate::access_log::AuditTrail;
use crate::clock::stored_as_rome_minutes;
use crate::consent::ConsentLedger;
use crate::db;
use listing::{local_day, push_filter, summary, SummaryRow, SELECT_SUMMARY};

const CAPABILITY: &str = "fascicolo";
/// Whose a document is.
const OWNER_OF_DOCUMENT: &str = "SELECT person FROM fse_documents WHERE id = $1";
/// Whose a notebook file is.
const OWNER_OF_NOTEBOOK_ENTRY: &str = "SELECT person FROM notebook_entries WHERE id = $1";

pub struct SqlHealthRecord {
    pool: AnyPool,
    trail: AuditTrail,
}

/// A registry dose, with its facility's name.
#[derive(sqlx::FromRow)]
struct VaccinationRow {
    vaccine: String,
    dose: i64,
    administered_on: String,
    name: String,
    lot: String,
}

#[derive(sqlx::FromRow)]
struct NotebookRow {
    id: i64,
    title: String,
    file_name: String,
    media_type: String,
    size_bytes: i64,
    uploaded_at: String,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    fiscal_code: String,
    given_name: String,
    family_name: String,
    birth_date: String,
    sex: String,
}

/// A document as listed, with its body.
#[derive(sqlx::FromRow)]
struct DocumentRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    body: String,
}

impl SqlHealthRecord {
    pub fn new(pool: AnyPool) -> SqlHealthRecord {
        SqlHealthRecord { trail: AuditTrail::new(pool.clone(), CAPABILITY), pool }
    }

    /// Citizens only, and a delegate only with the "fascicolo" service; a
    /// refused delegate is logged.
    async fn check_reader(&self, principal: &Principal) -> Result<(), AccessError> {
        if principal.role != Role::Citizen {
            return Err(AccessError::NotAllowed);
        }
        if !principal.may(Capability::Fascicolo) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(AccessError::NotAllowed);
        }
        Ok(())
    }

    /// Consents, obscuring and the notebook: the person, or a parent.
    async fn check_owner(&self, principal: &Principal) -> Result<(), WriteError> {
        self.check_reader(principal).await?;
        if may_change(principal) {
            Ok(())
        } else {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            Err(WriteError::Refused(Notice::Fse(FseNotice::FseOnlyOwner)))
        }
    }

    /// Logs a refused attempt on record `record` whose owner `sql` (one
    /// `$1` parameter) finds: on the owner's log when it is another
    /// person's ("tentativo non autorizzato"), else on the subject's.
    async fn log_refusal(&self, principal: &Principal, sql: &str, key: i64, record: &str) -> Result<(), AccessError> {
        let owner: Option<String> = sqlx::query_scalar(sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        match owner.filter(|owner| *owner != principal.subject.fiscal_code) {
            Some(owner) => self.trail.refused_on(principal, &owner, Some(record)).await,
            None => self.trail.record(principal, AccessAction::Refused, Some(record)).await,
        }
    }

    async fn consent_given(&self, person: &str) -> Result<bool, sqlx::Error> {
        ConsentLedger::FseConsultation.given(&self.pool, person).await
    }

    async fn summaries(
        &self,
        principal: &Principal,
        filter: &DocumentFilter,
        limit: Option<(u32, u32)>,
        only_visible_to_professionals: bool,
    ) -> Result<Vec<DocumentSummary>, sqlx::Error> {
        let mut query = SqlBuilder::new(SELECT_SUMMARY);
        query.push_bind(&principal.actor.fiscal_code);
        query.push(") AS is_read FROM fse_documents d JOIN facilities f ON f.id = d.facility_id WHERE d.person = ");
        query.push_bind(&principal.subject.fiscal_code);
        push_filter(&mut query, filter);
        if only_visible_to_professionals {
            query.push(" AND d.obscured = 0");
        }
        query.push(" ORDER BY d.issued_at DESC, d.id DESC");
        if let Some((page_size, offset)) = limit {
            query.push(" LIMIT ").push_bind(i64::from(page_size)).push(" OFFSET ").push_bind(i64::from(offset));
        }
        let rows: Vec<SummaryRow> = query.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().filter_map(summary).collect())
    }

    async fn vaccinations(&self, person: &str) -> Result<Vec<VaccinationEntry>, sqlx::Error> {
        let rows: Vec<VaccinationRow> = sqlx::query_as(
            "SELECT v.vaccine, v.dose, v.administered_on, f.name, v.lot
               FROM vaccinations v JOIN facilities f ON f.id = v.facility_id
              WHERE v.person = $1 ORDER BY v.administered_on DESC, v.id DESC",
        )
        .bind(person)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|VaccinationRow { vaccine, dose, administered_on: date, name: place, lot }| VaccinationEntry {
                vaccine,
                dose,
                date,
                place: Some(place),
                lot: Some(lot),
            })
            .collect())
    }

    async fn notebook_entries(&self, person: &str) -> Result<Vec<NotebookEntry>, sqlx::Error> {
        let rows: Vec<NotebookRow> = sqlx::query_as(
            "SELECT id, title, file_name, media_type, size_bytes, uploaded_at
               FROM notebook_entries WHERE person = $1 ORDER BY id DESC",
        )
        .bind(person)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|NotebookRow { id, title, file_name, media_type, size_bytes, uploaded_at }| NotebookEntry {
                id,
                title,
                file_name,
                media_type,
                size_bytes,
                uploaded_on: local_day(&uploaded_at),
            })
            .collect())
    }

    /// The subject's person row: name, birth date, sex.
    async fn person(&self, fiscal_code: &str) -> Result<Option<(Person, String, bool)>, sqlx::Error> {
        let row: Option<PersonRow> = sqlx::query_as(
            "SELECT fiscal_code, given_name, family_name, birth_date, sex FROM people WHERE fiscal_code = $1",
        )
        .bind(fiscal_code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|PersonRow { fiscal_code, given_name, family_name, birth_date, sex }| {
            (Person { fiscal_code, given_name, family_name }, birth_date, sex == "F")
        }))
    }

    /// The subject whose record the principal may read: their name, birth
    /// date and whether female (for the summary and the FHIR export).
    async fn readable_subject(&self, principal: &Principal) -> Result<(Person, String, bool), AccessError> {
        self.check_reader(principal).await?;
        self.person(&principal.subject.fiscal_code)
            .await
            .map_err(|e| self.trail.internal(principal, e))?
            .ok_or(AccessError::NotAllowed)
    }

    /// Every document with its body, newest first.
    async fn documents_with_bodies(
        &self,
        principal: &Principal,
        kind: Option<DocumentKind>,
    ) -> Result<Vec<(DocumentSummary, serde_json::Value)>, sqlx::Error> {
        let filter = DocumentFilter { kind, ..DocumentFilter::default() };
        let summaries = self.summaries(principal, &filter, None, false).await?;
        let mut query = SqlBuilder::new("SELECT id, body FROM fse_documents WHERE person = ");
        query.push_bind(&principal.subject.fiscal_code);
        if let Some(kind) = kind {
            query.push(" AND loinc_code = ").push_bind(kind.loinc());
        }
        let bodies: std::collections::HashMap<i64, String> =
            query.build_query_as::<(i64, String)>().fetch_all(&self.pool).await?.into_iter().collect();
        Ok(summaries
            .into_iter()
            .map(|summary| {
                let body = bodies.get(&summary.id).and_then(|text| serde_json::from_str(text).ok()).unwrap_or_default();
                (summary, body)
            })
            .collect())
    }
}

fn may_change(principal: &Principal) -> bool {
    principal.role == Role::Citizen && matches!(principal.relation, Relation::Own | Relation::Parent)
}

#[async_trait]
impl HealthRecord for SqlHealthRecord {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn documents(&self, principal: &Principal, filter: &DocumentFilter) -> Result<DocumentsPage, AccessError> {
        self.check_reader(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let mut count = SqlBuilder::new("SELECT count(*) FROM fse_documents d WHERE d.person = ");
        count.push_bind(subject);
        push_filter(&mut count, filter);
        let total: i64 =
            count.build_query_scalar().fetch_one(&self.pool).await.map_err(|e| self.trail.internal(principal, e))?;
        let total = u32::try_from(total).unwrap_or(u32::MAX);
        let pages = total.div_ceil(DOCUMENTS_PAGE_SIZE).max(1);
        let page = filter.page.clamp(1, pages);
        let documents = self
            .summaries(principal, filter, Some((DOCUMENTS_PAGE_SIZE, (page - 1) * DOCUMENTS_PAGE_SIZE)), false)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        let new_count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM fse_documents d WHERE d.person = $1
                AND NOT EXISTS (SELECT 1 FROM fse_document_reads r WHERE r.document_id = d.id AND r.reader = $2)",
        )
        .bind(subject)
        .bind(&principal.actor.fiscal_code)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let facilities: Vec<(i64, String)> = sqlx::query_as(
            "SELECT DISTINCT f.id, f.name FROM fse_documents d JOIN facilities f ON f.id = d.facility_id
              WHERE d.person = $1 ORDER BY f.name",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record(principal, AccessAction::Read, None).await?;
        Ok(DocumentsPage {
            documents,
            total,
            page,
            pages,
            facilities: facilities.into_iter().map(|(id, name)| FacilityOption { id, name }).collect(),
            new_count: u32::try_from(new_count).unwrap_or(0),
        })
    }

    #[tracing::instrument(skip_all, fields(id), err(Debug, level = "info"))]
    async fn document(&self, principal: &Principal, id: i64) -> Result<Document, AccessError> {
        self.check_reader(principal).await?;
        let mut query = SqlBuilder::new(SELECT_SUMMARY);
        query.push_bind(&principal.actor.fiscal_code);
        query.push(") AS is_read, d.body FROM fse_documents d JOIN facilities f ON f.id = d.facility_id WHERE d.id = ");
        query.push_bind(id).push(" AND d.person = ").push_bind(&principal.subject.fiscal_code);
        let row: Option<DocumentRow> =
            query.build_query_as().fetch_optional(&self.pool).await.map_err(|e| self.trail.internal(principal, e))?;
        let record = id.to_string();
        // Another person's document, or none: the same answer, and logged.
        let Some(DocumentRow { summary: listed, body }) = row else {
            self.log_refusal(principal, OWNER_OF_DOCUMENT, id, &record).await?;
            return Err(AccessError::NotAllowed);
        };
        let Some(summary) = summary(listed) else {
            return Err(AccessError::NotAllowed);
        };
        sqlx::query("INSERT INTO fse_document_reads (document_id, reader) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(&principal.actor.fiscal_code)
            .execute(&self.pool)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record(principal, AccessAction::Read, Some(&record)).await?;
        let value: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        Ok(Document {
            body: body::parse(summary.kind, &value),
            summary,
            patient: principal.subject.clone(),
            can_change: may_change(principal),
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn summary(&self, principal: &Principal) -> Result<PatientSummary, AccessError> {
        let (patient, birth_date, _) = self.readable_subject(principal).await?;
        let latest = self
            .documents_with_bodies(principal, Some(DocumentKind::PatientSummary))
            .await
            .map_err(|e| self.trail.internal(principal, e))?
            .into_iter()
            .next();
        let vaccinations =
            self.vaccinations(&principal.subject.fiscal_code).await.map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record(principal, AccessAction::Read, None).await?;
        let (allergies, conditions, therapies, vital_signs, source) = match latest {
            Some((source, value)) => match body::parse(DocumentKind::PatientSummary, &value) {
                app::fse::model::DocumentBody::Summary { allergies, conditions, therapies, vital_signs } => {
                    (allergies, conditions, therapies, vital_signs, Some(source))
                }
                _ => (vec![], vec![], vec![], None, Some(source)),
            },
            None => (vec![], vec![], vec![], None, None),
        };
        Ok(PatientSummary { patient, birth_date, allergies, conditions, therapies, vaccinations, vital_signs, source })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn trend(&self, principal: &Principal, loinc: Option<&str>) -> Result<TrendPage, AccessError> {
        self.check_reader(principal).await?;
        let mut reports = self
            .documents_with_bodies(principal, Some(DocumentKind::Lab))
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        reports.reverse(); // oldest first
        let mut tests: Vec<LabTest> = Vec::new();
        let mut trend: Option<Trend> = None;
        for (report, value) in &reports {
            for result in body::lab_results(value) {
                if !tests.iter().any(|test| test.loinc == result.loinc) {
                    tests.push(LabTest { loinc: result.loinc.clone(), name: result.test.clone() });
                }
                // No test chosen: the first one of the record.
                let chosen = loinc.unwrap_or_else(|| tests[0].loinc.as_str()) == result.loinc;
                if chosen {
                    let series = trend.get_or_insert_with(|| Trend {
                        test: LabTest { loinc: result.loinc.clone(), name: result.test.clone() },
                        unit: result.unit.clone(),
                        low: result.low,
                        high: result.high,
                        points: vec![],
                    });
                    // The latest report's range is the one drawn.
                    series.low = result.low;
                    series.high = result.high;
                    series.points.push(TrendPoint {
                        date: report.issued_on.clone(),
                        value: result.value,
                        document_id: report.id,
                    });
                }
            }
        }
        self.trail.record(principal, AccessAction::Read, None).await?;
        Ok(TrendPage { tests, trend })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn consents(&self, principal: &Principal) -> Result<ConsentPage, AccessError> {
        self.check_reader(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT e.given, e.at, coalesce(p.given_name || ' ' || p.family_name, e.actor)
               FROM fse_consent_events e LEFT JOIN people p ON p.fiscal_code = e.actor
              WHERE e.person = $1 ORDER BY e.id DESC LIMIT 50",
        )
        .bind(subject)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let filter = DocumentFilter::default();
        let obscured = self
            .summaries(principal, &filter, None, false)
            .await
            .map_err(|e| self.trail.internal(principal, e))?
            .into_iter()
            .filter(|document| document.obscured)
            .collect();
        self.trail.record(principal, AccessAction::Read, None).await?;
        Ok(ConsentPage {
            consent_given: rows.first().is_some_and(|(given, _, _)| *given == 1),
            history: rows
                .into_iter()
                .map(|(given, at, actor_name)| ConsentEvent {
                    given: given == 1,
                    at_local: stored_as_rome_minutes(&at),
                    actor_name,
                })
                .collect(),
            obscured,
            can_change: may_change(principal),
        })
    }

    #[tracing::instrument(skip_all, fields(given), err(Debug, level = "info"))]
    async fn set_consent(&self, principal: &Principal, given: bool) -> Result<(), WriteError> {
        self.check_owner(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let mut tx = db::begin(&self.pool).await.map_err(|e| self.trail.internal(principal, e))?;
        ConsentLedger::FseConsultation
            .record(&mut tx, subject, given, &principal.actor.fiscal_code)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        let record = if given { "consenso:dato" } else { "consenso:revocato" };
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(record)).await?;
        tx.commit().await.map_err(|e| self.trail.internal(principal, e))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(id, obscured), err(Debug, level = "info"))]
    async fn set_obscured(&self, principal: &Principal, id: i64, obscured: bool) -> Result<(), WriteError> {
        self.check_owner(principal).await?;
        let mut tx = self.pool.begin().await.map_err(|e| self.trail.internal(principal, e))?;
        let changed = sqlx::query("UPDATE fse_documents SET obscured = $1 WHERE id = $2 AND person = $3")
            .bind(i64::from(obscured))
            .bind(id)
            .bind(&principal.subject.fiscal_code)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.trail.internal(principal, e))?
            .rows_affected();
        if changed == 0 {
            let _ = tx.rollback().await;
            self.log_refusal(principal, OWNER_OF_DOCUMENT, id, &id.to_string()).await?;
            return Err(WriteError::Refused(Notice::Fse(FseNotice::FseDocumentNotFound)));
        }
        // The FSE 2.0 obscuring codes: P99 hides, P00 shows again.
        let record = format!("{id}:{}", if obscured { "P99" } else { "P00" });
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&record)).await?;
        tx.commit().await.map_err(|e| self.trail.internal(principal, e))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn notebook(&self, principal: &Principal) -> Result<NotebookPage, AccessError> {
        self.check_reader(principal).await?;
        let entries = self
            .notebook_entries(&principal.subject.fiscal_code)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record(principal, AccessAction::Read, Some("taccuino")).await?;
        Ok(NotebookPage { entries, can_change: may_change(principal) })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn add_to_notebook(&self, principal: &Principal, upload: Upload) -> Result<i64, WriteError> {
        self.check_owner(principal).await?;
        upload::check_text(&upload.title, &upload.file_name).map_err(WriteError::Refused)?;
        let title = upload.title.trim();
        if title.is_empty() || title.chars().count() > NOTEBOOK_TITLE_MAX {
            return Err(WriteError::Refused(Notice::Fse(FseNotice::NotebookNoTitle)));
        }
        if upload.bytes.is_empty() {
            return Err(WriteError::Refused(Notice::Fse(FseNotice::NotebookEmpty)));
        }
        if upload.bytes.len() > NOTEBOOK_MAX_BYTES {
            return Err(WriteError::Refused(Notice::Fse(FseNotice::NotebookTooLarge)));
        }
        let Some((media_type, extension)) = upload::sniff(&upload.bytes) else {
            return Err(WriteError::Refused(Notice::Fse(FseNotice::NotebookBadType)));
        };
        let file_name = upload::safe_file_name(&upload.file_name, extension);
        let mut tx = self.pool.begin().await.map_err(|e| self.trail.internal(principal, e))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO notebook_entries (person, title, file_name, media_type, size_bytes, content, uploaded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&principal.subject.fiscal_code)
        .bind(title)
        .bind(&file_name)
        .bind(media_type)
        .bind(upload.bytes.len() as i64)
        .bind(&upload.bytes)
        .bind(&principal.actor.fiscal_code)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&format!("taccuino:{id}"))).await?;
        tx.commit().await.map_err(|e| self.trail.internal(principal, e))?;
        Ok(id)
    }

    #[tracing::instrument(skip_all, fields(id), err(Debug, level = "info"))]
    async fn notebook_file(&self, principal: &Principal, id: i64) -> Result<StoredFile, AccessError> {
        self.check_reader(principal).await?;
        let row: Option<(String, String, Vec<u8>)> =
            sqlx::query_as("SELECT file_name, media_type, content FROM notebook_entries WHERE id = $1 AND person = $2")
                .bind(id)
                .bind(&principal.subject.fiscal_code)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        let record = format!("taccuino:{id}");
        let Some((file_name, media_type, bytes)) = row else {
            self.log_refusal(principal, OWNER_OF_NOTEBOOK_ENTRY, id, &record).await?;
            return Err(AccessError::NotAllowed);
        };
        self.trail.record(principal, AccessAction::Read, Some(&record)).await?;
        Ok(StoredFile { file_name, media_type, bytes })
    }

    #[tracing::instrument(skip_all, fields(id), err(Debug, level = "info"))]
    async fn delete_from_notebook(&self, principal: &Principal, id: i64) -> Result<(), WriteError> {
        self.check_owner(principal).await?;
        let mut tx = self.pool.begin().await.map_err(|e| self.trail.internal(principal, e))?;
        let deleted = sqlx::query("DELETE FROM notebook_entries WHERE id = $1 AND person = $2")
            .bind(id)
            .bind(&principal.subject.fiscal_code)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.trail.internal(principal, e))?
            .rows_affected();
        let record = format!("taccuino:{id}");
        if deleted == 0 {
            let _ = tx.rollback().await;
            self.log_refusal(principal, OWNER_OF_NOTEBOOK_ENTRY, id, &record).await?;
            return Err(WriteError::Refused(Notice::Fse(FseNotice::FseDocumentNotFound)));
        }
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&record)).await?;
        tx.commit().await.map_err(|e| self.trail.internal(principal, e))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn export_fhir(&self, principal: &Principal) -> Result<String, AccessError> {
        let (patient, birth_date, female) = self.readable_subject(principal).await?;
        let documents = self
            .documents_with_bodies(principal, None)
            .await
            .map_err(|e| self.trail.internal(principal, e))?
            .into_iter()
            .map(|(summary, value)| {
                let parsed = body::parse(summary.kind, &value);
                (summary, parsed)
            })
            .collect();
        let export = fhir::RecordExport {
            patient,
            birth_date,
            female,
            documents,
            vaccinations: self
                .vaccinations(&principal.subject.fiscal_code)
                .await
                .map_err(|e| self.trail.internal(principal, e))?,
            notebook: self
                .notebook_entries(&principal.subject.fiscal_code)
                .await
                .map_err(|e| self.trail.internal(principal, e))?,
            generated_at: Utc::now().to_rfc3339(),
        };
        self.trail.record(principal, AccessAction::Read, Some("esportazione-fhir")).await?;
        serde_json::to_string_pretty(&fhir::bundle(&export)).map_err(|error| {
            tracing::error!(%error, "FHIR export failed");
            AccessError::Internal { request_id: principal.request_id.clone() }
        })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn consult(&self, professional: &Principal, patient: &str) -> Result<ProfessionalView, AccessError> {
        self.consult_patient(professional, patient).await
    }
}
