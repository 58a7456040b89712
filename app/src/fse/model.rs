//! The Electronic Health Record (FSE) as the pages show it: document
//! types, the structured bodies, filters, the patient summary, lab trends,
//! consents and the personal notebook. Rendering rules that must not drift
//! (out-of-range flags, Italian decimals, chart geometry) live here, tested.

use serde::{Deserialize, Serialize};

use crate::domain::triage::Triage;
use crate::identity::model::Person;

/// The document types of the record (LOINC codes from docs/DOMAIN.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    Lab,
    Radiology,
    Specialist,
    Discharge,
    EmergencyRoom,
    VaccinationCertificate,
    PatientSummary,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::Lab,
        DocumentKind::Radiology,
        DocumentKind::Specialist,
        DocumentKind::Discharge,
        DocumentKind::EmergencyRoom,
        DocumentKind::VaccinationCertificate,
        DocumentKind::PatientSummary,
    ];

    pub fn loinc(self) -> &'static str {
        match self {
            DocumentKind::Lab => "11502-2",
            DocumentKind::Radiology => "68604-8",
            DocumentKind::Specialist => "11488-4",
            DocumentKind::Discharge => "34105-7",
            DocumentKind::EmergencyRoom => "59258-4",
            DocumentKind::VaccinationCertificate => "82593-5",
            DocumentKind::PatientSummary => "60591-5",
        }
    }

    /// Query-string code of the type filter.
    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::Lab => "laboratorio",
            DocumentKind::Radiology => "radiologia",
            DocumentKind::Specialist => "visite",
            DocumentKind::Discharge => "dimissioni",
            DocumentKind::EmergencyRoom => "pronto-soccorso",
            DocumentKind::VaccinationCertificate => "vaccinazioni",
            DocumentKind::PatientSummary => "profilo",
        }
    }

    pub fn from_loinc(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.loinc() == code)
    }

    pub fn from_slug(slug: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

/// Documents per page of the list.
pub const DOCUMENTS_PAGE_SIZE: u32 = 20;

/// Filters of the document list (query string of a GET form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFilter {
    pub kind: Option<DocumentKind>,
    /// First day, `YYYY-MM-DD`, inclusive (Europe/Rome).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, inclusive (Europe/Rome).
    pub to: Option<String>,
    pub facility: Option<i64>,
    /// 1-based page number.
    pub page: u32,
}

impl DocumentFilter {
    /// The query string that reproduces this filter on another page.
    pub fn query(&self, page: u32) -> String {
        let mut parts = Vec::new();
        if let Some(kind) = self.kind {
            parts.push(format!("tipo={}", kind.slug()));
        }
        if let Some(from) = &self.from {
            parts.push(format!("dal={from}"));
        }
        if let Some(to) = &self.to {
            parts.push(format!("al={to}"));
        }
        if let Some(facility) = self.facility {
            parts.push(format!("struttura={facility}"));
        }
        parts.push(format!("pagina={page}"));
        parts.join("&")
    }
}

