//! The phone menu button: the only interactive part of the frame, so the
//! only part of it shipped as wasm (an island).
//!
//! Without JavaScript the navigation is simply always open. Once hydrated,
//! the button appears on small screens and the navigation starts closed.
//! State lives in a `data-menu` attribute on the navigation, which the
//! server never renders, so the islands router's page diff leaves it alone.

use leptos::prelude::*;

// A plain component when built without islands: only the size comparison
// of docs/decisions/0001-islands.md builds that way.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
pub fn MenuToggle(label: String, controls: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let open = RwSignal::new(false);
    let target = controls.clone();
    Effect::new(move |_| {
        hydrated.set(true);
        set_menu_state(&target, open.get());
    });
    view! {
        <button
            type="button"
            class="menu-toggle inline-flex items-center gap-2 rounded border border-white px-3 py-2 font-semibold md:hidden"
            hidden=move || !hydrated.get()
            aria-expanded=move || open.get().to_string()
            aria-controls=controls
            on:click=move |_| open.update(|open| *open = !*open)
        >
            <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2">
                <path d="M4 7h16M4 12h16M4 17h16" />
            </svg>
            {label}
        </button>
    }
}

/// Marks the navigation open or closed; CSS hides it on phones when closed.
fn set_menu_state(nav_id: &str, open: bool) {
    let nav =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id(nav_id));
    if let Some(nav) = nav {
        let _ = nav.set_attribute("data-menu", if open { "open" } else { "closed" });
    }
}
