//! `/fascicolo/consensi`: the consent to consultation by professionals, its
//! history, and the documents the citizen has obscured.

use leptos::prelude::*;

use super::{section_page, DocumentRow, FseSection};
use crate::fse::api::load_consents;
use crate::fse::forms::SetFseConsent;
use crate::fse::model::ConsentPage;
use crate::fse::texts::{fse_texts, FseTexts};
use crate::ui::loaded_view;
use crate::ui::{ConsentSwitch, ConsentWords};

#[component]
pub fn ConsentsPageView() -> impl IntoView {
    let t = fse_texts();
    section_page(
        FseSection::Consents,
        t.consents_title,
        t.consents_lead,
        loaded_view(load_consents, move |page| {
            view! { <ConsentsView page t /> }
        }),
    )
}

#[component]
fn ConsentsView(page: ConsentPage, t: &'static FseTexts) -> impl IntoView {
    let ConsentPage { consent_given, history, obscured, can_change } = page;
    let words = ConsentWords {
        given: t.consent_given,
        missing: t.consent_missing,
        give: t.give_consent,
        withdraw: t.withdraw_consent,
        only_owner: t.only_owner_changes,
    };
    view! {
        <section class="card mt-6" aria-labelledby="consenso">
            <h2 id="consenso" class="text-2xl font-semibold">{t.consult_heading}</h2>
            <p class="mt-2 max-w-prose">{t.consult_explained}</p>
            <ConsentSwitch
                action=SetFseConsent::ACTION
                field=SetFseConsent::GIVEN
                given=consent_given
                can_change
                words
                state_id="stato-consenso"
            />
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
