//! The signed-in person's corner of the header (sign in/out, "acting for"),
//! one-time notices, and the pages of the sign-in flow's outcomes.

use crate::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::forms::{ActFor, SIGN_OUT};
use super::model::{ActingKind, Principal, Relation};
use super::request_identity;
use super::texts::{identity_texts, IdentityTexts};
use crate::ui::links::{current_path, sign_in_href};
use crate::ui::{NativeSubmit, PageHeading};

/// Header strip: "Accedi", or who is signed in, whom they act for, their
/// personal pages and "Esci".
#[component]
pub fn AccountBar() -> impl IntoView {
    let t = identity_texts();
    let identity = request_identity();
    let here = current_path();
    let Some(principal) = identity.principal else {
        return view! {
            <div class="account-bar">
                <div class="mx-auto flex max-w-6xl items-center justify-end px-4 py-2">
                    // rel="external": a full navigation, since it leaves for the identity provider.
                    <a class="button-primary" rel="external" href=move || sign_in_href(&here())>
                        {t.sign_in}
                    </a>
                </div>
            </div>
        }
        .into_any();
    };
    let options = identity.acting_options;
    let unread = identity.unread_notifications;
    let show_switch = options.len() > 1;
    view! {
        <div class="account-bar">
            <div class="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-2">
                <p class="m-0">
                    <span class="sr-only">{t.signed_in_as} " "</span>
                    <span class="font-semibold">{principal.actor.full_name()}</span>
                </p>
                {show_switch
                    .then(|| {
                        view! {
                            <form method="post" action=ActFor::ACTION class="flex flex-wrap items-center gap-2">
                                <label for="agisci-per" class="font-semibold">{t.acting_for_label}</label>
                                <select id="agisci-per" name=ActFor::PER class="field">
                                    {options
                                        .into_iter()
                                        .map(|option| {
                                            let selected = option.person.fiscal_code == principal.subject.fiscal_code;
                                            let kind = match option.kind {
                                                ActingKind::Myself => t.acting_myself,
                                                ActingKind::Child => t.acting_child,
                                                ActingKind::Delegator => t.acting_delegator,
                                            };
                                            view! {
                                                <option value=option.person.fiscal_code.clone() selected=selected>
                                                    {format!("{} ({kind})", option.person.full_name())}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                                <input type="hidden" name=ActFor::RETURN_TO value=here />
                                <button type="submit" class="button-secondary">{t.acting_for_change}</button>
                            </form>
                        }
                    })}
                <nav aria-label=t.my_area_label>
                    <ul class="flex flex-wrap items-center gap-x-4 gap-y-1">
                        {(principal.role == crate::identity::model::Role::RegionOperator)
                            .then(|| view! { <li><a class="link" href="/regione/screening">{t.region_figures_link}</a></li> })}
                        <li><a class="link" href="/deleghe">{t.delegations_link}</a></li>
                        <li><a class="link" href="/accessi">{t.access_log_link}</a></li>
                        <li>
                            <a class="link" href="/notifiche">
                                {t.notifications_link}
                                {(unread > 0)
                                    .then(|| view! {
                                        " "
                                        <span class="badge badge-new">{unread}</span>
                                        <span class="sr-only">{format!(" {}", t.notifications_unread)}</span>
                                    })}
                            </a>
                        </li>
                        <li><SignOutForm label=t.sign_out.to_string() /></li>
                    </ul>
                </nav>
            </div>
        </div>
    }
    .into_any()
}

/// "Esci": a plain form post, submitted natively (see [`NativeSubmit`]):
/// the answer redirects to the identity provider, another origin, which
/// the islands router's `fetch` cannot follow.
#[component]
pub fn SignOutForm(label: String) -> impl IntoView {
    view! {
        <form method="post" action=SIGN_OUT>
            <NativeSubmit />
            <button type="submit" class="button-secondary">{label}</button>
        </form>
    }
}

/// One-time messages at the top of the page: the outcome of the last form,
/// an expired session, and whom the person is acting for.
#[component]
pub fn StatusMessages() -> impl IntoView {
    let t = identity_texts();
    let identity = request_identity();
    let here = current_path();
    let acting = identity.principal.filter(|principal| !principal.acts_for_self());
    view! {
        {identity
            .session_expired
            .then(|| {
                view! {
                    <div role="alert" class="notice notice-error">
                        <p>{t.session_expired_banner}</p>
                        <p class="mt-2">
                            <a class="link" rel="external" href=move || sign_in_href(&here())>{t.sign_in_again}</a>
                        </p>
                    </div>
                }
            })}
        {identity.notice.map(|notice| view! { <NoticeBox notice /> })}
        {acting.map(|principal| view! { <ActingBanner principal t /> })}
    }
}

#[component]
fn NoticeBox(notice: Notice) -> impl IntoView {
    let (role, class) =
        if notice.is_error() { ("alert", "notice notice-error") } else { ("status", "notice notice-success") };
    view! {
        <div role=role class=class>
            <p>{notice.text(crate::i18n::current_lang())}</p>
        </div>
    }
}

#[component]
fn ActingBanner(principal: Principal, t: &'static IdentityTexts) -> impl IntoView {
    let kind = match principal.relation {
        Relation::Parent => t.acting_child,
        _ => t.acting_delegator,
    };
    view! {
        <p class="notice notice-info">
            {t.acting_banner} " " <strong>{principal.subject.full_name()}</strong> {format!(" ({kind})")}
        </p>
    }
}

/// `/sessione-scaduta`: where a protected page sends a person whose
/// session timed out; signing in again brings them back.
#[component]
pub fn SessionExpiredPage() -> impl IntoView {
    let t = identity_texts();
    let query = use_query_map();
    let return_to = query.with_untracked(|q| q.get("return_to")).unwrap_or_else(|| "/".to_string());
    view! {
        <Title text=t.session_expired_title />
        <PageHeading title=t.session_expired_title lead=t.session_expired_body />
        <p class="mt-8">
            <a class="button-primary" rel="external" href=sign_in_href(&return_to)>{t.sign_in_again}</a>
        </p>
    }
}

/// `/accesso-non-riuscito?motivo=…`: the sign-in flow failed; say why in
/// plain words and offer to try again.
#[component]
pub fn SignInFailedPage() -> impl IntoView {
    let t = identity_texts();
    let query = use_query_map();
    let reason = query.with_untracked(|q| q.get("motivo")).unwrap_or_default();
    let body = match reason.as_str() {
        "annullato" => t.sign_in_cancelled,
        "scaduto" => t.sign_in_stale,
        "non-disponibile" => t.sign_in_unavailable,
        "codice-fiscale" => t.sign_in_not_recognised,
        _ => t.sign_in_invalid,
    };
    view! {
        <Title text=t.sign_in_failed_title />
        <PageHeading title=t.sign_in_failed_title lead=body />
        <p class="mt-8">
            <a class="button-primary" rel="external" href=sign_in_href("/")>{t.try_again}</a>
        </p>
    }
}
