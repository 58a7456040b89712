//! `/vaccinazioni`: doses due, appointments, campaigns with who they are
//! for and where the subject stands, the registry's history and the
//! certificate. Server-rendered; booking is a plain link and form post.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::load_vaccinations;
use super::model::{CampaignCard, VaccinationsPage};
use crate::domain::dates::italian_date;
use crate::domain::vaccination::Status;
use crate::prevention::model::{Purpose, SlotQuery};
use crate::prevention::pages::{when, AppointmentItem};
use crate::prevention::texts::{prevention_texts, PreventionTexts};
use crate::ui::loaded_view;
use crate::ui::PageHeading;

/// Where "Prenota" leads for a campaign.
fn book_href(card: &CampaignCard) -> String {
    let query = SlotQuery { purpose: Purpose::Vaccination(card.campaign).code(), ..SlotQuery::default() };
    format!("/vaccinazioni/prenota?{}", query.query_string())
}

#[component]
pub fn VaccinationsPageView() -> impl IntoView {
    let t = prevention_texts();
    view! {
        <Title text=t.vaccinations_title />
        <PageHeading title=t.vaccinations_title lead=t.vaccinations_lead />
        {loaded_view(load_vaccinations, move |page| view! { <Overview page t /> })}
    }
}

#[component]
fn Overview(page: VaccinationsPage, t: &'static PreventionTexts) -> impl IntoView {
    let due: Vec<CampaignCard> = page.due().into_iter().cloned().collect();
    let appointments: Vec<_> = page.campaigns.iter().filter_map(|card| card.appointment.clone()).collect();
    let VaccinationsPage { subject_name, age_years, at_risk, records, campaigns } = page;
    view! {
        <p class="mt-4 text-lg">{format!("{} {subject_name}", t.for_person)}</p>
        <section class="mt-8" aria-labelledby="da-fare">
            <h2 id="da-fare" class="text-2xl font-semibold">{t.due_heading}</h2>
            {if due.is_empty() {
                view! { <p class="mt-2">{t.nothing_due}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                        {due
                            .into_iter()
                            .map(|card| {
                                let name = t.campaign(card.campaign);
                                let (dose, late) = match card.status {
                                    Status::Due { dose, late } => (dose, late),
                                    _ => (1, false),
                                };
                                view! {
                                    <li class="card">
                                        <h3 class="text-xl font-semibold">{name}</h3>
                                        <p class="mt-1">
                                            {format!("{} {dose}", t.dose)}
                                            {late.then(|| view! { " " <span class="badge badge-few">{t.late}</span> })}
                                        </p>
                                        <p class="mt-3">
                                            <a class="button-primary" rel="external" href=book_href(&card)>{format!("{} — {name}", t.book)}</a>
                                        </p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="mt-10" aria-labelledby="appuntamenti">
            <h2 id="appuntamenti" class="text-2xl font-semibold">{t.appointments_heading}</h2>
            {if appointments.is_empty() {
                view! { <p class="mt-2">{t.no_appointments}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                        {appointments.into_iter().map(|appointment| view! { <AppointmentItem appointment t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="mt-10" aria-labelledby="campagne">
            <h2 id="campagne" class="text-2xl font-semibold">{t.campaigns_heading}</h2>
            <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                {campaigns
                    .into_iter()
                    .map(|card| {
                        let name = t.campaign(card.campaign);
                        let bookable = card.status.bookable() && card.appointment.is_none();
                        let href = book_href(&card);
                        view! {
                            <li class="card" id=card.campaign.code()>
                                <h3 class="text-xl font-semibold">{name}</h3>
                                <p class="mt-2 font-semibold">{t.who_heading}</p>
                                <p class="max-w-prose">{t.campaign_who(card.campaign)}</p>
                                <p class="mt-2 font-semibold">{t.your_status}</p>
                                {match &card.appointment {
                                    Some(appointment) => view! {
                                        <p class="max-w-prose">
                                            {format!("{} {} ({}).", t.booked_for, when(&appointment.day, &appointment.time, t), appointment.code)}
                                        </p>
                                    }
                                    .into_any(),
                                    None => view! { <p class="max-w-prose">{t.campaign_status(card.status, age_years, at_risk)}</p> }.into_any(),
                                }}
                                {bookable.then(|| view! {
                                    <p class="mt-3"><a class="button-primary" rel="external" href=href>{format!("{} — {name}", t.book)}</a></p>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="mt-10" aria-labelledby="storico">
            <h2 id="storico" class="text-2xl font-semibold">{t.history_heading}</h2>
            <p class="mt-2 max-w-prose">{t.certificate_hint}</p>
            <p class="mt-2">
                <a class="button-secondary" rel="external" download="" href="/vaccinazioni/certificato.pdf">{t.certificate}</a>
            </p>
            {if records.is_empty() {
                view! { <p class="mt-3">{t.history_empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll mt-4" role="region" aria-labelledby="storico" tabindex="0">
                        <table class="data-table">
                            <caption class="sr-only">{t.history_caption}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t.vaccine}</th>
                                    <th scope="col">{t.dose}</th>
                                    <th scope="col">{t.day}</th>
                                    <th scope="col">{t.place}</th>
                                    <th scope="col">{t.lot}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {records
                                    .into_iter()
                                    .map(|record| view! {
                                        <tr>
                                            <th scope="row">{record.vaccine}</th>
                                            <td>{record.dose}</td>
                                            <td>{italian_date(&record.day)}</td>
                                            <td>{record.place}</td>
                                            <td>{record.lot}</td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}
