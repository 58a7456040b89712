//! `/dove-andare`: where to go for care that is not an emergency. Filters
//! are a GET form (works without JavaScript); "Usa la mia posizione" sorts
//! by the device position once hydrated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::load_care_now;
use super::model::{tel_href, CareNow, CareNowQuery, CarePlace, Line116117, Opening};
use super::texts::{care_now_texts, CareNowTexts};
use crate::emergency::live::UsePositionButton;
use crate::emergency::model::{minutes_text, ErUnit, NearBy, Triage};
use crate::ui::loaded_view;
use crate::ui::PageHeading;

/// The page's own address, for the form and the position button.
pub const PATH: &str = "/dove-andare";

fn query_value(name: &str) -> Option<String> {
    use_query_map().with_untracked(|query| query.get(name)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// `?asl=ASL4&vicino=Chiavari&giorno=2026-12-24&ora=23:00`, or
/// `?lat=44.3&lon=9.3` (the device position).
fn care_now_query() -> CareNowQuery {
    let coordinate = |name| query_value(name).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
    CareNowQuery {
        asl: query_value("asl").filter(|code| code.len() <= 8),
        near: query_value("vicino").filter(|town| town.chars().count() <= 60),
        position: coordinate("lat").zip(coordinate("lon")),
        day: query_value("giorno").filter(|day| day.len() <= 10),
        time: query_value("ora").filter(|time| time.len() <= 5),
    }
}

#[component]
pub fn CareNowPage() -> impl IntoView {
    let t = care_now_texts();
    let query = care_now_query();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        <section class="notice notice-error mt-4" aria-labelledby="emergenza">
            <h2 id="emergenza" class="text-xl font-semibold">{t.emergency_title}</h2>
            <p class="mt-1">{t.emergency}</p>
            <a href="tel:112" class="button-primary mt-3 inline-flex">{t.call_112}</a>
        </section>
        {loaded_view(move || load_care_now(query.clone()), move |page| view! { <Places page t /> })}
    }
}

#[component]
fn Places(page: CareNow, t: &'static CareNowTexts) -> impl IntoView {
    let CareNow {
        day,
        time,
        moment_text,
        is_now,
        invalid_moment,
        holiday,
        asls,
        asl,
        near,
        unknown_town,
        line_116117,
        guardia_medica,
        pharmacies_open,
        pharmacies_closed,
        case_comunita,
        er_units,
    } = page;
    let town = match &near {
        Some(NearBy::Town(town)) => town.clone(),
        _ => unknown_town.clone().unwrap_or_default(),
    };
    let sorted = match &near {
        Some(NearBy::Town(town)) => Some(format!("{} {town}", t.sorted_near_town)),
        Some(NearBy::Position) => Some(t.sorted_near_position.to_string()),
        None => None,
    };
    let moment = if is_now { t.moment_now.to_string() } else { format!("{} {moment_text}", t.moment_chosen) };
    let (shown_day, shown_time) = if is_now { (String::new(), String::new()) } else { (day, time) };
    view! {
        <Line116117Box lines=line_116117 t />
        <form method="get" action=PATH class="filters mt-6" aria-labelledby="filtri-dove">
            <h2 id="filtri-dove" class="text-xl font-semibold">{t.filters}</h2>
            <div class="mt-3 grid gap-4 sm:grid-cols-2">
                <div class="flex flex-col gap-1">
                    <label for="dove-vicino" class="font-semibold">{t.near}</label>
                    <input
                        id="dove-vicino"
                        name="vicino"
                        class="field"
                        value=town
                        maxlength="60"
                        autocomplete="address-level2"
                        placeholder=t.near_hint
                    />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="dove-asl" class="font-semibold">{t.asl}</label>
                    <select id="dove-asl" name="asl" class="field">
                        <option value="" selected=asl.is_none()>{t.all_asl}</option>
                        {asls
                            .into_iter()
                            .map(|option| {
                                let selected = asl.as_deref() == Some(option.code.as_str());
                                view! { <option value=option.code selected=selected>{option.name}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="flex flex-col gap-1">
                    <label for="dove-giorno" class="font-semibold">{t.day}</label>
                    <input id="dove-giorno" name="giorno" type="date" class="field" value=shown_day aria-describedby="dove-quando" />
                </div>
                <div class="flex flex-col gap-1">
                    <label for="dove-ora" class="font-semibold">{t.time}</label>
                    <input id="dove-ora" name="ora" type="time" class="field" value=shown_time aria-describedby="dove-quando" />
                </div>
            </div>
            <p id="dove-quando" class="mt-2 text-muted">{t.moment_hint}</p>
            <div class="mt-4 flex flex-wrap gap-3">
                <button type="submit" class="button-primary">{t.apply}</button>
                <a href=PATH class="button-secondary">{t.reset}</a>
                <UsePositionButton
                    label=t.my_position.to_string()
                    unavailable=t.position_unavailable.to_string()
                    page=PATH.to_string()
                />
            </div>
        </form>
        {unknown_town.map(|_| view! { <p class="notice notice-error mt-4" role="alert">{t.unknown_town}</p> })}
        {invalid_moment.then(|| view! { <p class="notice notice-error mt-4" role="alert">{t.invalid_moment}</p> })}
        <p class="mt-4 text-lg font-semibold" data-care="moment">
            {moment}
            {holiday.map(|name| format!(" — {}: {name}", t.holiday))}
        </p>
        {sorted.map(|text| view! { <p class="mt-1">{text}</p> })}
        <PlaceList id="guardia-medica" title=t.guardia_title lead=t.guardia_lead places=guardia_medica t />
        <section class="mt-8" aria-labelledby="farmacie">
            <h2 id="farmacie" class="text-2xl font-semibold">{t.pharmacies_title}</h2>
            <p class="mt-1 max-w-prose">{t.pharmacies_lead}</p>
            {pharmacies_open.is_empty().then(|| view! { <p class="notice notice-warning mt-3">{t.pharmacies_none}</p> })}
            <ul class="mt-3 grid gap-4 lg:grid-cols-2" data-care="pharmacies">
                {pharmacies_open.into_iter().map(|place| view! { <PlaceCard place t /> }).collect_view()}
            </ul>
            {(pharmacies_closed > 0)
                .then(|| view! { <p class="mt-3 text-muted">{format!("{pharmacies_closed} {}", t.pharmacies_closed)}</p> })}
        </section>
        <PlaceList id="case-comunita" title=t.case_title lead=t.case_lead places=case_comunita t />
        <ErWaits units=er_units t />
    }
}

/// What 116117 is, where it answers, and the number to call meanwhile.
#[component]
fn Line116117Box(lines: Vec<Line116117>, t: &'static CareNowTexts) -> impl IntoView {
    view! {
        <section class="card mt-6" aria-labelledby="numero-116117">
            <h2 id="numero-116117" class="text-2xl font-semibold">{t.line_title}</h2>
            <p class="mt-2 max-w-prose">{t.line_what}</p>
            <p class="mt-2 max-w-prose">{t.line_hours}</p>
            <ul class="mt-3 flex flex-col gap-2" data-care="line-116117">
                {lines
                    .into_iter()
                    .map(|line| {
                        let state = match &line.active_since {
                            Some(since) => view! { <span class="badge badge-ok">{format!("{} {since}", t.line_active_since)}</span> }.into_any(),
                            None => view! {
                                <span>
                                    <span class="badge badge-muted">{t.line_not_yet}</span>
                                    {format!(": {} ", t.line_call_instead)}
                                    <a class="link" href=tel_href(&line.alternative_phone)>{line.alternative_phone.clone()}</a>
                                </span>
                            }
                            .into_any(),
                        };
                        let here = line.here.then(|| view! { <span class="font-semibold">{format!(" ({})", t.line_here)}</span> });
                        view! {
                            <li>
                                <span class="font-semibold">{line.asl_name}</span>
                                {here}
                                ": "
                                {state}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <a href="tel:116117" class="button-primary mt-4 inline-flex">{t.call_116117}</a>
        </section>
    }
}

#[component]
fn PlaceList(
    id: &'static str,
    title: &'static str,
    lead: &'static str,
    places: Vec<CarePlace>,
    t: &'static CareNowTexts,
) -> impl IntoView {
    view! {
        <section class="mt-8" aria-labelledby=id>
            <h2 id=id class="text-2xl font-semibold">{title}</h2>
            <p class="mt-1 max-w-prose">{lead}</p>
            {places.is_empty().then(|| view! { <p class="mt-3">{t.none}</p> })}
            <ul class="mt-3 grid gap-4 lg:grid-cols-2" data-care=id>
                {places.into_iter().map(|place| view! { <PlaceCard place t /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn PlaceCard(place: CarePlace, t: &'static CareNowTexts) -> impl IntoView {
    let CarePlace { name, town, asl_name, address, phone, distance, hours, open, on_duty_until } = place;
    let (badge_class, state) = match &open {
        Opening::Open { until: Some(until) } => ("badge badge-ok", format!("{} {until}", t.open_until)),
        Opening::Open { until: None } => ("badge badge-ok", t.open_always.to_string()),
        Opening::Closed { opens: Some(opens) } => ("badge badge-full", format!("{} — {} {opens}", t.closed, t.opens)),
        Opening::Closed { opens: None } => ("badge badge-full", t.closed.to_string()),
    };
    // The visible "Chiama 010 …" starts the accessible name (WCAG 2.5.3),
    // which adds whom the number reaches.
    let label = format!("{} {phone}, {name}", t.call);
    let (key, is_open) = (name.clone(), open.is_open().to_string());
    view! {
        <li class="card px-3 sm:px-4" data-care-place=key data-open=is_open>
            <h3 class="text-xl font-semibold">{name}</h3>
            <p class="mt-1 flex flex-wrap gap-x-3 text-muted">
                <span>{format!("{town} — {asl_name}")}</span>
                {distance.map(|km| view! { <span>{format!("{}: {km}", t.distance)}</span> })}
            </p>
            <p class="mt-2 flex flex-wrap gap-2">
                <span class=badge_class>{state}</span>
                {on_duty_until.map(|until| view! { <span class="badge badge-new">{format!("{} {until}", t.on_duty)}</span> })}
            </p>
            <p class="mt-2">{address}</p>
            <p class="mt-1 text-muted">{format!("{}: {hours}", t.hours)}</p>
            <a class="button-secondary mt-3 inline-flex" href=tel_href(&phone) aria-label=label>{format!("{} {phone}", t.call)}</a>
        </li>
    }
}

/// The ER units with their waits for green and white codes: where not to
/// queue with a problem that is not urgent.
#[component]
fn ErWaits(units: Vec<ErUnit>, t: &'static CareNowTexts) -> impl IntoView {
    let green = Triage::ALL.iter().position(|c| *c == Triage::Green).unwrap_or(3);
    let white = Triage::ALL.iter().position(|c| *c == Triage::White).unwrap_or(4);
    view! {
        <section class="mt-8" aria-labelledby="attese-ps">
            <h2 id="attese-ps" class="text-2xl font-semibold">{t.er_title}</h2>
            <p class="mt-1 max-w-prose">{t.er_lead}</p>
            <ul class="mt-3 grid gap-4 lg:grid-cols-2" data-care="er">
                {units
                    .into_iter()
                    .map(|unit| {
                        let figures = match unit.status {
                            Some(status) => {
                                let waiting: u32 = status.waiting.iter().sum();
                                let wait = |i: usize| status.mean_wait_minutes[i].map_or_else(|| "—".to_string(), minutes_text);
                                view! {
                                    <p class="mt-2">{format!("{waiting} {}", t.er_waiting)}</p>
                                    <p class="mt-1">{format!("{}: {}", t.er_wait_green, wait(green))}</p>
                                    <p class="mt-1">{format!("{}: {}", t.er_wait_white, wait(white))}</p>
                                }
                                .into_any()
                            }
                            None => view! { <p class="mt-2 text-muted">{t.er_no_data}</p> }.into_any(),
                        };
                        view! {
                            <li class="card px-3 sm:px-4">
                                <h3 class="text-xl font-semibold">{unit.name}</h3>
                                <p class="mt-1 flex flex-wrap gap-x-3 text-muted">
                                    <span>{unit.town}</span>
                                    {unit.distance.map(|km| view! { <span>{format!("{}: {km}", t.distance)}</span> })}
                                </p>
                                {figures}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p class="mt-3">
                <a href="/pronto-soccorso" class="link">{t.er_board_link}</a>
            </p>
        </section>
    }
}
