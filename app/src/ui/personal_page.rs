//! How a personal-data page loads its content, and what it shows when the
//! server refuses.

use leptos::prelude::*;

use super::links::{current_path, sign_in_href};
use crate::i18n::use_texts;
use crate::identity::texts::identity_texts;
use crate::identity::AccessError;

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
        AccessError::Unavailable { request_id } => view! {
            <section role="alert" class="notice notice-error" aria-labelledby="non-disponibile">
                <h2 id="non-disponibile" class="text-xl font-semibold">{t.unavailable_title}</h2>
                <p class="mt-2">{format!("{} {request_id}.", t.unavailable_body)}</p>
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
