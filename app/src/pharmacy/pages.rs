//! `/ricette` (the citizen's prescriptions and the consent switch) and
//! `/farmacia` (the pharmacist's counter). Server-rendered, POST forms.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{load_counter, load_my_prescriptions};
use super::forms::{Dispense, LookUpCard, SetCardConsent, CLOSE_COUNTER};
use super::model::{CardLookup, DrugPrescription, Line, MyPrescriptions};
use super::texts::{pharmacy_texts, PharmacyTexts};
use crate::domain::dates::italian_date;
use crate::ui::PageHeading;
use crate::ui::{loaded_view, ConsentSwitch, ConsentWords, NativeSubmit};

#[component]
pub fn MyPrescriptionsPage() -> impl IntoView {
    let t = pharmacy_texts();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        {loaded_view(load_my_prescriptions, move |mine| view! { <Mine mine t /> })}
    }
}

#[component]
fn Mine(mine: MyPrescriptions, t: &'static PharmacyTexts) -> impl IntoView {
    let MyPrescriptions { prescriptions, consent_given, can_change } = mine;
    let words = ConsentWords {
        given: t.consent_on,
        missing: t.consent_off,
        give: t.turn_on,
        withdraw: t.turn_off,
        only_owner: t.only_owner,
    };
    view! {
        <section class="card mt-6" aria-labelledby="consenso-tessera">
            <h2 id="consenso-tessera" class="text-2xl font-semibold">{t.consent_heading}</h2>
            <p class="mt-2 max-w-prose">{t.consent_explained}</p>
            <ConsentSwitch
                action=SetCardConsent::ACTION
                field=SetCardConsent::GIVEN
                given=consent_given
                can_change
                words
            />
        </section>
        {if prescriptions.is_empty() {
            view! { <p class="mt-8">{t.none}</p> }.into_any()
        } else {
            view! {
                <ul class="mt-8 flex flex-col gap-4" aria-label=t.title>
                    {prescriptions.into_iter().map(|prescription| view! { <PrescriptionCard prescription t counter=false /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn PrescriptionCard(prescription: DrugPrescription, t: &'static PharmacyTexts, counter: bool) -> impl IntoView {
    let heading_id = format!("ricetta-{}", prescription.nre);
    let colour = if prescription.red { t.red } else { t.white };
    view! {
        <li class="card">
            <h2 id=heading_id class="text-xl font-semibold">{format!("{colour} · NRE {}", prescription.nre)}</h2>
            <p class="mt-1">
                <span class="badge badge-muted">{t.status(prescription.status)}</span>
            </p>
            <p class="mt-1">
                {format!(
                    "{} {} · {} {} · {} {}",
                    t.prescribed_by,
                    prescription.prescriber.to_lowercase(),
                    t.issued_on,
                    italian_date(&prescription.issued_on),
                    t.valid_until,
                    italian_date(&prescription.valid_until),
                )}
            </p>
            <ul class="mt-3 flex flex-col gap-3">
                {prescription.lines.into_iter().map(|line| view! { <LineItem line t counter /> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn LineItem(line: Line, t: &'static PharmacyTexts, counter: bool) -> impl IntoView {
    let remaining = line.remaining();
    let select_id = format!("confezioni-{}", line.id);
    let button_label = format!("{} {}", t.dispense, line.drug);
    view! {
        <li class="rounded border border-line p-3">
            <p class="font-semibold">{line.drug.clone()}</p>
            <p>{format!("{}: {}", t.dosage, line.dosage)}</p>
            <p>{format!("{}: {} · {}: {}", t.boxes, line.boxes, t.dispensed, line.dispensed_boxes)}</p>
            {line
                .dispensations
                .iter()
                .map(|d| {
                    let prefix = if counter && remaining == 0 { t.already } else { t.dispensed_at };
                    view! { <p class="text-muted">{format!("{prefix} {}, {} — {}", d.pharmacy, d.at_local, t.boxes_text(d.boxes))}</p> }
                })
                .collect_view()}
            {(counter && remaining > 0)
                .then(|| {
                    view! {
                        <form method="post" action=Dispense::ACTION class="mt-2 flex flex-wrap items-end gap-3">
                            <NativeSubmit />
                            <input type="hidden" name=Dispense::LINE_ID value=line.id.to_string() />
                            <div class="flex flex-col gap-1">
                                <label for=select_id.clone() class="font-semibold">{t.how_many}</label>
                                <select id=select_id name=Dispense::BOXES class="field">
                                    {(1..=remaining)
                                        .map(|n| view! { <option value=n.to_string() selected=n == remaining>{n}</option> })
                                        .collect_view()}
                                </select>
                            </div>
                            <button type="submit" class="button-primary">{button_label}</button>
                        </form>
                    }
                })}
        </li>
    }
}

#[component]
pub fn CounterPage() -> impl IntoView {
    let t = pharmacy_texts();
    view! {
        <Title text=t.counter_title />
        <PageHeading title=t.counter_title lead=t.counter_lead />
        <form method="post" action=LookUpCard::ACTION class="filters mt-6" aria-label=t.find>
            <NativeSubmit />
            <div class="grid gap-4 sm:grid-cols-2">
                <div class="flex flex-col gap-1">
                    <label for="codice-fiscale" class="font-semibold">{t.fiscal_code}</label>
                    <input id="codice-fiscale" name=LookUpCard::CODICE_FISCALE type="text" class="field uppercase" required=true
                        minlength="16" maxlength="16" autocomplete="off" spellcheck="false" />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="tessera" class="font-semibold">{t.card_number}</label>
                    <input id="tessera" name=LookUpCard::TESSERA type="text" inputmode="numeric" class="field" required=true
                        maxlength="24" autocomplete="off" aria-describedby="tessera-aiuto" />
                    <p id="tessera-aiuto" class="text-sm text-muted">{t.card_hint}</p>
                </div>
            </div>
            <button type="submit" class="button-primary mt-4">{t.find}</button>
        </form>
        {loaded_view(load_counter, move |lookup| view! { <Counter lookup t /> })}
    }
}

#[component]
fn CloseButton(t: &'static PharmacyTexts) -> impl IntoView {
    view! {
        <form method="post" action=CLOSE_COUNTER class="mt-4">
            <NativeSubmit />
            <button type="submit" class="button-secondary">{t.close}</button>
        </form>
    }
}

#[component]
fn Counter(lookup: CardLookup, t: &'static PharmacyTexts) -> impl IntoView {
    match lookup {
        CardLookup::ConsentMissing => view! {
            <section class="notice notice-info mt-6" role="status">
                <p>{t.consent_missing}</p>
                <CloseButton t />
            </section>
        }
        .into_any(),
        CardLookup::Prescriptions { patient, prescriptions } => view! {
            <section class="mt-8" aria-labelledby="ricette-cittadino">
                <h2 id="ricette-cittadino" class="text-2xl font-semibold">
                    {format!("{} {} — {}", t.serving, patient.full_name(), patient.fiscal_code)}
                </h2>
                {if prescriptions.is_empty() {
                    view! { <p class="mt-2">{t.nothing_to_dispense}</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-4 flex flex-col gap-4">
                            {prescriptions.into_iter().map(|prescription| view! { <PrescriptionCard prescription t counter=true /> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
                <CloseButton t />
            </section>
        }
        .into_any(),
        // No card, or a refused look-up (its message is at the top of the page).
        _ => ().into_any(),
    }
}
