//! What the vaccination and screening pages share: an appointment card
//! (move, cancel) and the slot search for a campaign or programme.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::search_prevention_slots;
use super::forms::{BookAppointment, CANCEL_APPOINTMENT};
use super::model::{Appointment, Purpose, SlotQuery, SlotSearch, SlotSearchOutcome};
use super::texts::{prevention_texts, PreventionTexts};
use crate::cup::model::{km_text, Choice, SlotOption};
use crate::cup::pages::Select;
use crate::domain::dates::italian_date;
use crate::ui::form_post::action_for;
use crate::ui::PageHeading;
use crate::ui::{loaded_view, NativeSubmit};

pub fn when(day: &str, time: &str, t: &PreventionTexts) -> String {
    format!("{} {} {time}", italian_date(day), t.at)
}

/// A live appointment with its code, place, preparation, move and cancel.
#[component]
pub fn AppointmentItem(appointment: Appointment, t: &'static PreventionTexts) -> impl IntoView {
    let moving = SlotQuery {
        purpose: appointment.purpose.code(),
        moving: Some(appointment.code.clone()),
        ..SlotQuery::default()
    };
    let move_href = format!("{}/prenota?{}", appointment.purpose.home(), moving.query_string());
    let cancel = action_for(CANCEL_APPOINTMENT, &appointment.code);
    let heading = appointment.service_name.clone();
    view! {
        <li class="card" id=format!("appuntamento-{}", appointment.code)>
            <h3 class="text-xl font-semibold">{heading.clone()}</h3>
            <p class="mt-1 text-lg font-semibold">{when(&appointment.day, &appointment.time, t)}</p>
            <p>{format!("{}, {}, {} — {}", appointment.place.facility, appointment.place.address, appointment.place.town, appointment.place.asl)}</p>
            <p>{format!("{}: {}", t.code, appointment.code)}</p>
            <p class="mt-2 max-w-prose"><span class="font-semibold">{format!("{}: ", t.preparation)}</span>{appointment.preparation.clone()}</p>
            <p class="mt-1">{t.free_of_charge}</p>
            {if appointment.changeable {
                view! {
                    <div class="mt-3 flex flex-wrap gap-3">
                        <a class="button-secondary" rel="external" href=move_href>{format!("{} — {heading}", t.move_it)}</a>
                        <form method="post" action=cancel>
                            <NativeSubmit />
                            <button type="submit" class="button-secondary">{format!("{} — {heading}", t.cancel_it)}</button>
                        </form>
                    </div>
                }
                .into_any()
            } else {
                view! { <p class="mt-2">{format!("{} {}.", t.not_changeable, appointment.place.phone)}</p> }.into_any()
            }}
        </li>
    }
}

fn query_value(name: &str) -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get(name))
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty() && value.len() <= 40)
}

/// `/vaccinazioni/prenota` and `/screening/prenota`: the earliest free slot
/// of each facility for a campaign or programme, with filters.
#[component]
pub fn AppointmentSearchPage() -> impl IntoView {
    let t = prevention_texts();
    let query = SlotQuery {
        purpose: query_value("scopo").unwrap_or_default(),
        asl: query_value("asl"),
        town: query_value("comune"),
        place_kind: query_value("luogo"),
        moving: query_value("sposta"),
    };
    let back = match Purpose::from_code(&query.purpose) {
        Some(purpose @ Purpose::Vaccination(_)) => (purpose.home(), t.back_vaccinations),
        _ => ("/screening", t.back_screening),
    };
    let asked = query.clone();
    view! {
        <Title text=t.search_title />
        <PageHeading title=t.search_title />
        <p class="mt-2"><a class="link" rel="external" href=back.0>{back.1}</a></p>
        {loaded_view(
            move || search_prevention_slots(asked.clone()),
            move |outcome| match outcome {
                SlotSearchOutcome::Found(search) => view! { <Search search=*search query=query.clone() t /> }.into_any(),
                SlotSearchOutcome::NotOffered(_) => view! {
                    <p class="notice notice-error mt-6" role="alert">{t.not_offered}</p>
                }
                .into_any(),
                SlotSearchOutcome::UnknownPurpose => view! {
                    <p class="notice notice-error mt-6" role="alert">{t.unknown_purpose}</p>
                }
                .into_any(),
            },
        )}
    }
}

