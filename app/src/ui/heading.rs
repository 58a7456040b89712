//! The title block of a page and the decorative icons.

use leptos::prelude::*;

/// The title block at the top of a page: one `<h1>` and an optional lead.
#[component]
pub fn PageHeading(title: &'static str, #[prop(optional)] lead: Option<&'static str>) -> impl IntoView {
    view! {
        <h1 class="text-3xl font-bold text-primary-dark sm:text-4xl">{title}</h1>
        {lead.map(|lead| view! { <p class="mt-3 max-w-prose text-lg">{lead}</p> })}
    }
}

/// A decorative 24×24 stroked icon; hidden from screen readers.
#[component]
pub fn Icon(path: &'static str, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! {
        <svg
            aria-hidden="true"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
            class=class
        >
            <path d=path />
        </svg>
    }
}
