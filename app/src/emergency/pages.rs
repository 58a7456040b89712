//! `/pronto-soccorso`: the public ER board. Filters are a GET form (works
//! without JavaScript); the numbers update live through `live.rs`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::load_er_board;
use super::live::{cell_key, ErLiveUpdates, UsePositionButton};
use super::model::{minutes_text, trend_points, ErBoard, ErBoardQuery, ErStatus, ErUnit, NearBy, Triage};
use super::texts::{er_texts, ErTexts};
use crate::ui::loaded_view;
use crate::ui::PageHeading;

fn query_value(name: &str) -> Option<String> {
    use_query_map().with_untracked(|query| query.get(name)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The board's query from the address: `?asl=ASL4&vicino=Chiavari` or
/// `?lat=44.3&lon=9.3` (the device position).
fn board_query() -> ErBoardQuery {
    let coordinate = |name| query_value(name).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
    ErBoardQuery {
        asl: query_value("asl").filter(|code| code.len() <= 8),
        near: query_value("vicino").filter(|town| town.chars().count() <= 60),
        position: coordinate("lat").zip(coordinate("lon")),
    }
}

#[component]
pub fn ErBoardPage() -> impl IntoView {
    let t = er_texts();
    let query = board_query();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        <p class="notice notice-info mt-4">{t.emergency_call}</p>
        <p class="mt-2">
            <a href="/dove-andare" class="link">{t.not_emergency}</a>
        </p>
        {loaded_view(move || load_er_board(query.clone()), move |board| view! { <Board board t /> })}
    }
}

#[component]
fn Board(board: ErBoard, t: &'static ErTexts) -> impl IntoView {
    let ErBoard { units, asls, asl, near, unknown_town } = board;
    let town = match &near {
        Some(NearBy::Town(town)) => town.clone(),
        _ => unknown_town.clone().unwrap_or_default(),
    };
    let sorted = match &near {
        Some(NearBy::Town(town)) => Some(format!("{} {town}", t.sorted_near_town)),
        Some(NearBy::Position) => Some(t.sorted_near_position.to_string()),
        None => None,
    };
    let count = units.len();
    view! {
        <form method="get" action="/pronto-soccorso" class="filters mt-2" aria-labelledby="filtri-ps">
            <h2 id="filtri-ps" class="text-xl font-semibold">{t.filters}</h2>
            <div class="mt-3 grid gap-4 sm:grid-cols-2">
                <div class="flex flex-col gap-1">
                    <label for="filtro-asl" class="font-semibold">{t.asl}</label>
                    <select id="filtro-asl" name="asl" class="field">
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
                    <label for="filtro-vicino" class="font-semibold">{t.near}</label>
                    <input
                        id="filtro-vicino"
                        name="vicino"
                        class="field"
                        value=town
                        maxlength="60"
                        autocomplete="address-level2"
                        placeholder=t.near_hint
                    />
                </div>
            </div>
            <div class="mt-4 flex flex-wrap gap-3">
                <button type="submit" class="button-primary">{t.apply}</button>
                <a href="/pronto-soccorso" class="button-secondary">{t.reset}</a>
                <UsePositionButton
                    label=t.my_position.to_string()
                    unavailable=t.position_unavailable.to_string()
                    page="/pronto-soccorso".to_string()
                />
            </div>
        </form>
        {unknown_town.map(|_| view! { <p class="notice notice-error mt-4" role="alert">{t.unknown_town}</p> })}
        <Legend t />
        <section class="mt-6" aria-labelledby="elenco-ps">
            <h2 id="elenco-ps" class="text-2xl font-semibold">{format!("{} {count}", t.count)}</h2>
            {sorted.map(|text| view! { <p class="mt-1">{text}</p> })}
            <ErLiveUpdates
                live_on=t.live_on.to_string()
                live_updated=t.live_updated.to_string()
                live_lost=t.live_lost.to_string()
            />
            {(count == 0).then(|| view! { <p class="mt-2">{t.none}</p> })}
            <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                {units.into_iter().map(|unit| view! { <UnitCard unit t /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Swatch(triage: Triage) -> impl IntoView {
    let class = format!("triage triage-{}", triage.key().replace('_', ""));
    view! { <span class=class aria-hidden="true"></span> }
}

#[component]
fn Legend(t: &'static ErTexts) -> impl IntoView {
    view! {
        <details class="mt-6">
            <summary class="cursor-pointer font-semibold">{t.legend}</summary>
            <ul class="mt-2 flex flex-col gap-1">
                {Triage::ALL
                    .into_iter()
                    .map(|triage| {
                        let access = match triage.target_minutes() {
                            0 => t.immediate.to_string(),
                            minutes => format!("{} {}", t.within, minutes_text(minutes)),
                        };
                        view! {
                            <li>
                                <Swatch triage />
                                <span class="ml-2 font-semibold">{format!("{} {}", triage.code(), t.colour(triage))}</span>
                                {format!(": {} — {access}", t.meaning(triage))}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn UnitCard(unit: ErUnit, t: &'static ErTexts) -> impl IntoView {
    let ErUnit { code, name, town, asl_name, address, phone, paediatric, distance, status } = unit;
    let heading = format!("ps-{}", code.to_lowercase());
    let (label, caption) = (name.clone(), name.clone());
    view! {
        <li class="card px-3 sm:px-4" data-er-unit=code data-er-name=label>
            <h3 id=heading class="text-xl font-semibold">{name}</h3>
            <p class="mt-1 flex flex-wrap gap-x-3 text-muted">
                <span>{format!("{town} — {asl_name}")}</span>
                {paediatric.then(|| view! { <span class="badge badge-muted">{t.paediatric}</span> })}
                {distance.map(|km| view! { <span>{format!("{}: {km}", t.distance)}</span> })}
            </p>
            <p class="mt-1 text-muted">{format!("{address} · tel. {phone}")}</p>
            {match status {
                Some(status) => view! { <StatusTable status name=caption t /> }.into_any(),
                None => view! { <p class="mt-3">{t.no_data}</p> }.into_any(),
            }}
        </li>
    }
}

#[component]
fn StatusTable(status: ErStatus, name: String, t: &'static ErTexts) -> impl IntoView {
    let ErStatus { waiting, in_treatment, mean_wait_minutes, reported_local, stale, trend } = status;
    let stale_class = if stale { "notice notice-warning mt-3 mb-0" } else { "hidden" };
    view! {
        <p class=stale_class data-er="stale">{t.stale}</p>
        <div class="table-scroll mt-3">
            <table class="data-table data-table-compact">
                <caption class="sr-only">{name.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.colour}</th>
                        <th scope="col">{t.waiting}</th>
                        <th scope="col">{t.in_treatment}</th>
                        <th scope="col">{t.mean_wait}</th>
                    </tr>
                </thead>
                <tbody>
                    {Triage::ALL
                        .into_iter()
                        .enumerate()
                        .map(|(i, triage)| {
                            let wait = mean_wait_minutes[i].map_or_else(|| t.not_given.to_string(), minutes_text);
                            view! {
                                <tr>
                                    <th scope="row" class="whitespace-nowrap font-normal">
                                        <Swatch triage />
                                        <span class="ml-2">{t.colour(triage)}</span>
                                    </th>
                                    <td data-er=cell_key("waiting", triage.key())>{waiting[i]}</td>
                                    <td data-er=cell_key("treating", triage.key())>{in_treatment[i]}</td>
                                    <td class="whitespace-nowrap" data-er=cell_key("wait", triage.key())>{wait}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="mt-2">{format!("{} ", t.updated)}<span data-er="updated">{reported_local}</span></p>
        <Trend trend t />
    }
}

/// The 12-hour trend of people waiting, as a small line chart with a text
/// equivalent for screen readers.
#[component]
fn Trend(trend: Vec<Option<u32>>, t: &'static ErTexts) -> impl IntoView {
    if trend.iter().all(Option::is_none) {
        return view! { <p class="mt-2 text-muted">{t.no_trend}</p> }.into_any();
    }
    let now = trend.iter().rev().flatten().next().copied().unwrap_or(0);
    let max = trend.iter().flatten().copied().max().unwrap_or(0);
    let label = t.trend_text.replace("{now}", &now.to_string()).replace("{max}", &max.to_string());
    let points = trend_points(&trend, 236.0, 36.0);
    view! {
        <figure class="mt-2">
            <figcaption class="text-sm text-muted">{t.trend}</figcaption>
            <svg viewBox="-2 -2 240 40" class="mt-1 h-10 w-full max-w-xs" role="img" aria-label=label>
                <line x1="0" y1="36" x2="236" y2="36" class="chart-grid" />
                <polyline points=points class="chart-line" />
            </svg>
        </figure>
    }
    .into_any()
}
