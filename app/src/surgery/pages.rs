//! `/interventi`: operations I may follow and my own operations with the
//! people I authorised (forms post to plain server routes and come back with
//! a notice); `/interventi/:id`: one operation's phase timeline, live.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{load_surgery_case, load_surgery_overview};
use super::forms::{AuthoriseFollower, WithdrawFollower};
use super::live::CaseLiveUpdates;
use super::model::{CaseView, FollowedCase, MyCase, Phase, Step, SurgeryOverview};
use super::texts::{surgery_texts, SurgeryTexts};
use crate::identity::AccessError;
use crate::ui::form_post::action_for;
use crate::ui::loaded_view;
use crate::ui::PageHeading;

#[component]
pub fn SurgeryPage() -> impl IntoView {
    let t = surgery_texts();
    view! {
        <Title text=t.title />
        <PageHeading title=t.title lead=t.lead />
        {loaded_view(load_surgery_overview, move |overview| view! { <Overview overview t /> })}
    }
}

#[component]
fn Overview(overview: SurgeryOverview, t: &'static SurgeryTexts) -> impl IntoView {
    let SurgeryOverview { following, mine } = overview;
    view! {
        <section class="mt-8" aria-labelledby="interventi-seguiti">
            <h2 id="interventi-seguiti" class="text-2xl font-semibold">{t.following}</h2>
            {if following.is_empty() {
                view! { <p class="mt-2 max-w-prose">{t.following_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-3">
                        {following.into_iter().map(|case| view! { <FollowedCard case t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="mt-10" aria-labelledby="interventi-miei">
            <h2 id="interventi-miei" class="text-2xl font-semibold">{t.mine}</h2>
            <p class="mt-2 max-w-prose">{t.mine_lead}</p>
            {if mine.is_empty() {
                view! { <p class="mt-2">{t.mine_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-4">
                        {mine.into_iter().map(|case| view! { <MyCaseCard case t /> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn FollowedCard(case: FollowedCase, t: &'static SurgeryTexts) -> impl IntoView {
    let FollowedCase { id, patient_name, hospital, current, since_local } = case;
    view! {
        <li class="card" data-case=id>
            <dl class="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                <dt class="font-semibold">{t.patient}</dt>
                <dd>{patient_name.clone()}</dd>
                <dt class="font-semibold">{t.hospital}</dt>
                <dd>{hospital}</dd>
                <dt class="font-semibold">{t.phase_now}</dt>
                <dd>{format!("{} ({} {since_local})", t.phase(current), t.since)}</dd>
            </dl>
            <p class="mt-3">
                <a class="button-primary" href=format!("/interventi/{id}")>
                    {format!("{} {patient_name}", t.open_case)}
                </a>
            </p>
        </li>
    }
}

#[component]
fn MyCaseCard(case: MyCase, t: &'static SurgeryTexts) -> impl IntoView {
    let MyCase { id, hospital, current, since_local, followers, open } = case;
    let field_id = format!("autorizza-{id}");
    let hint_id = format!("autorizza-aiuto-{id}");
    view! {
        <li class="card" data-my-case=id>
            <dl class="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                <dt class="font-semibold">{t.hospital}</dt>
                <dd>{hospital}</dd>
                <dt class="font-semibold">{t.phase_now}</dt>
                <dd>{format!("{} ({} {since_local})", t.phase(current), t.since)}</dd>
            </dl>
            <h3 class="mt-4 text-lg font-semibold">{t.followers}</h3>
            {if followers.is_empty() {
                view! { <p class="mt-1">{t.no_followers}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 grid gap-2">
                        {followers
                            .into_iter()
                            .map(|follower| {
                                let name = follower.name.clone().unwrap_or_else(|| t.not_in_registry.to_string());
                                let origin = if follower.by_hospital {
                                    format!("{}, {} {}", t.by_hospital, t.granted, follower.granted_local)
                                } else {
                                    format!("{} {}", t.granted, follower.granted_local)
                                };
                                view! {
                                    <li class="flex flex-wrap items-center gap-x-4 gap-y-2" data-follower=follower.fiscal_code.clone()>
                                        <span>
                                            {name.clone()}
                                            <span class="text-sm text-muted">
                                                {format!(" ({}) — {origin}", follower.fiscal_code)}
                                            </span>
                                        </span>
                                        <form method="post" action=action_for(WithdrawFollower::ACTION, &id.to_string())>
                                            <input type="hidden" name=WithdrawFollower::PERSONA value=follower.fiscal_code.clone() />
                                            <button type="submit" class="button-secondary">
                                                {format!("{} {name}", t.withdraw)}
                                            </button>
                                        </form>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {if open {
                view! {
                    <form method="post" action=action_for(AuthoriseFollower::ACTION, &id.to_string()) class="mt-4 grid gap-2">
                        <label for=field_id.clone() class="font-semibold">{t.fiscal_code}</label>
                        <div class="flex flex-wrap gap-3">
                            <input
                                id=field_id
                                name=AuthoriseFollower::PERSONA
                                class="field uppercase sm:max-w-xs"
                                required
                                minlength="16"
                                maxlength="16"
                                autocomplete="off"
                                autocapitalize="characters"
                                spellcheck="false"
                                aria-describedby=hint_id.clone()
                            />
                            <button type="submit" class="button-primary">{t.authorise}</button>
                        </div>
                        <p id=hint_id class="text-sm text-muted">{t.fiscal_code_hint}</p>
                    </form>
                }
                .into_any()
            } else {
                view! { <p class="mt-3 text-muted">{t.closed}</p> }.into_any()
            }}
        </li>
    }
}

#[component]
pub fn SurgeryCasePage() -> impl IntoView {
    let t = surgery_texts();
    let id = use_params_map().with_untracked(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    view! {
        {loaded_view_or_missing(
            move || load_surgery_case(id.unwrap_or(0)),
            move |case| view! { <CaseTimeline case t /> },
            t,
        )}
    }
}

/// Like `loaded_view`, but another person's case or none gets the same
/// plain "not found" answer.
fn loaded_view_or_missing<Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    render: impl Fn(CaseView) -> V + Clone + Send + Sync + 'static,
    t: &'static SurgeryTexts,
) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<CaseView, AccessError>> + Send + 'static,
    V: IntoView + 'static,
{
    let missing = move || {
        crate::errors::status::set_response_status(404);
        view! {
            <Title text=t.title />
            <PageHeading title=t.title />
            <p class="notice notice-error mt-6" role="alert">{t.not_found}</p>
            <p class="mt-4"><a class="link" href="/interventi">{t.back}</a></p>
        }
    };
    loaded_view(
        move || {
            let loading = load();
            async move {
                match loading.await {
                    Ok(case) => Ok(Ok(case)),
                    Err(AccessError::NotAllowed) => Ok(Err(())),
                    Err(error) => Err(error),
                }
            }
        },
        move |found: Result<CaseView, ()>| match found {
            Ok(case) => render(case).into_any(),
            Err(()) => missing().into_any(),
        },
    )
}

#[component]
fn CaseTimeline(case: CaseView, t: &'static SurgeryTexts) -> impl IntoView {
    let CaseView { id, patient_name, hospital, current, steps, access_until_local } = case;
    let heading = format!("{} {patient_name}", t.case_title);
    let labels: Vec<String> = Phase::ALL.iter().map(|phase| t.phase(*phase).to_string()).collect();
    view! {
        <Title text=heading.clone() />
        <h1 class="text-3xl font-bold text-primary-dark sm:text-4xl">{heading}</h1>
        <p class="mt-3 max-w-prose text-lg">{t.case_lead}</p>
        <p class="mt-2">
            <strong>{format!("{}:", t.hospital)}</strong>
            {format!(" {hospital}")}
        </p>
        <CaseLiveUpdates
            case_id=id
            live_on=t.live_on.to_string()
            live_updated=t.live_updated.to_string()
            live_ended=t.live_ended.to_string()
            live_lost=t.live_lost.to_string()
            labels
            done=t.done.to_string()
            current=t.current.to_string()
        />
        <section class="mt-6" aria-labelledby="fasi">
            <h2 id="fasi" class="text-2xl font-semibold">{t.timeline}</h2>
            <ol class="timeline mt-4 grid gap-3" data-current=current.code()>
                {steps.into_iter().map(|step| view! { <TimelineStep step current t /> }).collect_view()}
            </ol>
        </section>
        {access_until_local.map(|until| view! { <p class="notice notice-info mt-6">{format!("{} {until}.", t.access_until)}</p> })}
        <p class="mt-6 text-muted">{t.no_clinical}</p>
        <p class="mt-4"><a class="link" href="/interventi">{t.back}</a></p>
    }
}

#[component]
fn TimelineStep(step: Step, current: Phase, t: &'static SurgeryTexts) -> impl IntoView {
    let Step { phase, at_local, at_utc } = step;
    let state = if phase == current {
        "current"
    } else if at_local.is_some() {
        "done"
    } else {
        "waiting"
    };
    let state_text = match state {
        "current" => t.current,
        "done" => t.done,
        _ => t.waiting,
    };
    view! {
        <li class="timeline-step card" data-phase=phase.code() data-state=state>
            <span class="font-semibold" data-phase-label="">{t.phase(phase)}</span>
            <span data-phase-state="">{format!(" — {state_text}")}</span>
            <time class="block" datetime=at_utc.unwrap_or_default() data-phase-time="">{at_local.unwrap_or_default()}</time>
        </li>
    }
}
