//! The FSE pages. Everything renders on the server and works without
//! JavaScript: filters are GET forms, changes are POST forms answered with
//! a redirect and a notice. Links between the record's sections load the
//! page natively (`rel="external"`) because their shapes differ too much
//! for the islands router's in-place diff.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::model::{DocumentSummary, VaccinationEntry, VitalSigns};
use super::texts::{fse_texts, FseTexts};
use crate::domain::dates::italian_date;
use crate::ui::PageHeading;

mod consents;
mod document;
mod documents;
mod lab_trends;
mod notebook;
mod professional;
mod summary;

pub use consents::ConsentsPageView;
pub use document::DocumentPageView;
pub use documents::DocumentsPageView;
pub use lab_trends::TrendsPageView;
pub use notebook::NotebookPageView;
pub use professional::ConsultPageView;
pub use summary::{PrintButton, SummaryPageView};

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

/// A section of the record: heading, section links, then the loaded
/// content or why it could not be shown.
fn section_page(
    section: FseSection,
    title: &'static str,
    lead: &'static str,
    content: impl IntoView + 'static,
) -> impl IntoView {
    view! {
        <Title text=title />
        <PageHeading title=title lead=lead />
        <FseNav current=section />
        {content}
    }
}

// Parts shown by more than one page.

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
