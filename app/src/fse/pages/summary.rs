//! `/fascicolo/profilo`: the patient summary — allergies, conditions,
//! therapies, vital signs and vaccinations — with a print button.

use leptos::prelude::*;

use super::{section_page, FseSection, SummaryLists, VaccinationTable, VitalSignsView};
use crate::domain::dates::italian_date;
use crate::fse::api::load_summary;
use crate::fse::model::PatientSummary;
use crate::fse::texts::{fse_texts, FseTexts};
use crate::ui::loaded_view;

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
    section_page(
        FseSection::Summary,
        t.summary_title,
        t.summary_lead,
        loaded_view(load_summary, move |summary| {
            view! { <SummaryView summary t /> }
        }),
    )
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
