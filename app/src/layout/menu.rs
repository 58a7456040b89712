//! The phone menu: the only interactive part of the frame, so the only part
//! of it shipped as wasm (an island).
//!
//! The server renders a "Menu" link and the service navigation closed on
//! phones (`data-menu="closed"`), so nothing moves when the island wakes up.
//! Without JavaScript the link leads to the list of every service in the
//! footer. Once hydrated, the link opens and closes the navigation in place
//! and says so (`aria-expanded`). Every page the islands router brings in
//! renders both attributes again, so a new page starts with the menu closed.

use leptos::prelude::*;

// A plain component when built without islands: only the size comparison
// of docs/decisions/0001-islands.md builds that way.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
pub fn MenuToggle(label: String, controls: String, list: String) -> impl IntoView {
    let link = NodeRef::<leptos::html::A>::new();
    Effect::new(move |_| {
        // For the end-to-end tests: the link now opens the menu in place.
        if let Some(link) = link.get() {
            let _ = link.set_attribute("data-hydrated", "");
        }
    });
    let target = controls.clone();
    view! {
        <a
            node_ref=link
            href=format!("#{list}")
            target="_self"
            class="menu-toggle inline-flex items-center gap-2 rounded border border-white px-3 py-2 font-semibold text-white no-underline md:hidden"
            aria-controls=controls
            aria-expanded="false"
            on:click=move |event| {
                event.prevent_default();
                toggle(&target, event.current_target());
            }
        >
            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2">
                <path d="M4 7h16M4 12h16M4 17h16" />
            </svg>
            {label}
        </a>
    }
}

/// Opens the navigation if it is closed and the other way round, reading
/// the state from the page (a page brought in by the router may have closed
/// it) and writing it on the navigation and on the link.
fn toggle(nav_id: &str, link: Option<web_sys::EventTarget>) {
    use wasm_bindgen::JsCast;
    let nav =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id(nav_id));
    let Some(nav) = nav else { return };
    let open = nav.get_attribute("data-menu").as_deref() != Some("open");
    let _ = nav.set_attribute("data-menu", if open { "open" } else { "closed" });
    if let Some(link) = link.and_then(|target| target.dyn_into::<web_sys::Element>().ok()) {
        let _ = link.set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
}
