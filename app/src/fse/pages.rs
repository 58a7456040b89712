//! The FSE pages. Everything renders on the server and works without
//! JavaScript: filters are GET forms, changes are POST forms answered with
//! a redirect and a notice. Links between the record's sections load the
//! page natively (`rel="external"`) because their shapes differ too much
//! for the islands router's in-place diff.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    consult_record, load_consents, load_document, load_documents, load_notebook, load_summary, load_trend,
};
use super::model::{
    decimal_it, range_flag, range_text, size_text, ChartGeometry, ConsentPage, Document, DocumentBody, DocumentFilter,
    DocumentKind, DocumentSummary, DocumentsPage, LabResult, NotebookPage, PatientSummary, ProfessionalView, RangeFlag,
    Section, Trend, TrendPage, VaccinationEntry, VitalSigns, CHART_HEIGHT, CHART_WIDTH, NOTEBOOK_MAX_BYTES,
};
use super::texts::{fse_texts, FseTexts};
use crate::access_log::model::valid_day;
use crate::domain::dates::italian_date;
use crate::identity::pages::{loaded_view, AccessErrorView, NativeSubmit};
use crate::identity::AccessError;
use crate::layout::pages::PageHeading;

/// The record's sections, as a sub-navigation on every FSE page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FseSection {
    Documents,
    /// A single document: no section is the current page.
    OneDocument,
    Summary,
    Trends,
    Consents,
    Notebook,
}

