//! Home page: the services and, signed in, what is due for the health of
//! the person acted for (vaccinations, screening).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::domain::vaccination::Campaign;
use crate::i18n::use_texts;
use crate::prevention::api::load_health_agenda;
use crate::prevention::model::{DueItem, HealthAgenda};
use crate::prevention::texts::{prevention_texts, PreventionTexts};
use crate::services::model::Service;
use crate::ui::{Icon, PageHeading};

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text="" />
        <PageHeading title=t.home_title lead=t.home_intro />
        <p class="mt-4 inline-block rounded bg-danger-50 px-3 py-2 font-semibold text-danger">
            {t.home_emergency_note}
        </p>
        <HealthAgendaSection />
        <section aria-labelledby="home-services" class="mt-10">
            <h2 id="home-services" class="text-2xl font-bold">{t.home_services_heading}</h2>
            <ul class="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {Service::ALL.into_iter().map(|service| view! { <ServiceTile service /> }).collect_view()}
            </ul>
        </section>
    }
}

/// Signed in: the vaccinations and screening due; otherwise nothing.
#[component]
fn HealthAgendaSection() -> impl IntoView {
    let t = prevention_texts();
    let agenda = Resource::new(|| (), |_| load_health_agenda());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match agenda.await {
                    Ok(agenda) if !agenda.items.is_empty() => view! { <Agenda agenda t /> }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

fn item_text(item: &DueItem, t: &PreventionTexts) -> String {
    match item {
        DueItem::Vaccination { campaign, dose, late } => {
            let name = t.campaign(*campaign);
            let dose = if matches!(campaign, Campaign::Flu) { String::new() } else { format!(", {} {dose}", t.dose) };
            let late = if *late { format!(" ({})", t.late) } else { String::new() };
            format!("{} — {name}{dose}{late}", t.vaccinations_title)
        }
        DueItem::Screening { programme } => format!("{}: {}", t.programme(*programme), t.due_now),
        DueItem::SecondLevel { programme } => {
            format!("{}: {} {}", t.programme(*programme), t.second_level, t.second_level_exam(*programme))
        }
        DueItem::KitReady { pharmacy } => format!("{}: {pharmacy}", t.home_kit_ready),
    }
}

#[component]
fn Agenda(agenda: HealthAgenda, t: &'static PreventionTexts) -> impl IntoView {
    view! {
        <section aria-labelledby="home-da-fare" class="mt-8 rounded-lg border-l-4 border-primary p-5 shadow-sm">
            <h2 id="home-da-fare" class="text-2xl font-bold">{format!("{} {}", t.home_due_heading, agenda.subject_name)}</h2>
            <ul class="mt-3 flex flex-col gap-2">
                {agenda
                    .items
                    .iter()
                    .map(|item| view! {
                        <li><a class="link" rel="external" href=item.href()>{item_text(item, t)}</a></li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// A whole-card link: name, icon and what the service is for.
#[component]
fn ServiceTile(service: Service) -> impl IntoView {
    let text = use_texts().service(service);
    view! {
        <li class="tile">
            <a href=service.href() class="tile-link flex h-full gap-4 rounded-lg border border-line p-5">
                <Icon path=service.icon_path() class="h-8 w-8 shrink-0 text-primary" />
                <span>
                    <span class="block text-lg font-bold text-primary-dark">{text.name}</span>
                    <span class="mt-1 block">{text.summary}</span>
                </span>
            </a>
        </li>
    }
}
