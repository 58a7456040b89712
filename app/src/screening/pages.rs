//! `/screening`: the three programmes for the subject, with the FIT kit's
//! journey and the second level after a positive result; and
//! `/regione/screening`: adherence figures for the region's operators.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{load_adherence, load_screening};
use super::forms::{RequestKit, CANCEL_KIT};
use super::model::{percent_text, AdherenceReport, Kit, KitStep, ProgrammeCard, ScreeningPage, Shown};
use crate::cup::model::Choice;
use crate::domain::dates::italian_date;
use crate::domain::screening::Programme;
use crate::prevention::model::{Purpose, SlotQuery};
use crate::prevention::pages::AppointmentItem;
use crate::prevention::texts::{prevention_texts, PreventionTexts};
use crate::ui::form_post::action_for;
use crate::ui::PageHeading;
use crate::ui::{loaded_view, NativeSubmit};

fn book_href(purpose: Purpose) -> String {
    format!("/screening/prenota?{}", SlotQuery { purpose: purpose.code(), ..SlotQuery::default() }.query_string())
}

#[component]
pub fn ScreeningPageView() -> impl IntoView {
    let t = prevention_texts();
    view! {
        <Title text=t.screening_title />
        <PageHeading title=t.screening_title lead=t.screening_lead />
        {loaded_view(load_screening, move |page| view! { <Overview page t /> })}
    }
}