#[component]
fn Search(search: SlotSearch, query: SlotQuery, t: &'static PreventionTexts) -> impl IntoView {
    let SlotSearch { purpose, subject_name, service_name, preparation, slots, asls, towns, moving } = search;
    let purpose_code = purpose.code();
    let moving_code = moving.as_ref().map(|appointment| appointment.code.clone()).unwrap_or_default();
    let place_kinds = matches!(purpose, Purpose::Vaccination(campaign) if campaign.at_pharmacies()).then(|| {
        vec![
            Choice { value: "centro".into(), label: t.centres.into() },
            Choice { value: "farmacia".into(), label: t.pharmacies.into() },
        ]
    });
    let action = format!("{}/prenota", purpose.home());
    view! {
        <section class="card mt-6" aria-labelledby="servizio">
            <h2 id="servizio" class="text-2xl font-semibold">{service_name}</h2>
            <p class="mt-1">{format!("{} {subject_name}", t.for_person)}</p>
            <p class="mt-1">{t.free_of_charge}</p>
            <p class="mt-2 max-w-prose"><span class="font-semibold">{format!("{}: ", t.preparation)}</span>{preparation}</p>
            {moving.map(|appointment| view! {
                <p class="notice notice-info mt-3">
                    {format!("{} {} ({})", t.moving, when(&appointment.day, &appointment.time, t), appointment.code)}
                </p>
            })}
        </section>
        <form method="get" action=action class="filters mt-6" aria-labelledby="filtri-luoghi">
            <NativeSubmit />
            <h2 id="filtri-luoghi" class="text-xl font-semibold">{t.search_filters}</h2>
            <input type="hidden" name="scopo" value=purpose_code.clone() />
            {(!moving_code.is_empty()).then(|| view! { <input type="hidden" name="sposta" value=moving_code.clone() /> })}
            <div class="mt-3 grid gap-4 sm:grid-cols-3">
                <Select id="filtro-asl" name="asl" label=t.asl any=t.any_asl choices=asls selected=query.asl.clone() />
                <Select id="filtro-comune" name="comune" label=t.town any=t.any_town choices=towns selected=query.town.clone() />
                {place_kinds.map(|choices| view! {
                    <Select id="filtro-luogo" name="luogo" label=t.place_kind any=t.any_place choices selected=query.place_kind.clone() />
                })}
            </div>
            <button type="submit" class="button-primary mt-4">{t.apply}</button>
        </form>
        <section id="posti" class="mt-8" aria-labelledby="posti-titolo">
            <h2 id="posti-titolo" class="text-2xl font-semibold">{t.slots_heading}</h2>
            {slots.is_empty().then(|| view! { <p class="mt-2">{t.no_slots}</p> })}
            <ul class="mt-3 flex flex-col gap-3">
                {slots
                    .into_iter()
                    .map(|option| view! { <SlotItem option purpose=purpose_code.clone() moving=moving_code.clone() t /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SlotItem(option: SlotOption, purpose: String, moving: String, t: &'static PreventionTexts) -> impl IntoView {
    let label = format!("{} {} — {}", t.book_slot, when(&option.day, &option.time, t), option.place.facility);
    view! {
        <li class="card flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
            <div>
                <p class="text-lg font-semibold">{when(&option.day, &option.time, t)}</p>
                <p>{format!("{}, {} — {}", option.place.facility, option.place.address, option.place.town)}</p>
                <p>{option.place.asl.clone()}</p>
                {option.distance_tenths_km.map(|tenths| view! { <p>{km_text(tenths)}</p> })}
            </div>
            <form method="post" action=BookAppointment::ACTION>
                <NativeSubmit />
                <input type="hidden" name=BookAppointment::SCOPO value=purpose />
                <input type="hidden" name=BookAppointment::SLOT_ID value=option.slot_id.to_string() />
                <input type="hidden" name=BookAppointment::SPOSTA value=moving />
                <button type="submit" class="button-primary" aria-label=label>{t.book_slot}</button>
            </form>
        </li>
    }
}