/// A document as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub id: i64,
    pub kind: DocumentKind,
    pub title: String,
    pub facility: String,
    pub author: String,
    /// Day of issue in Europe/Rome, `YYYY-MM-DD`.
    pub issued_on: String,
    /// Instant of issue, RFC 3339 (for `<time datetime>`).
    pub issued_at: String,
    /// Not opened yet by the person reading the list.
    pub new: bool,
    /// Hidden from professionals (P99).
    pub obscured: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilityOption {
    pub id: i64,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentsPage {
    pub documents: Vec<DocumentSummary>,
    pub total: u32,
    pub page: u32,
    pub pages: u32,
    /// Facilities that issued any of the subject's documents.
    pub facilities: Vec<FacilityOption>,
    /// New documents in the whole record (not only this page).
    pub new_count: u32,
}

/// Whether a lab value lies below, within or above its reference range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeFlag {
    Low,
    Normal,
    High,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabResult {
    pub test: String,
    pub loinc: String,
    pub value: f64,
    pub unit: String,
    pub low: f64,
    pub high: f64,
}

impl LabResult {
    /// Computed from the value and the range, never taken from the sender:
    /// a flag and a number that disagree would mislead.
    pub fn flag(&self) -> RangeFlag {
        range_flag(self.value, self.low, self.high)
    }
}

pub fn range_flag(value: f64, low: f64, high: f64) -> RangeFlag {
    if value < low {
        RangeFlag::Low
    } else if value > high {
        RangeFlag::High
    } else {
        RangeFlag::Normal
    }
}

/// A number as Italians write it: decimal comma, at most two decimals,
/// no trailing zeros (`1.05` → `1,05`, `95.0` → `95`, `0.6` → `0,6`).
pub fn decimal_it(value: f64) -> String {
    let text = format!("{:.2}", (value * 100.0).round() / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    text.replace('.', ",")
}

/// The reference range in words: `70–100`, or `< 200` when it starts at 0.
pub fn range_text(low: f64, high: f64) -> String {
    if low <= 0.0 {
        format!("< {}", decimal_it(high))
    } else {
        format!("{}–{}", decimal_it(low), decimal_it(high))
    }
}

/// Headings of the narrative sections of reports and letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SectionHeading {
    Visit,
    Exam,
    Reason,
    Complaint,
    History,
    Assessment,
    Findings,
    Course,
    Diagnosis,
    Conclusion,
    Therapy,
    Outcome,
    FollowUp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: SectionHeading,
    /// One paragraph, or the items of a list (therapies).
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaccinationEntry {
    pub vaccine: String,
    pub dose: i64,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where and which lot (registry entries; certificates name neither).
    pub place: Option<String>,
    pub lot: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VitalSigns {
    pub measured_on: String,
    pub systolic: i64,
    pub diastolic: i64,
    pub weight_kg: i64,
    pub height_cm: i64,
}

/// The structured content of a document, by type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum DocumentBody {
    Lab { results: Vec<LabResult> },
    Narrative { sections: Vec<Section> },
    EmergencyRoom { triage: Option<Triage>, sections: Vec<Section> },
    Vaccinations { entries: Vec<VaccinationEntry> },
    Summary { allergies: Vec<String>, conditions: Vec<String>, therapies: Vec<String>, vital_signs: Option<VitalSigns> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub summary: DocumentSummary,
    pub patient: Person,
    pub body: DocumentBody,
    /// Whether the reader may obscure it (the person or a parent).
    pub can_change: bool,
}

/// "Profilo sanitario sintetico" as one page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatientSummary {
    pub patient: Person,
    pub birth_date: String,
    pub allergies: Vec<String>,
    pub conditions: Vec<String>,
    pub therapies: Vec<String>,
    pub vaccinations: Vec<VaccinationEntry>,
    pub vital_signs: Option<VitalSigns>,
    /// The summary document the first three lists come from.
    pub source: Option<DocumentSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabTest {
    pub loinc: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub value: f64,
    pub document_id: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub test: LabTest,
    pub unit: String,
    pub low: f64,
    pub high: f64,
    /// Oldest first.
    pub points: Vec<TrendPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPage {
    /// Tests with at least one value in the record.
    pub tests: Vec<LabTest>,
    pub trend: Option<Trend>,
}

/// Size of the chart's drawing in SVG units (it scales with the page).
pub const CHART_WIDTH: f64 = 640.0;
pub const CHART_HEIGHT: f64 = 280.0;
const CHART_LEFT: f64 = 72.0;
const CHART_RIGHT: f64 = 16.0;
const CHART_TOP: f64 = 16.0;
const CHART_BOTTOM: f64 = 48.0;

/// Where the chart's marks go, computed once so the page and its tests agree.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartGeometry {
    /// `(x, y)` of each point, oldest first.
    pub points: Vec<(f64, f64)>,
    /// Top and bottom of the reference band.
    pub band_top: f64,
    pub band_bottom: f64,
    /// Horizontal grid lines: `(y, label)`.
    pub ticks: Vec<(f64, String)>,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_bottom: f64,
}

impl ChartGeometry {
    /// Values and the reference band share one vertical scale, widened to
    /// round tick values; time runs evenly left to right by date.
    pub fn of(trend: &Trend) -> ChartGeometry {
        let values = trend.points.iter().map(|p| p.value);
        let lowest = values.clone().fold(trend.low, f64::min);
        let highest = values.fold(trend.high, f64::max);
        let step = nice_step((highest - lowest).max(0.01) / 4.0);
        let bottom_value = ((lowest / step).floor() * step).max(0.0);
        let mut top_value = (highest / step).ceil() * step;
        if top_value <= highest {
            top_value += step;
        }
        let plot_bottom = CHART_HEIGHT - CHART_BOTTOM;
        let plot_right = CHART_WIDTH - CHART_RIGHT;
        let y =
            |value: f64| plot_bottom - (value - bottom_value) / (top_value - bottom_value) * (plot_bottom - CHART_TOP);
        let days: Vec<i64> = trend.points.iter().map(|p| day_number(&p.date)).collect();
        let (first, last) = (days.iter().copied().min().unwrap_or(0), days.iter().copied().max().unwrap_or(0));
        let x = |day: i64| {
            if last == first {
                (CHART_LEFT + plot_right) / 2.0
            } else {
                CHART_LEFT + (day - first) as f64 / (last - first) as f64 * (plot_right - CHART_LEFT)
            }
        };
        let points =
            trend.points.iter().zip(&days).map(|(point, day)| (round1(x(*day)), round1(y(point.value)))).collect();
        let steps = ((top_value - bottom_value) / step).round() as i32;
        let ticks = (0..=steps)
            .map(|index| {
                let value = bottom_value + step * f64::from(index);
                (round1(y(value)), decimal_it(value))
            })
            .collect();
        ChartGeometry {
            points,
            band_top: round1(y(trend.high)),
            band_bottom: round1(y(trend.low.max(bottom_value))),
            ticks,
            plot_left: CHART_LEFT,
            plot_right,
            plot_bottom,
        }
    }

    /// The `points` attribute of the line through the values.
    pub fn polyline(&self) -> String {
        self.points.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ")
    }
}

/// The round number (1, 2, 2.5 or 5 times a power of ten) nearest above `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|step| *step >= raw).unwrap_or(10.0 * magnitude)
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Days since 0000-03-01 of a `YYYY-MM-DD` date (a monotonic day count, so
/// the browser needs no date library).
fn day_number(date: &str) -> i64 {
    let part = |range: std::ops::Range<usize>| date.get(range).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let (mut year, month, day) = (part(0..4), part(5..7), part(8..10));
    let month = if month <= 2 {
        year -= 1;
        month + 9
    } else {
        month - 3
    };
    year * 365 + year / 4 - year / 100 + year / 400 + (month * 306 + 5) / 10 + day - 1
}

/// One change of the consent to consultation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentEvent {
    pub given: bool,
    /// Local time in Europe/Rome, `dd/mm/yyyy hh:mm`.
    pub at_local: String,
    pub actor_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentPage {
    pub consent_given: bool,
    /// Newest first.
    pub history: Vec<ConsentEvent>,
    pub obscured: Vec<DocumentSummary>,
    pub can_change: bool,
}

/// Largest file the notebook accepts.
pub const NOTEBOOK_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Longest title of a notebook entry, in characters.
pub const NOTEBOOK_TITLE_MAX: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotebookEntry {
    pub id: i64,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    /// Day of upload in Europe/Rome, `YYYY-MM-DD`.
    pub uploaded_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotebookPage {
    pub entries: Vec<NotebookEntry>,
    pub can_change: bool,
}

/// `1536` → `1,5 KB`; `5242880` → `5 MB`.
pub fn size_text(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let bytes = bytes.max(0) as f64;
    if bytes < KB * KB {
        format!("{} KB", decimal_it((bytes / KB * 10.0).round() / 10.0))
    } else {
        format!("{} MB", decimal_it((bytes / KB / KB * 10.0).round() / 10.0))
    }
}

/// What a professional sees of a patient's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProfessionalView {
    /// Not answered any more (issue 27): an unknown fiscal code gets
    /// `ConsentMissing`, so the look-up never tells who is a resident.
    UnknownPatient,
    /// Not a resident, or no consent to consultation: nothing else is said.
    ConsentMissing,
    Documents {
        patient: Person,
        documents: Vec<DocumentSummary>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_loinc_and_slug() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_loinc(kind.loinc()), Some(kind));
            assert_eq!(DocumentKind::from_slug(kind.slug()), Some(kind));
        }
        assert_eq!(DocumentKind::from_loinc("11526-1"), None);
    }

    #[test]
    fn flags_come_from_the_value_and_the_range() {
        let result = |value| LabResult {
            test: "Glucosio".into(),
            loinc: "2345-7".into(),
            value,
            unit: "mg/dL".into(),
            low: 70.0,
            high: 100.0,
        };
        assert_eq!(result(69.99).flag(), RangeFlag::Low);
        assert_eq!(result(70.0).flag(), RangeFlag::Normal);
        assert_eq!(result(100.0).flag(), RangeFlag::Normal);
        assert_eq!(result(100.01).flag(), RangeFlag::High);
    }

    #[test]
    fn numbers_are_written_the_italian_way() {
        assert_eq!(decimal_it(1.05), "1,05");
        assert_eq!(decimal_it(95.0), "95");
        assert_eq!(decimal_it(0.6), "0,6");
        assert_eq!(decimal_it(0.004), "0");
        assert_eq!(decimal_it(-0.001), "0");
        assert_eq!(decimal_it(123.456), "123,46");
        assert_eq!(range_text(70.0, 100.0), "70–100");
        assert_eq!(range_text(0.0, 200.0), "< 200");
        assert_eq!(range_text(0.4, 4.0), "0,4–4");
    }

    #[test]
    fn sizes_are_in_kilobytes_or_megabytes() {
        assert_eq!(size_text(1536), "1,5 KB");
        assert_eq!(size_text(5 * 1024 * 1024), "5 MB");
        assert_eq!(size_text(0), "0 KB");
    }

    #[test]
    fn filters_make_their_own_query_string() {
        let filter = DocumentFilter {
            kind: Some(DocumentKind::Lab),
            from: Some("2025-01-01".into()),
            to: None,
            facility: Some(7),
            page: 1,
        };
        assert_eq!(filter.query(3), "tipo=laboratorio&dal=2025-01-01&struttura=7&pagina=3");
        assert_eq!(DocumentFilter::default().query(1), "pagina=1");
    }

    fn trend(points: &[(&str, f64)]) -> Trend {
        Trend {
            test: LabTest { loinc: "2345-7".into(), name: "Glucosio".into() },
            unit: "mg/dL".into(),
            low: 70.0,
            high: 100.0,
            points: points
                .iter()
                .enumerate()
                .map(|(i, (date, value))| TrendPoint { date: (*date).into(), value: *value, document_id: i as i64 })
                .collect(),
        }
    }

    #[test]
    fn the_chart_spans_the_plot_and_keeps_the_band_in_view() {
        let geometry = ChartGeometry::of(&trend(&[("2024-01-10", 90.0), ("2025-01-10", 130.0), ("2026-01-10", 85.0)]));
        let xs: Vec<f64> = geometry.points.iter().map(|p| p.0).collect();
        assert_eq!(xs.first(), Some(&CHART_LEFT));
        assert_eq!(xs.last(), Some(&(CHART_WIDTH - CHART_RIGHT)));
        // Evenly by date: 2024→2025 is 366 days (leap year), 2025→2026 365.
        assert!((xs[1] - (CHART_LEFT + (CHART_WIDTH - CHART_RIGHT - CHART_LEFT) * 366.0 / 731.0)).abs() < 0.1);
        // Higher values are drawn higher (smaller y); the band sits inside the plot.
        assert!(geometry.points[1].1 < geometry.points[0].1);
        assert!(geometry.band_top < geometry.band_bottom);
        assert!(geometry.band_top >= CHART_TOP && geometry.band_bottom <= CHART_HEIGHT - CHART_BOTTOM);
        // Out-of-range value above the band.
        assert!(geometry.points[1].1 < geometry.band_top);
        // Round ticks: 70..130 spans 60, steps of 20 from 60 to 140.
        let labels: Vec<&str> = geometry.ticks.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["60", "80", "100", "120", "140"]);
        assert_eq!(geometry.polyline().split(' ').count(), 3);
    }

    #[test]
    fn a_single_value_is_drawn_in_the_middle() {
        let geometry = ChartGeometry::of(&trend(&[("2026-05-01", 80.0)]));
        assert_eq!(geometry.points.len(), 1);
        assert_eq!(geometry.points[0].0, round1((CHART_LEFT + CHART_WIDTH - CHART_RIGHT) / 2.0));
    }

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(nice_step(15.0), 20.0);
        assert_eq!(nice_step(0.3), 0.5);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_step(50.0), 50.0);
        assert_eq!(nice_step(51.0), 100.0);
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number("2024-03-01") - day_number("2024-02-28"), 2);
        assert_eq!(day_number("2025-01-01") - day_number("2024-01-01"), 366);
    }
}
