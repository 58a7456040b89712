//! `/deleghe`: delegations given (with "revoke") and received, and the form
//! to give a new one. The forms post to plain server routes and come back
//! here with a notice, so they work without JavaScript.

use crate::domain::dates::italian_date;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::my_delegations;
use super::forms::{GIVE_DELEGATION, REVOKE_DELEGATION};
use super::model::NewDelegationForm as DelegationFields;
use super::model::{Delegation, DelegationStatus, DelegationsOverview};
use crate::identity::model::Capability;
use crate::identity::texts::{identity_texts, IdentityTexts};
use crate::ui::form_post::action_for;
use crate::ui::AccessErrorView;
use crate::ui::PageHeading;

#[component]
pub fn DelegationsPage() -> impl IntoView {
    let t = identity_texts();
    let overview = Resource::new(|| (), |_| my_delegations());
    view! {
        <Title text=t.delegations_title />
        <PageHeading title=t.delegations_title lead=t.delegations_lead />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => view! { <Overview overview /> }.into_any(),
                    Err(error) => view! { <AccessErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(overview: DelegationsOverview) -> impl IntoView {
    let t = identity_texts();
    let DelegationsOverview { given, received, may_manage, default_until, min_until, max_until } = overview;
    view! {
        <section class="mt-8" aria-labelledby="deleghe-date">
            <h2 id="deleghe-date" class="text-2xl font-semibold">{t.delegations_given}</h2>
            {if given.is_empty() {
                view! { <p class="mt-2">{t.delegations_none_given}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 grid gap-3">
                        {given
                            .into_iter()
                            .map(|delegation| view! { <DelegationCard delegation given=true may_manage t /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        {if may_manage {
            view! { <NewDelegationForm default_until min_until max_until t /> }.into_any()
        } else {
            view! { <p class="notice notice-info mt-6">{t.delegation_only_self}</p> }.into_any()
        }}
        <section class="mt-10" aria-labelledby="deleghe-ricevute">
            <h2 id="deleghe-ricevute" class="text-2xl font-semibold">{t.delegations_received}</h2>
            {if received.is_empty() {
                view! { <p class="mt-2">{t.delegations_none_received}</p> }.into_any()
            } else {
                view! {
                    <p class="mt-2">{t.delegation_use_hint}</p>
                    <ul class="mt-3 grid gap-3">
                        {received
                            .into_iter()
                            .map(|delegation| view! { <DelegationCard delegation given=false may_manage=false t /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn DelegationCard(delegation: Delegation, given: bool, may_manage: bool, t: &'static IdentityTexts) -> impl IntoView {
    let (label, name, code) = if given {
        (
            t.delegation_to,
            delegation.delegate_name.clone().unwrap_or_else(|| delegation.delegate_fiscal_code.clone()),
            delegation.delegate_fiscal_code.clone(),
        )
    } else {
        (t.delegation_from, delegation.delegator_name.clone(), delegation.delegator_fiscal_code.clone())
    };
    let services = delegation.scopes.iter().map(|capability| t.capability(*capability)).collect::<Vec<_>>().join(", ");
    let can_revoke = given && may_manage && delegation.status == DelegationStatus::Active;
    view! {
        <li class="card">
            <dl class="grid gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
                <dt class="font-semibold">{label}</dt>
                <dd>{name.clone()} <span class="text-sm text-muted">{format!(" ({code})")}</span></dd>
                <dt class="font-semibold">{t.delegation_services}</dt>
                <dd>{services}</dd>
                <dt class="font-semibold">{t.delegation_until}</dt>
                <dd>{italian_date(&delegation.valid_until)}</dd>
                <dt class="font-semibold">{t.delegation_status}</dt>
                <dd>{t.delegation_status(delegation.status)}</dd>
            </dl>
            {can_revoke
                .then(|| {
                    view! {
                        <form method="post" action=action_for(REVOKE_DELEGATION, &delegation.id.to_string()) class="mt-3">
                            <button type="submit" class="button-secondary">{format!("{} {name}", t.delegation_revoke)}</button>
                        </form>
                    }
                })}
        </li>
    }
}

#[component]
fn NewDelegationForm(
    default_until: String,
    min_until: String,
    max_until: String,
    t: &'static IdentityTexts,
) -> impl IntoView {
    view! {
        <section class="mt-10" aria-labelledby="nuova-delega">
            <h2 id="nuova-delega" class="text-2xl font-semibold">{t.delegation_new}</h2>
            <p class="mt-2 max-w-prose">{t.delegation_new_lead}</p>
            <form method="post" action=GIVE_DELEGATION class="card mt-4 grid gap-5">
                <div class="flex flex-col gap-1">
                    <label for="delegato" class="font-semibold">{t.delegation_fiscal_code}</label>
                    <input
                        id="delegato"
                        name=DelegationFields::DELEGATE
                        class="field uppercase sm:max-w-xs"
                        required
                        minlength="16"
                        maxlength="16"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        aria-describedby="delegato-aiuto"
                    />
                    <p id="delegato-aiuto" class="text-sm text-muted">{t.delegation_fiscal_code_hint}</p>
                </div>
                <div class="grid gap-4 sm:grid-cols-2">
                    <NameField id="delegato-nome" name=DelegationFields::DELEGATE_GIVEN_NAME label=t.delegation_given_name />
                    <NameField id="delegato-cognome" name=DelegationFields::DELEGATE_FAMILY_NAME label=t.delegation_family_name />
                    <p id="delegato-nome-aiuto" class="text-sm text-muted sm:col-span-2">{t.delegation_name_hint}</p>
                </div>
                <fieldset>
                    <legend class="font-semibold">{t.delegation_services_legend}</legend>
                    <div class="mt-2 grid gap-2 sm:grid-cols-2">
                        {Capability::ALL
                            .into_iter()
                            .map(|capability| {
                                let id = format!("servizio-{}", capability.slug());
                                view! {
                                    <div class="flex items-center gap-2">
                                        <input type="checkbox" id=id.clone() name=DelegationFields::SCOPES value=capability.slug() class="h-5 w-5" />
                                        <label for=id>{t.capability(capability)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                </fieldset>
                <div class="flex flex-col gap-1">
                    <label for="scadenza" class="font-semibold">{t.delegation_until_label}</label>
                    <input
                        id="scadenza"
                        name=DelegationFields::VALID_UNTIL
                        type="date"
                        class="field sm:max-w-xs"
                        required
                        value=default_until
                        min=min_until
                        max=max_until
                    />
                </div>
                <div>
                    <button type="submit" class="button-primary">{t.delegation_submit}</button>
                </div>
            </form>
        </section>
    }
}

/// One of the delegate's name fields (typed by the delegator, matched
/// against the registry), described by the shared hint below them.
#[component]
fn NameField(id: &'static str, name: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <div class="flex flex-col gap-1">
            <label for=id class="font-semibold">{label}</label>
            <input
                id=id
                name=name
                class="field"
                required
                maxlength="100"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="delegato-nome-aiuto"
            />
        </div>
    }
}