#[component]
fn Overview(page: ScreeningPage, t: &'static PreventionTexts) -> impl IntoView {
    let ScreeningPage { subject_name, programmes, pharmacies, .. } = page;
    view! {
        <p class="mt-4 text-lg">{format!("{} {subject_name}", t.for_person)}</p>
        <ul class="mt-6 flex flex-col gap-6">
            {programmes
                .into_iter()
                .map(|card| view! { <ProgrammeItem card pharmacies=pharmacies.clone() t /> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn ProgrammeItem(card: ProgrammeCard, pharmacies: Vec<Choice>, t: &'static PreventionTexts) -> impl IntoView {
    let programme = card.programme;
    let heading_id = format!("programma-{}", programme.code());
    let labelled_by = heading_id.clone();
    let invited = card.invitation.is_ok();
    let open_kit = card.kit.as_ref().is_some_and(|kit| kit.step < KitStep::Resulted);
    let may_request_kit = programme == Programme::Colorectal && invited && card.due_now && !open_kit;
    let may_book = programme.first_level_service().is_some() && invited && card.due_now && card.appointment.is_none();
    let second_level = (card.second_level_proposed && card.second_level_appointment.is_none()).then_some(programme);
    view! {
        <li class="card" id=programme.code() aria-labelledby=labelled_by>
            <h2 id=heading_id class="text-2xl font-semibold">{t.programme(programme)}</h2>
            <p class="mt-2 max-w-prose">{t.programme_who(programme)}</p>
            <p class="mt-3 font-semibold">{t.your_status}</p>
            {match card.invitation {
                Ok(test) => view! {
                    <p>{format!("{}: {} ({} {} {})", t.invited_to, t.test(test), t.every, test.interval_years(), t.years)}</p>
                }
                .into_any(),
                Err(reason) => view! { <p class="max-w-prose">{t.not_invited(reason)}</p> }.into_any(),
            }}
            {match card.last {
                Some(last) => view! {
                    <p class="mt-1">
                        {format!("{}: {}, {} — {}: ", t.last_test, t.test(last.test), italian_date(&last.day), t.result)}
                        <strong>{t.result_text(last.result)}</strong>
                        {last.document_id.map(|id| view! {
                            " · " <a class="link" rel="external" href=format!("/fascicolo/documenti/{id}")>{format!("{} — {}", t.read_report, t.programme(programme))}</a>
                        })}
                    </p>
                }
                .into_any(),
                None if invited => view! { <p class="mt-1">{t.no_last_test}</p> }.into_any(),
                None => ().into_any(),
            }}
            {invited.then(|| match (&card.next_due, card.due_now) {
                (_, true) => view! { <p class="mt-1 font-semibold">{t.due_now}</p> }.into_any(),
                (Some(day), false) => view! { <p class="mt-1">{format!("{} {}", t.next_due, italian_date(day))}</p> }.into_any(),
                (None, false) => ().into_any(),
            })}
            {second_level.map(|programme| view! {
                <div class="notice notice-info mt-3">
                    <p>{format!("{} {}.", t.second_level, t.second_level_exam(programme))}</p>
                    <p class="mt-2">
                        <a class="button-primary" rel="external" href=book_href(Purpose::SecondLevel(programme))>{t.book_second_level}</a>
                    </p>
                </div>
            })}
            {card.kit.map(|kit| view! { <KitJourney kit t /> })}
            {may_request_kit.then(|| view! { <KitRequest pharmacies t /> })}
            {may_book.then(|| view! {
                <p class="mt-3">
                    <a class="button-primary" rel="external" href=book_href(Purpose::Screening(programme))>{format!("{} — {}", t.book_test, t.programme(programme))}</a>
                </p>
            })}
            {(card.appointment.is_some() || card.second_level_appointment.is_some()).then(|| view! {
                <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                    {card.appointment.map(|appointment| view! { <AppointmentItem appointment t /> })}
                    {card.second_level_appointment.map(|appointment| view! { <AppointmentItem appointment t /> })}
                </ul>
            })}
        </li>
    }
}

/// The kit's steps, each with its time, the current one written out.
#[component]
fn KitJourney(kit: Kit, t: &'static PreventionTexts) -> impl IntoView {
    let cancel = (kit.step == KitStep::Requested).then(|| action_for(CANCEL_KIT, &kit.code));
    view! {
        <section class="mt-4" aria-labelledby="kit-titolo">
            <h3 id="kit-titolo" class="text-xl font-semibold">{t.kit_heading}</h3>
            <p class="mt-1">{format!("{}: {}", t.kit_code, kit.code)}</p>
            <p>{format!("{}: {}, {} — {}", t.kit_pharmacy, kit.pharmacy.facility, kit.pharmacy.address, kit.pharmacy.town)}</p>
            <ol class="mt-3 flex flex-col gap-2" aria-label=t.kit_heading>
                {KitStep::ALL
                    .into_iter()
                    .zip(kit.reached.clone())
                    .map(|(step, at)| {
                        let state = if step == kit.step && step != KitStep::Resulted {
                            ("current", t.step_current)
                        } else if step <= kit.step {
                            ("done", t.step_done)
                        } else {
                            ("waiting", t.step_waiting)
                        };
                        view! {
                            <li class="timeline-step card" data-kit-step=step.code() data-state=state.0>
                                <span class="font-semibold">{t.kit_step(step)}</span>
                                <span>{format!(" — {}", state.1)}</span>
                                <span class="block">{at.unwrap_or_default()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {cancel.map(|action| view! {
                <form method="post" action=action class="mt-3">
                    <NativeSubmit />
                    <button type="submit" class="button-secondary">{t.kit_cancel}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn KitRequest(pharmacies: Vec<Choice>, t: &'static PreventionTexts) -> impl IntoView {
    view! {
        <form method="post" action=RequestKit::ACTION class="filters mt-4" aria-labelledby="richiesta-kit">
            <NativeSubmit />
            <h3 id="richiesta-kit" class="text-xl font-semibold">{t.kit_request}</h3>
            <p class="mt-1 max-w-prose">{t.kit_request_hint}</p>
            <div class="mt-3 flex flex-col gap-1">
                <label for="farmacia" class="font-semibold">{t.kit_choose_pharmacy}</label>
                <select id="farmacia" name=RequestKit::FARMACIA class="field" required=true>
                    {pharmacies
                        .into_iter()
                        .map(|choice| view! { <option value=choice.value>{choice.label}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button-primary mt-4">{t.kit_request}</button>
        </form>
    }
}

// ---------------------------------------------------------------- region

#[component]
pub fn AdherencePageView() -> impl IntoView {
    let t = prevention_texts();
    view! {
        <Title text=t.adherence_title />
        <PageHeading title=t.adherence_title lead=t.adherence_lead />
        {loaded_view(load_adherence, move |report| view! { <Adherence report t /> })}
    }
}

#[component]
fn Adherence(report: AdherenceReport, t: &'static PreventionTexts) -> impl IntoView {
    let AdherenceReport { as_of, rows, totals, campaigns } = report;
    let count = move |shown: Shown| shown.map_or_else(|| t.small_cell.to_string(), |n| n.to_string());
    let percent = move |part: Shown, whole: Shown| match (part, whole) {
        (Some(part), Some(whole)) => percent_text(part, whole),
        _ => "—".to_string(),
    };
    view! {
        <p class="mt-4">{format!("{} {}", t.as_of, italian_date(&as_of))}</p>
        <p class="mt-2 max-w-prose">{t.small_cell_note}</p>
        {Programme::ALL
            .into_iter()
            .map(|programme| {
                let mine: Vec<_> = rows.iter().filter(|row| row.programme == programme).cloned().collect();
                let (invited, covered) = totals
                    .iter()
                    .find(|total| total.programme == programme)
                    .map_or((0, 0), |total| (total.invited, total.covered));
                let id = format!("adesione-{}", programme.code());
                let (section_label, region_label) = (id.clone(), id.clone());
                view! {
                    <section class="mt-8" aria-labelledby=section_label>
                        <h2 id=id class="text-2xl font-semibold">{t.programme(programme)}</h2>
                        <div class="table-scroll mt-3" role="region" aria-labelledby=region_label tabindex="0">
                            <table class="data-table">
                                <caption class="sr-only">{format!("{}: {}", t.adherence_caption, t.programme(programme))}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t.asl}</th>
                                        <th scope="col">{t.band}</th>
                                        <th scope="col">{t.invited}</th>
                                        <th scope="col">{t.covered}</th>
                                        <th scope="col">{t.adherence}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {mine
                                        .into_iter()
                                        .map(|row| view! {
                                            <tr>
                                                <th scope="row">{row.asl}</th>
                                                <td>{row.band}</td>
                                                <td>{count(row.invited)}</td>
                                                <td>{count(row.covered)}</td>
                                                <td>{percent(row.covered, row.invited)}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                    <tr>
                                        <th scope="row">{t.total}</th>
                                        <td></td>
                                        <td>{invited}</td>
                                        <td>{covered}</td>
                                        <td>{percent_text(covered, invited)}</td>
                                    </tr>
                                </tbody>
                            </table>
                        </div>
                    </section>
                }
            })
            .collect_view()}
        <section class="mt-10" aria-labelledby="copertura">
            <h2 id="copertura" class="text-2xl font-semibold">{t.coverage_heading}</h2>
            <div class="table-scroll mt-3" role="region" aria-labelledby="copertura" tabindex="0">
                <table class="data-table">
                    <caption class="sr-only">{t.coverage_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.vaccine}</th>
                            <th scope="col">{t.asl}</th>
                            <th scope="col">{t.eligible}</th>
                            <th scope="col">{t.vaccinated}</th>
                            <th scope="col">{t.coverage}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {campaigns
                            .into_iter()
                            .map(|row| view! {
                                <tr>
                                    <th scope="row">{t.campaign(row.campaign)}</th>
                                    <td>{row.asl}</td>
                                    <td>{count(row.eligible)}</td>
                                    <td>{count(row.vaccinated)}</td>
                                    <td>{percent(row.vaccinated, row.eligible)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
