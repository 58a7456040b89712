//! A form that leaves the islands router: submitted as a normal navigation.

use leptos::prelude::*;

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
            form_listener::install(&marker);
        }
    });
    view! { <span node_ref=marker hidden=true></span> }
}

#[cfg(feature = "hydrate")]
mod form_listener {
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
mod form_listener {
    pub fn install(_marker: &leptos::web_sys::HtmlElement) {}
}
