//! The signed-in person's corner of the header (sign in/out, "acting for"),
//! one-time notices, and the pages of the sign-in flow's outcomes.

use crate::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use super::model::{ActingKind, Principal, Relation};
use super::request_identity;
use super::texts::{identity_texts, IdentityTexts};
use super::AccessError;
use crate::i18n::use_texts;
use crate::layout::pages::PageHeading;

/// Where the sign-in link starts the flow, coming back to `return_to`.
pub fn sign_in_href(return_to: &str) -> String {
    format!("/auth/login?return_to={}", percent_encode(return_to))
}

/// Percent-encodes a query value: everything but RFC 3986's unreserved
/// characters and `/`.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The path and query of the page being rendered.
fn current_path() -> impl Fn() -> String + Copy {
    let location = use_location();
    move || {
        let query = location.search.get();
        let path = location.pathname.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{}", query.trim_start_matches('?'))
        }
    }
}

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
                            <form method="post" action="/agisci-per" class="flex flex-wrap items-center gap-2">
                                <label for="agisci-per" class="font-semibold">{t.acting_for_label}</label>
                                <select id="agisci-per" name="per" class="field">
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
                                <input type="hidden" name="return_to" value=here />
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
        <form method="post" action="/auth/logout">
            <NativeSubmit />
            <button type="submit" class="button-secondary">{label}</button>
        </form>
    }
}

/// Put inside a `<form>`: once hydrated, the form submits as a normal
/// navigation instead of through the islands router. Used where the
/// answer leaves the site, or where the next page differs so much in shape
/// that the router's in-place diff could pair the wrong elements (the
/// family-doctor search and choice). Without JavaScript, nothing changes.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
pub fn NativeSubmit() -> impl IntoView {
    let marker = NodeRef::<leptos::html::Span>::new();
    Effect::new(move |_| {
        if let Some(marker) = marker.get() {
            native_submit::install(&marker);
        }
    });
    view! { <span node_ref=marker hidden=true></span> }
}

#[cfg(feature = "hydrate")]
mod native_submit {
    use wasm_bindgen::{closure::Closure, JsCast};

    /// Listens on the enclosing form itself, before the islands router (on
    /// `window`) sees the event: cancel the routed submit, then submit for
    /// real (`HTMLFormElement.submit()` fires no second event).
    pub fn install(marker: &web_sys::HtmlElement) {
        let Some(form) =
            marker.closest("form").ok().flatten().and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let target = form.clone();
        let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let _ = target.submit();
        });
        let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }
}

#[cfg(not(feature = "hydrate"))]
mod native_submit {
    pub fn install(_marker: &leptos::web_sys::HtmlElement) {}
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

/// What a personal-data page shows instead of its content when the server
/// refused: sign in, not allowed, or a failure with its request id.
#[component]
pub fn AccessErrorView(error: AccessError) -> impl IntoView {
    let t = identity_texts();
    // The page answers with the refusal's status (its content says why);
    // "sign in" keeps 200: the page itself offers the way in.
    if !matches!(error, AccessError::SignInRequired | AccessError::Transport(_)) {
        crate::errors::status::set_response_status(error.status());
    }
    let here = current_path();
    match error {
        AccessError::SignInRequired => view! {
            <section class="notice notice-info" aria-labelledby="serve-accesso">
                <h2 id="serve-accesso" class="text-xl font-semibold">{t.sign_in_needed_title}</h2>
                <p class="mt-2">{t.sign_in_needed_body}</p>
                <p class="mt-4">
                    <a class="button-primary" rel="external" href=move || sign_in_href(&here())>{t.sign_in}</a>
                </p>
            </section>
        }
        .into_any(),
        AccessError::NotAllowed => view! {
            <section role="alert" class="notice notice-error" aria-labelledby="non-consentito">
                <h2 id="non-consentito" class="text-xl font-semibold">{t.not_allowed_title}</h2>
                <p class="mt-2">{t.not_allowed_body}</p>
            </section>
        }
        .into_any(),
        AccessError::NotFound => view! {
            <p role="alert" class="notice notice-error">{t.not_found_body}</p>
        }
        .into_any(),
        AccessError::BadInput(_) => view! {
            <p role="alert" class="notice notice-error">{t.bad_input_body}</p>
        }
        .into_any(),
        AccessError::TooManyRequests => view! {
            <section role="alert" class="notice notice-error" aria-labelledby="troppe-richieste">
                <h2 id="troppe-richieste" class="text-xl font-semibold">{t.too_many_title}</h2>
                <p class="mt-2">{t.too_many_body}</p>
            </section>
        }
        .into_any(),
        AccessError::Internal { request_id } => view! {
            <p role="alert" class="notice notice-error">{format!("{} {request_id}.", t.internal_error)}</p>
        }
        .into_any(),
        AccessError::Transport(_) => {
            view! { <p role="alert" class="notice notice-error">{use_texts().error_body}</p> }.into_any()
        }
    }
}

/// A personal-data page's content: loads with `load` (a server function),
/// renders with `render`, or shows why it could not ([`AccessErrorView`]).
pub fn loaded_view<T, Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    Fut: std::future::Future<Output = Result<T, AccessError>> + Send + 'static,
    V: IntoView + 'static,
{
    let loaded = Resource::new(|| (), move |_| load());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match loaded.await {
                        Ok(value) => render(value).into_any(),
                        Err(error) => view! { <AccessErrorView error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_link_carries_the_page_encoded() {
        assert_eq!(sign_in_href("/accessi"), "/auth/login?return_to=/accessi");
        assert_eq!(sign_in_href("/accessi?chi=altri&da=x"), "/auth/login?return_to=/accessi%3Fchi%3Daltri%26da%3Dx");
        assert_eq!(sign_in_href("/è"), "/auth/login?return_to=/%C3%A8");
    }
}
