//! The CUP pages: my bookings, prescriptions and waiting list; the slot
//! search for a prescription; one booking. Server-rendered; every change is
//! a POST form (NativeSubmit: the next page differs in shape).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{load_booking, load_bookings, search_slots};
use super::forms::{BookSlot, JoinWaitingList, ACCEPT_OFFER, CANCEL_BOOKING, DECLINE_OFFER};
use super::model::{
    km_text, BookingCard, BookingsPage, PrescriptionCard, SearchFilter, SearchOutcome, SearchResults, SlotOption,
    WaitingEntry,
};
use super::texts::{cup_texts, CupTexts};
use crate::domain::dates::italian_date;
use crate::domain::money::euro;
use crate::ui::form_post::action_for;
use crate::ui::PageHeading;
use crate::ui::{loaded_view, NativeSubmit};

fn query_value(name: &str) -> Option<String> {
    use_query_map().with_untracked(|query| query.get(name)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn when(day: &str, time: &str, t: &CupTexts) -> String {
    format!("{} {} {time}", italian_date(day), t.at)
}

// ---------------------------------------------------------------- overview

#[component]
pub fn BookingsPageView() -> impl IntoView {
    let t = cup_texts();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        {loaded_view(load_bookings, move |page| view! { <Overview page t /> })}
    }
}

#[component]
fn Overview(page: BookingsPage, t: &'static CupTexts) -> impl IntoView {
    let BookingsPage { prescriptions, bookings, waiting } = page;
    view! {
        <section class="mt-8" aria-labelledby="prenotazioni-attive">
            <h2 id="prenotazioni-attive" class="text-2xl font-semibold">{t.bookings}</h2>
            {if bookings.is_empty() {
                view! { <p class="mt-2">{t.no_bookings}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                        {bookings.into_iter().map(|booking| view! { <BookingItem booking t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="mt-10" aria-labelledby="ricette">
            <h2 id="ricette" class="text-2xl font-semibold">{t.prescriptions}</h2>
            {if prescriptions.is_empty() {
                view! { <p class="mt-2">{t.no_prescriptions}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                        {prescriptions.into_iter().map(|prescription| view! { <PrescriptionItem prescription t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <form method="get" action="/prenotazioni/cerca" class="filters mt-6" aria-labelledby="ricetta-carta">
                <NativeSubmit />
                <h3 id="ricetta-carta" class="text-xl font-semibold">{t.paper_heading}</h3>
                <div class="mt-3 flex flex-wrap items-end gap-4">
                    <div class="flex flex-col gap-1">
                        <label for="nre" class="font-semibold">{t.nre_label}</label>
                        <input id="nre" name="nre" type="text" class="field uppercase" required=true maxlength="20"
                            autocomplete="off" spellcheck="false" aria-describedby="nre-aiuto" />
                        <p id="nre-aiuto" class="text-sm text-muted">{t.nre_hint}</p>
                    </div>
                    <button type="submit" class="button-primary">{t.find}</button>
                </div>
            </form>
        </section>
        <section id="lista-attesa" class="mt-10" aria-labelledby="lista-attesa-titolo">
            <h2 id="lista-attesa-titolo" class="text-2xl font-semibold">{t.waiting_heading}</h2>
            {if waiting.is_empty() {
                view! { <p class="mt-2">{t.no_waiting}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                        {waiting.into_iter().map(|entry| view! { <WaitingItem entry t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn BookingItem(booking: BookingCard, t: &'static CupTexts) -> impl IntoView {
    let href = format!("/prenotazioni/{}", booking.code);
    let label = format!("{}: {} {}", t.details, booking.service_name, italian_date(&booking.day));
    view! {
        <li class="card">
            <h3 class="text-xl font-semibold">{booking.service_name.clone()}</h3>
            <p class="mt-1 font-semibold">{when(&booking.day, &booking.time, t)}</p>
            <p>{format!("{}, {} — {}", booking.place.facility, booking.place.town, booking.place.asl)}</p>
            <p>{format!("{}: {}", t.booking_code, booking.code)}</p>
            <p class="mt-2">
                <a class="link" rel="external" href=href aria-label=label>{t.details}</a>
            </p>
        </li>
    }
}

#[component]
fn PrescriptionItem(prescription: PrescriptionCard, t: &'static CupTexts) -> impl IntoView {
    let search = format!("/prenotazioni/cerca?nre={}", prescription.nre);
    let label = format!("{} {}", t.search_slots, prescription.service_name);
    view! {
        <li class="card">
            <h3 class="text-xl font-semibold">{prescription.service_name.clone()}</h3>
            <p class="mt-1">{t.priority(prescription.priority)}</p>
            <p>{format!("NRE {} · {} {}", prescription.nre, t.prescribed_by, prescription.prescriber.to_lowercase())}</p>
            <p>{format!("{} {}", t.valid_until, italian_date(&prescription.valid_until))}</p>
            {match (&prescription.booking_code, &prescription.waiting_reference) {
                (Some(code), _) => view! { <p class="mt-2 font-semibold">{format!("{} {code}", t.booked_with)}</p> }.into_any(),
                (None, Some(reference)) => view! {
                    <p class="mt-2 font-semibold">{format!("{} {reference}", t.waiting_with)}</p>
                }
                .into_any(),
                (None, None) => view! {
                    <p class="mt-3">
                        <a class="button-primary" rel="external" href=search aria-label=label.clone()>{t.find}</a>
                    </p>
                }
                .into_any(),
            }}
        </li>
    }
}

#[component]
fn WaitingItem(entry: WaitingEntry, t: &'static CupTexts) -> impl IntoView {
    view! {
        <li class="card">
            <h3 class="text-xl font-semibold">{entry.service_name.clone()}</h3>
            <p class="mt-1">
                <span class="font-semibold">{format!("{}: ", t.reference)}</span>
                <span>{entry.reference.clone()}</span>
            </p>
            <p>{t.status(entry.status)}</p>
            <p>{format!("{} {} · {} {}", t.requested_on, italian_date(&entry.requested_on), t.deadline, italian_date(&entry.deadline))}</p>
            <p class="mt-1">
                <a class="link" rel="external" download="" href=format!("/prenotazioni/lista-attesa/{}/ricevuta.pdf", entry.reference)>
                    {t.receipt}
                </a>
            </p>
            {entry
                .offer
                .map(|offer| {
                    let accept = action_for(ACCEPT_OFFER, &offer.id.to_string());
                    let decline = action_for(DECLINE_OFFER, &offer.id.to_string());
                    view! {
                        <div class="notice notice-info mt-3" role="status">
                            <p class="font-semibold">{t.offer_heading}</p>
                            <p>{format!("{} — {}, {}", when(&offer.day, &offer.time, t), offer.place.facility, offer.place.town)}</p>
                            <p>{format!("{} {}", t.offer_until, offer.expires_local)}</p>
                            <div class="mt-3 flex flex-wrap gap-3">
                                <form method="post" action=accept>
                                    <NativeSubmit />
                                    <button type="submit" class="button-primary">{t.accept}</button>
                                </form>
                                <form method="post" action=decline>
                                    <NativeSubmit />
                                    <button type="submit" class="button-secondary">{t.decline}</button>
                                </form>
                            </div>
                        </div>
                    }
                })}
        </li>
    }
}

// ---------------------------------------------------------------- search

fn filter_from_query() -> SearchFilter {
    SearchFilter {
        nre: query_value("nre").unwrap_or_default(),
        asl: query_value("asl").filter(|code| code.len() <= 8),
        facility: query_value("struttura").and_then(|id| id.parse().ok()),
        town: query_value("comune").filter(|code| code.len() == 4),
        max_km: query_value("km").and_then(|km| km.parse().ok()),
        moving: query_value("sposta").filter(|code| code.len() <= 32),
    }
}

#[component]
pub fn SearchPageView() -> impl IntoView {
    let t = cup_texts();
    let filter = filter_from_query();
    let query = filter.clone();
    view! {
        <Title text=t.search_title />
        <PageHeading title=t.search_title />
        <p class="mt-2">
            <a class="link" rel="external" href="/prenotazioni">{t.back}</a>
        </p>
        {loaded_view(
            move || search_slots(query.clone()),
            move |outcome| match outcome {
                SearchOutcome::Refused(problem) => view! {
                    <p class="notice notice-error mt-6" role="alert">{t.problem(problem)}</p>
                }
                .into_any(),
                SearchOutcome::Found { results, any_in_time_regionwide } => view! {
                    <Search results=*results any_in_time_regionwide filter=filter.clone() t />
                }
                .into_any(),
            },
        )}
    }
}

#[component]
fn Search(
    results: SearchResults,
    any_in_time_regionwide: bool,
    filter: SearchFilter,
    t: &'static CupTexts,
) -> impl IntoView {
    let may_wait = results.may_join_waiting_list(any_in_time_regionwide);
    let SearchResults { prescription, preparation, ticket_cents, exemption, slots, asls, facilities, towns, moving } =
        results;
    let nre = prescription.nre.clone();
    let ticket = match &exemption {
        Some(code) => format!("{} ({} {code})", euro(0), t.exempt),
        None => euro(ticket_cents),
    };
    let count = slots.len();
    let moving_code = moving.as_ref().map(|booking| booking.code.clone()).unwrap_or_default();
    view! {
        <section class="card mt-6" aria-labelledby="prescrizione">
            <h2 id="prescrizione" class="text-2xl font-semibold">{prescription.service_name.clone()}</h2>
            <p class="mt-1">{format!("{} — {} {}", t.priority(prescription.priority), t.within, italian_date(&prescription.deadline))}</p>
            <p>{format!("NRE {}", prescription.nre)}</p>
            <p class="mt-2"><span class="font-semibold">{format!("{}: ", t.ticket)}</span>{ticket}</p>
            {(!preparation.is_empty())
                .then(|| view! { <p class="mt-2"><span class="font-semibold">{format!("{}: ", t.preparation)}</span>{preparation}</p> })}
            {moving
                .map(|booking| {
                    view! {
                        <p class="notice notice-info mt-3">
                            {format!("{} {} ({})", t.moving, booking.code, when(&booking.day, &booking.time, t))}
                        </p>
                    }
                })}
        </section>
        {prescription
            .waiting_reference
            .clone()
            .map(|reference| view! { <p class="notice notice-info mt-6">{format!("{} {reference}.", t.already_waiting)}</p> })}
        {(!any_in_time_regionwide)
            .then(|| {
                view! {
                    <section class="notice notice-error mt-6" aria-labelledby="nessun-posto">
                        <h2 id="nessun-posto" class="text-xl font-semibold">{t.nothing_in_time}</h2>
                        {may_wait
                            .then(|| {
                                view! {
                                    <p class="mt-2 max-w-prose">{t.waiting_explained}</p>
                                    <form method="post" action=JoinWaitingList::ACTION class="mt-3">
                                        <NativeSubmit />
                                        <input type="hidden" name=JoinWaitingList::NRE value=nre.clone() />
                                        <button type="submit" class="button-primary">{t.join_waiting_list}</button>
                                    </form>
                                }
                            })}
                    </section>
                }
            })}
        <form method="get" action="/prenotazioni/cerca" class="filters mt-6" aria-labelledby="filtri-posti">
            <NativeSubmit />
            <h2 id="filtri-posti" class="text-xl font-semibold">{t.filters}</h2>
            <input type="hidden" name="nre" value=nre.clone() />
            {(!moving_code.is_empty()).then(|| view! { <input type="hidden" name="sposta" value=moving_code.clone() /> })}
            <div class="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
                <Select id="filtro-asl" name="asl" label=t.asl any=t.any_asl choices=asls selected=filter.asl.clone() />
                <Select
                    id="filtro-struttura"
                    name="struttura"
                    label=t.facility
                    any=t.any_facility
                    choices=facilities
                    selected=filter.facility.map(|id| id.to_string())
                />
                <Select id="filtro-comune" name="comune" label=t.town any=t.no_town choices=towns selected=filter.town.clone() />
                <Select
                    id="filtro-km"
                    name="km"
                    label=t.max_km
                    any=t.any_distance
                    choices=[10, 25, 50, 100]
                        .into_iter()
                        .map(|km| super::model::Choice { value: km.to_string(), label: format!("{km} km") })
                        .collect()
                    selected=filter.max_km.map(|km| km.to_string())
                />
            </div>
            <button type="submit" class="button-primary mt-4">{t.apply}</button>
        </form>
        <section id="risultati" class="mt-8" aria-labelledby="risultati-titolo">
            <h2 id="risultati-titolo" class="text-2xl font-semibold">{t.results}</h2>
            <p class="mt-1" role="status">{format!("{} {count}", t.results_count)}</p>
            {(count == 0).then(|| view! { <p class="mt-2">{t.no_results}</p> })}
            <ul class="mt-3 flex flex-col gap-3">
                {slots
                    .into_iter()
                    .map(|option| view! { <SlotItem option nre=nre.clone() moving=moving_code.clone() t /> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub(crate) fn Select(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<super::model::Choice>,
    selected: Option<String>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="font-semibold">{label}</label>
            <select id=id name=name class="field">
                <option value="" selected=selected.is_none()>{any}</option>
                {choices
                    .into_iter()
                    .map(|choice| {
                        let is_selected = selected.as_deref() == Some(choice.value.as_str());
                        view! { <option value=choice.value selected=is_selected>{choice.label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn SlotItem(option: SlotOption, nre: String, moving: String, t: &'static CupTexts) -> impl IntoView {
    let slot = option;
    let label = format!("{} {} — {}", t.book, when(&slot.day, &slot.time, t), slot.place.facility);
    let (badge, badge_text) =
        if slot.within_deadline { ("badge badge-ok", t.in_time) } else { ("badge badge-few", t.late) };
    view! {
        <li class="card flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
            <div>
                <p class="text-lg font-semibold">{when(&slot.day, &slot.time, t)}</p>
                <p>{format!("{}, {} — {}", slot.place.facility, slot.place.address, slot.place.town)}</p>
                <p class="text-muted">{slot.place.asl.clone()}</p>
                {slot.distance_tenths_km.map(|tenths| view! { <p>{format!("{}: {}", t.distance, km_text(tenths))}</p> })}
                <p class="mt-1"><span class=badge>{badge_text}</span></p>
                {(!slot.within_deadline).then(|| view! { <p class="mt-1 max-w-prose text-sm">{t.late_warning}</p> })}
            </div>
            <form method="post" action=BookSlot::ACTION>
                <NativeSubmit />
                <input type="hidden" name=BookSlot::NRE value=nre />
                <input type="hidden" name=BookSlot::SLOT_ID value=slot.slot_id.to_string() />
                <input type="hidden" name=BookSlot::SPOSTA value=moving />
                <button type="submit" class="button-primary" aria-label=label>{t.book}</button>
            </form>
        </li>
    }
}

// ---------------------------------------------------------------- one booking

#[component]
pub fn BookingPageView() -> impl IntoView {
    let t = cup_texts();
    let code = use_params_map().with_untracked(|params| params.get("code")).unwrap_or_default();
    view! {
        <Title text=t.booking_title />
        <PageHeading title=t.booking_title />
        <p class="mt-2">
            <a class="link" rel="external" href="/prenotazioni">{t.back}</a>
        </p>
        {loaded_view(move || load_booking(code.clone()), move |booking| view! { <BookingDetails booking t /> })}
    }
}

#[component]
fn BookingDetails(booking: BookingCard, t: &'static CupTexts) -> impl IntoView {
    let ticket = match &booking.exemption {
        Some(code) => format!("{} ({} {code})", euro(0), t.exempt),
        None => euro(booking.ticket_cents),
    };
    let reminder = format!("/prenotazioni/{}/promemoria.pdf", booking.code);
    let move_href = format!("/prenotazioni/cerca?nre={}&sposta={}", booking.nre, booking.code);
    let cancel = action_for(CANCEL_BOOKING, &booking.code);
    view! {
        <section class="card mt-6" aria-labelledby="dettagli">
            <h2 id="dettagli" class="text-2xl font-semibold">{booking.service_name.clone()}</h2>
            <dl class="mt-3 grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                <dt class="font-semibold">{t.booking_code}</dt>
                <dd class="text-lg font-semibold">{booking.code.clone()}</dd>
                <dt class="font-semibold">{t.when}</dt>
                <dd><time datetime=booking.starts_at.clone()>{when(&booking.day, &booking.time, t)}</time></dd>
                <dt class="font-semibold">{t.place}</dt>
                <dd>{format!("{}, {}, {} — {}", booking.place.facility, booking.place.address, booking.place.town, booking.place.asl)}</dd>
                <dt class="font-semibold">{t.phone}</dt>
                <dd>{booking.place.phone.clone()}</dd>
                <dt class="font-semibold">NRE</dt>
                <dd>{booking.nre.clone()}</dd>
                <dt class="font-semibold">{t.ticket}</dt>
                <dd>{ticket}</dd>
                {booking
                    .notice_code
                    .clone()
                    .map(|notice| view! { <dt class="font-semibold">{t.notice_code}</dt><dd>{notice}</dd> })}
            </dl>
            {booking
                .notice_code
                .clone()
                .map(|notice| {
                    if booking.ticket_paid {
                        let receipt = format!("/pagamenti/ricevute/{notice}.pdf");
                        view! { <p class="mt-2"><a class="link" rel="external" download="" href=receipt>{t.ticket_receipt}</a></p> }.into_any()
                    } else {
                        view! {
                            <p class="mt-2">
                                {t.to_pay_later} " "
                                <a class="link" rel="external" href="/pagamenti">{t.pay_ticket}</a>
                            </p>
                        }
                        .into_any()
                    }
                })}
            <h3 class="mt-4 text-xl font-semibold">{t.bring}</h3>
            <ul class="mt-1 list-disc pl-6">{t.bring_items.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ul>
            {(!booking.preparation.is_empty())
                .then(|| view! { <h3 class="mt-4 text-xl font-semibold">{t.preparation}</h3><p class="mt-1 max-w-prose">{booking.preparation.clone()}</p> })}
            <p class="mt-4">
                <a class="button-secondary" rel="external" download="" href=reminder>{t.reminder}</a>
            </p>
            <p class="mt-4">
                {t.care_now_hint} " "
                <a class="link" href="/dove-andare">{t.care_now_link}</a>
            </p>
        </section>
        {if booking.changeable {
            view! {
                <section class="mt-6 flex flex-wrap items-center gap-4" aria-label=t.cancel_booking>
                    <a class="button-secondary" rel="external" href=move_href>{t.move_booking}</a>
                    <form method="post" action=cancel>
                        <NativeSubmit />
                        <button type="submit" class="button-secondary">{t.cancel_booking}</button>
                    </form>
                </section>
                <p class="mt-2 max-w-prose text-muted">{t.cancel_note}</p>
            }
            .into_any()
        } else {
            view! { <p class="notice notice-info mt-6">{t.change_closed}</p> }.into_any()
        }}
    }
}