#[component]
fn FseNav(current: FseSection) -> impl IntoView {
    let t = fse_texts();
    let links = [
        (FseSection::Documents, "/fascicolo", t.documents_link),
        (FseSection::Summary, "/fascicolo/profilo", t.summary_link),
        (FseSection::Trends, "/fascicolo/andamenti", t.trends_link),
        (FseSection::Consents, "/fascicolo/consensi", t.consents_link),
        (FseSection::Notebook, "/fascicolo/taccuino", t.notebook_link),
    ];
    view! {
        <nav aria-label=t.sections_label class="no-print mt-6">
            <ul class="flex flex-wrap gap-x-6 gap-y-2">
                {links
                    .into_iter()
                    .map(|(section, href, label)| {
                        let current = (section == current).then_some("page");
                        view! {
                            <li>
                                <a class="link" rel="external" href=href aria-current=current>{label}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

fn query_value(name: &str) -> Option<String> {
    use_query_map().with_untracked(|query| query.get(name)).filter(|value| !value.is_empty())
}

fn filter_from_query() -> DocumentFilter {
    DocumentFilter {
        kind: query_value("tipo").as_deref().and_then(DocumentKind::from_slug),
        from: query_value("dal").as_deref().and_then(valid_day),
        to: query_value("al").as_deref().and_then(valid_day),
        facility: query_value("struttura").and_then(|id| id.parse().ok()),
        page: query_value("pagina").and_then(|page| page.parse().ok()).filter(|page| *page >= 1).unwrap_or(1),
    }
}

// ---------------------------------------------------------------- documents

/// A section of the record: heading, section links, then the loaded
/// content or why it could not be shown.
fn section_page<T, Fut, V>(
    section: FseSection,
    title: &'static str,
    lead: &'static str,
    load: impl Fn() -> Fut + Send + Sync + 'static,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AccessError>> + Send + 'static,
    V: IntoView + 'static,
{
    view! {
        <Title text=title />
        <PageHeading title=title lead=lead />
        <FseNav current=section />
        {loaded_view(load, render)}
    }
}

#[component]
pub fn DocumentsPageView() -> impl IntoView {
    let t = fse_texts();
    let filter = filter_from_query();
    let query = filter.clone();
    section_page(
        FseSection::Documents,
        t.title,
        t.lead,
        move || load_documents(query.clone()),
        move |page| view! { <DocumentList page filter=filter.clone() t /> },
    )
}

#[component]
fn DocumentList(page: DocumentsPage, filter: DocumentFilter, t: &'static FseTexts) -> impl IntoView {
    let DocumentsPage { documents, total, page: current, pages, facilities, new_count } = page;
    view! {
        <form method="get" action="/fascicolo" class="filters no-print mt-6" aria-labelledby="filtri-documenti">
            <NativeSubmit />
            <h2 id="filtri-documenti" class="text-xl font-semibold">{t.filters}</h2>
            <div class="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <div class="flex flex-col gap-1">
                    <label for="filtro-tipo" class="font-semibold">{t.kind_label}</label>
                    <select id="filtro-tipo" name="tipo" class="field">
                        <option value="" selected=filter.kind.is_none()>{t.any_kind}</option>
                        {DocumentKind::ALL
                            .into_iter()
                            .map(|kind| {
                                view! { <option value=kind.slug() selected=filter.kind == Some(kind)>{t.kind(kind)}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-dal" class="font-semibold">{t.from}</label>
                    <input id="filtro-dal" name="dal" type="date" class="field" value=filter.from.clone().unwrap_or_default() />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-al" class="font-semibold">{t.to}</label>
                    <input id="filtro-al" name="al" type="date" class="field" value=filter.to.clone().unwrap_or_default() />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="filtro-struttura" class="font-semibold">{t.facility}</label>
                    <select id="filtro-struttura" name="struttura" class="field">
                        <option value="" selected=filter.facility.is_none()>{t.any_facility}</option>
                        {facilities
                            .into_iter()
                            .map(|facility| {
                                let selected = filter.facility == Some(facility.id);
                                view! { <option value=facility.id.to_string() selected=selected>{facility.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="mt-4 flex flex-wrap items-center gap-4">
                <button type="submit" class="button-primary">{t.apply}</button>
                <a class="link" rel="external" href="/fascicolo">{t.reset}</a>
            </div>
        </form>
        <p class="mt-6" role="status">
            {format!("{} {total}", t.found)}
            {(new_count > 0).then(|| format!(" · {} {new_count}", t.new_count))}
        </p>
        {if documents.is_empty() {
            view! { <p class="mt-2">{t.none_found}</p> }.into_any()
        } else {
            view! {
                <ul class="mt-3 flex flex-col gap-3" aria-label=t.documents_link>
                    {documents.into_iter().map(|document| view! { <DocumentRow document t /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
        <Pager filter current pages t />
        <p class="no-print mt-8">
            <a class="link" rel="external" download="" href="/fascicolo/esporta/fhir.json">{t.export_link}</a>
        </p>
        <p class="no-print mt-1 text-muted">{t.export_note}</p>
    }
}

#[component]
fn DocumentRow(document: DocumentSummary, t: &'static FseTexts) -> impl IntoView {
    let href = format!("/fascicolo/documenti/{}", document.id);
    view! {
        <li class="card flex flex-col gap-1 sm:flex-row sm:items-baseline sm:gap-6">
            <time datetime=document.issued_at.clone() class="shrink-0 font-semibold sm:w-28">
                {italian_date(&document.issued_on)}
            </time>
            <div class="flex flex-col gap-1">
                <a class="link text-lg" rel="external" href=href>{document.title.clone()}</a>
                <span>{format!("{} · {}", t.kind(document.kind), document.facility)}</span>
                <span class="flex flex-wrap gap-2">
                    {document.new.then(|| view! { <span class="badge badge-new">{t.new_badge}</span> })}
                    {document.obscured.then(|| view! { <span class="badge badge-muted">{t.obscured_badge}</span> })}
                </span>
            </div>
        </li>
    }
}

#[component]
fn Pager(filter: DocumentFilter, current: u32, pages: u32, t: &'static FseTexts) -> impl IntoView {
    (pages > 1).then(|| {
        let previous = (current > 1).then(|| format!("/fascicolo?{}", filter.query(current - 1)));
        let next = (current < pages).then(|| format!("/fascicolo?{}", filter.query(current + 1)));
        view! {
            <nav aria-label=t.pages_label class="no-print mt-6 flex flex-wrap items-center gap-6">
                {previous.map(|href| view! { <a class="link" rel="external" href=href>{t.previous}</a> })}
                <span>{format!("{} {current} {} {pages}", t.page_of.0, t.page_of.1)}</span>
                {next.map(|href| view! { <a class="link" rel="external" href=href>{t.next}</a> })}
            </nav>
        }
    })
}

// ---------------------------------------------------------------- one document

#[component]
pub fn DocumentPageView() -> impl IntoView {
    let t = fse_texts();
    let id = use_params_map().with_untracked(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let document = Resource::new(move || id, |id| async move { load_document(id.unwrap_or(0)).await });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(document) => view! { <DocumentView document t /> }.into_any(),
                    // Someone else's document or none: the same answer.
                    Err(AccessError::NotAllowed) => {
                        crate::errors::status::set_response_status(404);
                        view! {
                        <Title text=t.title />
                        <PageHeading title=t.title />
                        <p class="notice notice-error mt-6" role="alert">{t.document_missing}</p>
                        <p><a class="link" rel="external" href="/fascicolo">{t.back_to_list}</a></p>
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <Title text=t.title />
                        <PageHeading title=t.title />
                        <AccessErrorView error />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocumentView(document: Document, t: &'static FseTexts) -> impl IntoView {
    let Document { summary, patient, body, can_change } = document;
    let title = summary.title.clone();
    let pdf = format!("/fascicolo/documenti/{}/documento.pdf", summary.id);
    view! {
        <Title text=title.clone() />
        <p class="no-print">
            <a class="link" rel="external" href="/fascicolo">{t.back_to_list}</a>
        </p>
        <h1 class="mt-4 text-3xl font-bold text-primary-dark sm:text-4xl">{title}</h1>
        <FseNav current=FseSection::OneDocument />
        <dl class="mt-4 grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
            <dt class="font-semibold">{t.patient}</dt>
            <dd>{format!("{} — {}", patient.full_name(), patient.fiscal_code)}</dd>
            <dt class="font-semibold">{t.kind_label}</dt>
            <dd>{t.kind(summary.kind)}</dd>
            <dt class="font-semibold">{t.issued_on}</dt>
            <dd><time datetime=summary.issued_at.clone()>{italian_date(&summary.issued_on)}</time></dd>
            <dt class="font-semibold">{t.facility}</dt>
            <dd>{summary.facility.clone()}</dd>
            <dt class="font-semibold">{t.author}</dt>
            <dd>{summary.author.clone()}</dd>
        </dl>
        <p class="no-print mt-4">
            <a class="button-secondary" rel="external" download="" href=pdf>{t.download_pdf}</a>
        </p>
        <div class="mt-6">
            <Body body t />
        </div>
        <Visibility summary can_change t />
    }
}

#[component]
fn Body(body: DocumentBody, t: &'static FseTexts) -> impl IntoView {
    match body {
        DocumentBody::Lab { results } => view! { <LabTable results t /> }.into_any(),
        DocumentBody::Narrative { sections } => view! { <Sections sections t /> }.into_any(),
        DocumentBody::EmergencyRoom { triage, sections } => view! {
            {triage
                .map(|triage| {
                    view! {
                        <p class="card mb-4 flex items-center gap-3">
                            <span class=format!("triage {}", triage.swatch_class()) aria-hidden="true"></span>
                            <span><strong>{format!("{}: ", t.triage_label)}</strong>{t.triage(triage)}</span>
                        </p>
                    }
                })}
            <Sections sections t />
        }
        .into_any(),
        DocumentBody::Vaccinations { entries } => {
            view! { <VaccinationTable entries t caption=t.vaccinations /> }.into_any()
        }
        DocumentBody::Summary { allergies, conditions, therapies, vital_signs } => view! {
            <SummaryLists allergies conditions therapies t />
            <VitalSignsView vital_signs t />
        }
        .into_any(),
    }
}

#[component]
fn LabTable(results: Vec<LabResult>, t: &'static FseTexts) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-labelledby="risultati" tabindex="0">
            <table class="data-table">
                <caption id="risultati" class="sr-only">{t.result}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.test}</th>
                        <th scope="col">{t.result}</th>
                        <th scope="col">{t.reference}</th>
                        <th scope="col" class="no-print">{t.see_trend}</th>
                    </tr>
                </thead>
                <tbody>
                    {results
                        .into_iter()
                        .map(|result| {
                            let flag = result.flag();
                            let out = flag != RangeFlag::Normal;
                            let trend = format!("/fascicolo/andamenti?esame={}", result.loinc);
                            let trend_label = format!("{}: {}", t.see_trend, result.test);
                            // Value, unit and flag in one cell: on a phone the
                            // outcome must not hide in a scrolled-away column.
                            view! {
                                <tr>
                                    <th scope="row" class="font-normal">{result.test.clone()}</th>
                                    <td class:flag-out=out>
                                        <span class="whitespace-nowrap">{format!("{} {}", decimal_it(result.value), result.unit)}</span>
                                        <span class="block text-sm" class:text-muted=!out>
                                            {if out { format!("⚠ {}", t.flag(flag)) } else { t.flag(flag).to_string() }}
                                        </span>
                                    </td>
                                    <td class="whitespace-nowrap">{format!("{} {}", range_text(result.low, result.high), result.unit)}</td>
                                    <td class="no-print">
                                        <a class="link" rel="external" href=trend aria-label=trend_label>{t.see_trend}</a>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Sections(sections: Vec<Section>, t: &'static FseTexts) -> impl IntoView {
    sections
        .into_iter()
        .map(|section| {
            let many = section.lines.len() > 1;
            view! {
                <section class="mt-4">
                    <h2 class="text-xl font-semibold">{t.heading(section.heading)}</h2>
                    {if many {
                        view! {
                            <ul class="mt-1 list-disc pl-6">
                                {section.lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    } else {
                        view! { <p class="mt-1 max-w-prose">{section.lines.join(" ")}</p> }.into_any()
                    }}
                </section>
            }
        })
        .collect_view()
}

#[component]
fn VaccinationTable(entries: Vec<VaccinationEntry>, t: &'static FseTexts, caption: &'static str) -> impl IntoView {
    let with_place = entries.iter().any(|entry| entry.place.is_some());
    view! {
        <div class="table-scroll" role="region" aria-labelledby="vaccinazioni-tabella" tabindex="0">
            <table class="data-table">
                <caption id="vaccinazioni-tabella" class="sr-only">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.vaccine}</th>
                        <th scope="col">{t.dose}</th>
                        <th scope="col">{t.date}</th>
                        {with_place.then(|| view! { <th scope="col">{t.place}</th><th scope="col">{t.lot}</th> })}
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|entry| {
                            view! {
                                <tr>
                                    <th scope="row" class="font-normal">{entry.vaccine}</th>
                                    <td>{entry.dose}</td>
                                    <td>{italian_date(&entry.date)}</td>
                                    {with_place
                                        .then(|| {
                                            view! {
                                                <td>{entry.place.unwrap_or_default()}</td>
                                                <td>{entry.lot.unwrap_or_default()}</td>
                                            }
                                        })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SummaryLists(
    allergies: Vec<String>,
    conditions: Vec<String>,
    therapies: Vec<String>,
    t: &'static FseTexts,
) -> impl IntoView {
    [(t.allergies, allergies), (t.conditions, conditions), (t.therapies, therapies)]
        .into_iter()
        .map(|(heading, items)| {
            view! {
                <section class="mt-4">
                    <h2 class="text-xl font-semibold">{heading}</h2>
                    {if items.is_empty() {
                        view! { <p class="mt-1">{t.none_recorded}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="mt-1 list-disc pl-6">
                                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </section>
            }
        })
        .collect_view()
}

#[component]
fn VitalSignsView(vital_signs: Option<VitalSigns>, t: &'static FseTexts) -> impl IntoView {
    view! {
        <section class="mt-4">
            <h2 class="text-xl font-semibold">{t.vital_signs}</h2>
            {match vital_signs {
                None => view! { <p class="mt-1">{t.none_recorded}</p> }.into_any(),
                Some(signs) => view! {
                    <dl class="mt-1 grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                        <dt class="font-semibold">{t.blood_pressure}</dt>
                        <dd>{format!("{}/{} mmHg", signs.systolic, signs.diastolic)}</dd>
                        <dt class="font-semibold">{t.weight}</dt>
                        <dd>{format!("{} kg", signs.weight_kg)}</dd>
                        <dt class="font-semibold">{t.height}</dt>
                        <dd>{format!("{} cm", signs.height_cm)}</dd>
                        <dt class="font-semibold">{t.measured_on}</dt>
                        <dd>{italian_date(&signs.measured_on)}</dd>
                    </dl>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn Visibility(summary: DocumentSummary, can_change: bool, t: &'static FseTexts) -> impl IntoView {
    let action = format!("/fascicolo/documenti/{}/oscuramento", summary.id);
    let (text, button, value) =
        if summary.obscured { (t.is_obscured, t.unobscure, "0") } else { (t.is_visible, t.obscure, "1") };
    view! {
        <section class="card no-print mt-8" aria-labelledby="visibilita">
            <h2 id="visibilita" class="text-xl font-semibold">{t.visibility}</h2>
            <p class="mt-2 max-w-prose">{text}</p>
            {if can_change {
                view! {
                    <form method="post" action=action class="mt-3">
                        <NativeSubmit />
                        <input type="hidden" name="obscured" value=value />
                        <button type="submit" class="button-secondary">{button}</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p class="mt-2 text-muted">{t.only_owner_changes}</p> }.into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------- patient summary

/// Prints the page (the print style leaves out navigation and buttons).
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
pub fn PrintButton(label: String) -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <button type="button" class="button-secondary" on:click=print>{label}</button>
    }
}

#[component]
pub fn SummaryPageView() -> impl IntoView {
    let t = fse_texts();
    section_page(FseSection::Summary, t.summary_title, t.summary_lead, load_summary, move |summary| {
        view! { <SummaryView summary t /> }
    })
}

#[component]
fn SummaryView(summary: PatientSummary, t: &'static FseTexts) -> impl IntoView {
    let PatientSummary { patient, birth_date, allergies, conditions, therapies, vaccinations, vital_signs, source } =
        summary;
    view! {
        <div class="no-print mt-6">
            // Printing needs JavaScript; without it the browser's own print works the same.
            <PrintButton label=t.print.to_string() />
        </div>
        <dl class="mt-6 grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
            <dt class="font-semibold">{t.patient}</dt>
            <dd>{patient.full_name()}</dd>
            <dt class="font-semibold">{t.fiscal_code}</dt>
            <dd>{patient.fiscal_code}</dd>
            <dt class="font-semibold">{t.birth_date}</dt>
            <dd>{italian_date(&birth_date)}</dd>
        </dl>
        {match source {
            Some(source) => view! {
                <SummaryLists allergies conditions therapies t />
                <p class="mt-2 text-muted">
                    {format!("{}: {}, {} — {}", t.source, source.author, source.facility, italian_date(&source.issued_on))}
                </p>
            }
            .into_any(),
            None => view! { <p class="notice notice-info mt-6">{t.no_summary}</p> }.into_any(),
        }}
        <VitalSignsView vital_signs t />
        <section class="mt-4">
            <h2 class="text-xl font-semibold">{t.vaccinations}</h2>
            {if vaccinations.is_empty() {
                view! { <p class="mt-1">{t.none_recorded}</p> }.into_any()
            } else {
                view! { <div class="mt-2"><VaccinationTable entries=vaccinations t caption=t.vaccinations /></div> }.into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------- trends

#[component]
pub fn TrendsPageView() -> impl IntoView {
    let t = fse_texts();
    let test = query_value("esame").filter(|code| code.len() <= 10);
    section_page(
        FseSection::Trends,
        t.trends_title,
        t.trends_lead,
        move || load_trend(test.clone()),
        move |page| view! { <TrendView page t /> },
    )
}

#[component]
fn TrendView(page: TrendPage, t: &'static FseTexts) -> impl IntoView {
    let TrendPage { tests, trend } = page;
    if tests.is_empty() {
        return view! { <p class="mt-6">{t.no_lab_results}</p> }.into_any();
    }
    let selected = trend.as_ref().map(|trend| trend.test.loinc.clone());
    view! {
        <form method="get" action="/fascicolo/andamenti" class="filters no-print mt-6">
            <NativeSubmit />
            <div class="flex flex-wrap items-end gap-4">
                <div class="flex flex-col gap-1">
                    <label for="esame" class="font-semibold">{t.test}</label>
                    <select id="esame" name="esame" class="field">
                        {tests
                            .into_iter()
                            .map(|test| {
                                let is_selected = selected.as_deref() == Some(test.loinc.as_str());
                                view! { <option value=test.loinc selected=is_selected>{test.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button-primary">{t.show}</button>
            </div>
        </form>
        {trend.map(|trend| view! { <TrendChart trend t /> })}
    }
    .into_any()
}

#[component]
fn TrendChart(trend: Trend, t: &'static FseTexts) -> impl IntoView {
    let geometry = ChartGeometry::of(&trend);
    let heading = format!("{} ({})", trend.test.name, trend.unit);
    let band_text = format!("{}: {} {}", t.band, range_text(trend.low, trend.high), trend.unit);
    let first = trend.points.first().map(|p| italian_date(&p.date)).unwrap_or_default();
    let last = trend.points.last().map(|p| italian_date(&p.date)).unwrap_or_default();
    let (low, high, unit) = (trend.low, trend.high, trend.unit.clone());
    let marks = trend
        .points
        .iter()
        .zip(geometry.points.iter())
        .map(|(point, (x, y))| {
            let class =
                if range_flag(point.value, low, high) == RangeFlag::Normal { "chart-point" } else { "chart-point-out" };
            view! { <circle cx=*x cy=*y r="5" class=class /> }
        })
        .collect_view();
    let ticks = geometry
        .ticks
        .iter()
        .map(|(y, label)| {
            view! {
                <line x1=geometry.plot_left x2=geometry.plot_right y1=*y y2=*y class="chart-grid" />
                <text x=geometry.plot_left - 8.0 y=*y + 6.0 text-anchor="end" class="chart-label">{label.clone()}</text>
            }
        })
        .collect_view();
    let viewbox = format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}");
    let band_height = geometry.band_bottom - geometry.band_top;
    view! {
        <section class="mt-6" aria-labelledby="grafico-titolo">
            <h2 id="grafico-titolo" class="text-2xl font-semibold">{heading.clone()}</h2>
            <p class="mt-1">{band_text}</p>
            <figure class="mt-3">
                <svg
                    viewBox=viewbox
                    class="h-auto w-full max-w-3xl"
                    role="img"
                    aria-labelledby="grafico-svg-titolo"
                    aria-describedby="grafico-svg-desc"
                >
                    <title id="grafico-svg-titolo">{heading.clone()}</title>
                    <desc id="grafico-svg-desc">{format!("{first} – {last}. {}", t.chart_description)}</desc>
                    <rect
                        x=geometry.plot_left
                        y=geometry.band_top
                        width=geometry.plot_right - geometry.plot_left
                        height=band_height
                        class="chart-band"
                    />
                    {ticks}
                    <polyline points=geometry.polyline() class="chart-line" />
                    {marks}
                    <text x=geometry.plot_left y=geometry.plot_bottom + 32.0 class="chart-label">{first.clone()}</text>
                    <text x=geometry.plot_right y=geometry.plot_bottom + 32.0 text-anchor="end" class="chart-label">
                        {last.clone()}
                    </text>
                </svg>
                <figcaption class="mt-2 text-muted">{t.chart_description}</figcaption>
            </figure>
            <div class="table-scroll mt-4" role="region" aria-labelledby="tabella-valori" tabindex="0">
                <table class="data-table">
                    <caption id="tabella-valori" class="text-left font-semibold">{format!("{} {}", t.values_of, trend.test.name)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.date}</th>
                            <th scope="col">{format!("{} ({unit})", t.value)}</th>
                            <th scope="col">{t.outcome}</th>
                            <th scope="col" class="no-print">{t.open_report}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {trend
                            .points
                            .iter()
                            .rev()
                            .map(|point| {
                                let flag = range_flag(point.value, low, high);
                                let out = flag != RangeFlag::Normal;
                                let href = format!("/fascicolo/documenti/{}", point.document_id);
                                let label = format!("{} {}", t.open_report, italian_date(&point.date));
                                view! {
                                    <tr>
                                        <th scope="row" class="font-normal">{italian_date(&point.date)}</th>
                                        <td class:flag-out=out>{decimal_it(point.value)}</td>
                                        <td class:flag-out=out>{t.flag(flag)}</td>
                                        <td class="no-print">
                                            <a class="link" rel="external" href=href aria-label=label>{t.open_report}</a>
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

// ---------------------------------------------------------------- consents

#[component]
pub fn ConsentsPageView() -> impl IntoView {
    let t = fse_texts();
    section_page(FseSection::Consents, t.consents_title, t.consents_lead, load_consents, move |page| {
        view! { <ConsentsView page t /> }
    })
}

#[component]
fn ConsentsView(page: ConsentPage, t: &'static FseTexts) -> impl IntoView {
    let ConsentPage { consent_given, history, obscured, can_change } = page;
    let (state, button, value) = if consent_given {
        (t.consent_given, t.withdraw_consent, "0")
    } else {
        (t.consent_missing, t.give_consent, "1")
    };
    view! {
        <section class="card mt-6" aria-labelledby="consenso">
            <h2 id="consenso" class="text-2xl font-semibold">{t.consult_heading}</h2>
            <p class="mt-2 max-w-prose">{t.consult_explained}</p>
            <p class="mt-3 text-lg font-semibold" id="stato-consenso">{state}</p>
            {if can_change {
                view! {
                    <form method="post" action="/fascicolo/consenso" class="mt-3">
                        <NativeSubmit />
                        <input type="hidden" name="given" value=value />
                        <button type="submit" class="button-primary">{button}</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p class="mt-2 text-muted">{t.only_owner_changes}</p> }.into_any()
            }}
            <h3 class="mt-6 text-xl font-semibold">{t.history}</h3>
            {if history.is_empty() {
                view! { <p class="mt-1">{t.no_history}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-1 list-disc pl-6">
                        {history
                            .into_iter()
                            .map(|event| {
                                let what = if event.given { t.history_given } else { t.history_withdrawn };
                                view! { <li>{format!("{} — {what} {} {}", event.at_local, t.by, event.actor_name)}</li> }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="mt-8" aria-labelledby="oscurati">
            <h2 id="oscurati" class="text-2xl font-semibold">{t.obscured_heading}</h2>
            <p class="mt-1 max-w-prose">{t.how_to_obscure}</p>
            {if obscured.is_empty() {
                view! { <p class="mt-2">{t.no_obscured}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 flex flex-col gap-3">
                        {obscured.into_iter().map(|document| view! { <DocumentRow document t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------- notebook

#[component]
pub fn NotebookPageView() -> impl IntoView {
    let t = fse_texts();
    section_page(FseSection::Notebook, t.notebook_title, t.notebook_lead, load_notebook, move |page| {
        view! { <NotebookView page t /> }
    })
}

#[component]
fn NotebookView(page: NotebookPage, t: &'static FseTexts) -> impl IntoView {
    let NotebookPage { entries, can_change } = page;
    view! {
        {can_change
            .then(|| {
                view! {
                    <form
                        method="post"
                        action="/fascicolo/taccuino"
                        enctype="multipart/form-data"
                        class="filters mt-6"
                        aria-labelledby="aggiungi"
                    >
                        <NativeSubmit />
                        <h2 id="aggiungi" class="text-xl font-semibold">{t.upload_heading}</h2>
                        <div class="mt-3 grid gap-4 sm:grid-cols-2">
                            <div class="flex flex-col gap-1">
                                <label for="titolo" class="font-semibold">{t.upload_title}</label>
                                <input id="titolo" name="title" type="text" class="field" required=true maxlength="120" />
                            </div>
                            <div class="flex flex-col gap-1">
                                <label for="file" class="font-semibold">{t.upload_file}</label>
                                <input
                                    id="file"
                                    name="file"
                                    type="file"
                                    class="field"
                                    required=true
                                    accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                                    data-max-bytes=NOTEBOOK_MAX_BYTES.to_string()
                                />
                            </div>
                        </div>
                        <button type="submit" class="button-primary mt-4">{t.upload}</button>
                    </form>
                }
            })}
        <section class="mt-8" aria-labelledby="elenco-taccuino">
            <h2 id="elenco-taccuino" class="text-2xl font-semibold">{t.notebook_list}</h2>
            {if entries.is_empty() {
                view! { <p class="mt-2">{t.notebook_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 flex flex-col gap-3">
                        {entries
                            .into_iter()
                            .map(|entry| {
                                let download = format!("/fascicolo/taccuino/{}/file", entry.id);
                                let delete = format!("/fascicolo/taccuino/{}/elimina", entry.id);
                                let download_label = format!("{} {}", t.download, entry.title);
                                let delete_label = format!("{} {}", t.delete, entry.title);
                                view! {
                                    <li class="card">
                                        <h3 class="text-lg font-semibold">{entry.title.clone()}</h3>
                                        <p>
                                            {format!(
                                                "{} · {} · {} {}",
                                                entry.file_name,
                                                size_text(entry.size_bytes),
                                                t.uploaded_on,
                                                italian_date(&entry.uploaded_on),
                                            )}
                                        </p>
                                        <div class="mt-2 flex flex-wrap items-center gap-4">
                                            <a class="link" rel="external" download="" href=download aria-label=download_label>
                                                {t.download}
                                            </a>
                                            {can_change
                                                .then(|| {
                                                    view! {
                                                        <form method="post" action=delete>
                                                            <NativeSubmit />
                                                            <button type="submit" class="button-secondary" aria-label=delete_label>
                                                                {t.delete}
                                                            </button>
                                                        </form>
                                                    }
                                                })}
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------- professionals

#[component]
pub fn ConsultPageView() -> impl IntoView {
    let t = fse_texts();
    let patient = query_value("cf").map(|code| code.trim().to_uppercase()).filter(|code| code.len() == 16);
    let typed = patient.clone().unwrap_or_default();
    let view_of = Resource::new(
        move || patient.clone(),
        |patient| async move {
            match patient {
                Some(patient) => consult_record(patient).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=t.consult_title />
        <PageHeading title=t.consult_title lead=t.consult_lead />
        <form method="get" action="/professionisti/fascicolo" class="filters mt-6">
            <NativeSubmit />
            <div class="flex flex-wrap items-end gap-4">
                <div class="flex flex-col gap-1">
                    <label for="cf" class="font-semibold">{t.patient_code}</label>
                    <input id="cf" name="cf" type="text" class="field uppercase" required=true minlength="16" maxlength="16"
                        autocomplete="off" spellcheck="false" value=typed />
                </div>
                <button type="submit" class="button-primary">{t.consult}</button>
            </div>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view_of.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(ProfessionalView::UnknownPatient)) => view! {
                        <p class="notice notice-error mt-6" role="alert">{t.unknown_patient}</p>
                    }
                    .into_any(),
                    Ok(Some(ProfessionalView::ConsentMissing)) => view! {
                        <p class="notice notice-info mt-6" role="status">{t.no_consent}</p>
                    }
                    .into_any(),
                    Ok(Some(ProfessionalView::Documents { patient, documents })) => view! {
                        <section class="mt-8" aria-labelledby="documenti-paziente">
                            <h2 id="documenti-paziente" class="text-2xl font-semibold">
                                {format!("{} {}", t.documents_of, patient.full_name())}
                            </h2>
                            <p class="mt-1 text-muted">{t.obscured_not_shown}</p>
                            <ul class="mt-3 flex flex-col gap-3">
                                {documents
                                    .into_iter()
                                    .map(|document| view! {
                                        <li class="card">
                                            <p class="font-semibold">{document.title}</p>
                                            <p>{format!("{} · {} · {}", italian_date(&document.issued_on), t.kind(document.kind), document.facility)}</p>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                    Err(error) => view! { <AccessErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
