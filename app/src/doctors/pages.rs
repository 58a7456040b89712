//! `/medico`: current doctors (mine and my minor children's), the search for
//! a new one (GET form, bookmarkable) and the choice (POST form), all
//! working without JavaScript.

use crate::domain::dates::italian_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::load_doctors_page;
use super::forms::ChooseDoctor;
use super::model::{distance_text, DoctorCard, DoctorFilter, DoctorsPage, ForWhom, PersonDoctor};
use super::texts::{doctor_texts, DoctorTexts};
use crate::domain::family_doctor::{Availability, DoctorKind};
use crate::ui::PageHeading;
use crate::ui::{AccessErrorView, NativeSubmit};

fn filter_from_query() -> DoctorFilter {
    use_query_map().with_untracked(|query| DoctorFilter {
        person: query.get("per").filter(|code| code.len() == 16),
        kind: query.get("tipo").as_deref().and_then(DoctorKind::from_code),
        only_available: query.get("disponibili").is_some_and(|value| value == "1"),
        language: query.get("lingua").filter(|code| code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase())),
    })
}

#[component]
pub fn DoctorsPageView() -> impl IntoView {
    let t = doctor_texts();
    let filter = filter_from_query();
    let page = Resource::new(
        {
            let filter = filter.clone();
            move || filter.clone()
        },
        load_doctors_page,
    );
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        <Suspense fallback=|| ()>
            {move || {
                let filter = filter.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Doctors page filter t /> }.into_any(),
                        Err(error) => view! { <AccessErrorView error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Doctors(page: DoctorsPage, filter: DoctorFilter, t: &'static DoctorTexts) -> impl IntoView {
    let DoctorsPage { people, searching_for, kind, results, languages } = page;
    let searched = people.get(searching_for).cloned();
    view! {
        <div class="mt-8 grid gap-6 lg:grid-cols-2">
            {people
                .into_iter()
                .enumerate()
                .map(|(index, person)| view! { <CurrentDoctor person searching=index == searching_for t /> })
                .collect_view()}
        </div>
        {searched.map(|person| view! { <Search person kind filter results languages t /> })}
    }
}

fn heading_for(person: &PersonDoctor, t: &DoctorTexts) -> String {
    let acting_for_self =
        crate::identity::request_identity().principal.map(|principal| principal.acts_for_self()).unwrap_or(true);
    match person.for_whom {
        ForWhom::Subject if acting_for_self => t.your_doctor.to_string(),
        _ => format!("{} {}", t.doctor_of, person.person.full_name()),
    }
}

#[component]
fn CurrentDoctor(person: PersonDoctor, searching: bool, t: &'static DoctorTexts) -> impl IntoView {
    let heading = heading_for(&person, t);
    let id = format!("medico-{}", person.person.fiscal_code.to_lowercase());
    let labelled_by = id.clone();
    let change_href = format!("/medico?per={}#ricerca", person.person.fiscal_code);
    let name = person.person.full_name();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=id class="text-2xl font-semibold">{heading}</h2>
            {(person.for_whom == ForWhom::Subject).then(|| view! { <p class="text-muted">{name.clone()}</p> })}
            {match person.current.clone() {
                Some(doctor) => view! { <DoctorDetails doctor t heading_level=3 /> }.into_any(),
                None => view! { <p class="mt-2">{t.none_chosen}</p> }.into_any(),
            }}
            {person.since.clone().map(|since| view! { <p class="mt-2">{format!("{} {}", t.since, italian_date(&since))}</p> })}
            <ul class="mt-4 flex flex-col gap-2">
                {person
                    .choice_id
                    .map(|choice| {
                        view! {
                            <li>
                                <a class="link" rel="external" download="" href=format!("/medico/scelte/{choice}/conferma.pdf")>
                                    {t.download_confirmation}
                                </a>
                            </li>
                        }
                    })}
                {(!searching)
                    .then(|| {
                        view! {
                            <li>
                                // rel="external": a full page load (see NativeSubmit).
                                <a class="link" rel="external" href=change_href>{format!("{} {name}", t.change)}</a>
                            </li>
                        }
                    })}
            </ul>
        </section>
    }
}

#[component]
fn DoctorDetails(doctor: DoctorCard, t: &'static DoctorTexts, heading_level: u8) -> impl IntoView {
    let languages = doctor.languages.iter().map(|code| t.language(code)).collect::<Vec<_>>().join(", ");
    let title = format!("{} — {}", doctor.name, t.kind(doctor.kind));
    view! {
        {if heading_level == 3 {
            view! { <h3 class="mt-3 text-xl font-semibold">{title}</h3> }.into_any()
        } else {
            view! { <h4 class="text-xl font-semibold">{title}</h4> }.into_any()
        }}
        <dl class="mt-2 grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
            <dt class="font-semibold">{t.address}</dt>
            <dd>{format!("{}, {}", doctor.address, doctor.town)}</dd>
            <dt class="font-semibold">{t.hours}</dt>
            <dd>{doctor.hours.clone()}</dd>
            <dt class="font-semibold">{t.phone}</dt>
            <dd>{doctor.phone.clone()}</dd>
            <dt class="font-semibold">{t.languages}</dt>
            <dd>{languages}</dd>
        </dl>
    }
}

#[component]
fn Search(
    person: PersonDoctor,
    kind: Option<DoctorKind>,
    filter: DoctorFilter,
    results: Vec<DoctorCard>,
    languages: Vec<String>,
    t: &'static DoctorTexts,
) -> impl IntoView {
    let name = person.person.full_name();
    let count = results.len();
    let fiscal_code = person.person.fiscal_code.clone();
    let current_id = person.current.as_ref().map(|doctor| doctor.id);
    view! {
        <section id="ricerca" class="mt-10" aria-labelledby="ricerca-titolo">
            <h2 id="ricerca-titolo" class="text-2xl font-semibold">{format!("{} {name}", t.search_heading)}</h2>
            <p class="mt-2 max-w-prose">{t.kinds_rule(&person.allowed_kinds)}</p>
            <p class="mt-1 max-w-prose">{format!("{} {}.", t.area_note, person.care_area)}</p>
            <form method="get" action="/medico" class="filters mt-4">
                <NativeSubmit />
                <input type="hidden" name="per" value=fiscal_code.clone() />
                <div class="grid gap-4 sm:grid-cols-3">
                    <div class="flex flex-col gap-1">
                        <label for="filtro-tipo" class="font-semibold">{t.kind_label}</label>
                        <select id="filtro-tipo" name="tipo" class="field">
                            {person
                                .allowed_kinds
                                .iter()
                                .map(|allowed| {
                                    view! {
                                        <option value=allowed.code() selected=Some(*allowed) == kind>{t.kind(*allowed)}</option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="flex flex-col gap-1">
                        <label for="filtro-lingua" class="font-semibold">{t.language_label}</label>
                        <select id="filtro-lingua" name="lingua" class="field">
                            <option value="" selected=filter.language.is_none()>{t.any_language}</option>
                            {languages
                                .iter()
                                .map(|code| {
                                    let selected = filter.language.as_deref() == Some(code.as_str());
                                    view! { <option value=code.clone() selected=selected>{t.language(code)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="flex items-center gap-2 sm:mt-8">
                        <input id="filtro-disponibili" type="checkbox" name="disponibili" value="1" class="h-5 w-5" checked=filter.only_available />
                        <label for="filtro-disponibili">{t.only_available}</label>
                    </div>
                </div>
                <button type="submit" class="button-primary mt-4">{t.search}</button>
            </form>
            <p class="mt-6" role="status">{format!("{} {count}", t.results_count)}</p>
            {(count == 0).then(|| view! { <p class="mt-2">{t.no_results}</p> })}
            <ul class="mt-3 grid gap-4 lg:grid-cols-2">
                {results
                    .into_iter()
                    .map(|doctor| {
                        let is_current = Some(doctor.id) == current_id;
                        view! { <DoctorResult doctor person=fiscal_code.clone() is_current t /> }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DoctorResult(doctor: DoctorCard, person: String, is_current: bool, t: &'static DoctorTexts) -> impl IntoView {
    let availability = doctor.availability;
    let badge = match availability {
        Availability::Available => "badge badge-ok",
        Availability::Few => "badge badge-few",
        Availability::Full => "badge badge-full",
    };
    let doctor_id = doctor.id.to_string();
    let name = doctor.name.clone();
    let distance = distance_text(doctor.distance_tenths_km);
    view! {
        <li class="card">
            <DoctorDetails doctor t heading_level=4 />
            <p class="mt-2">{format!("{}: {distance}", t.distance)}</p>
            <p class="mt-2">
                <span class="font-semibold">{format!("{}: ", t.places)}</span>
                <span class=badge>{t.availability(availability)}</span>
            </p>
            {if is_current {
                view! { <p class="mt-3 font-semibold">{t.is_current}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=ChooseDoctor::ACTION class="mt-3">
                        <NativeSubmit />
                        <input type="hidden" name=ChooseDoctor::PERSON value=person />
                        <input type="hidden" name=ChooseDoctor::DOCTOR_ID value=doctor_id />
                        <button type="submit" class="button-primary">{format!("{} {name}", t.choose)}</button>
                    </form>
                }
                .into_any()
            }}
        </li>
    }
}
