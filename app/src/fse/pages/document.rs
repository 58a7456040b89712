//! `/fascicolo/documenti/:id`: one document of the record — its details, its
//! content (lab results, narrative sections, vaccinations, summary) and its visibility.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{FseNav, FseSection, SummaryLists, VaccinationTable, VitalSignsView};
use crate::domain::dates::italian_date;
use crate::fse::api::load_document;
use crate::fse::forms::SetObscured;
use crate::fse::model::{
    decimal_it, range_text, Document, DocumentBody, DocumentSummary, LabResult, RangeFlag, Section,
};
use crate::fse::texts::{fse_texts, FseTexts};
use crate::identity::AccessError;
use crate::ui::form_post::action_for;
use crate::ui::PageHeading;
use crate::ui::{AccessErrorView, NativeSubmit};

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
fn Visibility(summary: DocumentSummary, can_change: bool, t: &'static FseTexts) -> impl IntoView {
    let action = action_for(SetObscured::ACTION, &summary.id.to_string());
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
                        <input type="hidden" name=SetObscured::OBSCURED value=value />
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
