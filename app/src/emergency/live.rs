//! The live part of the ER board: an island that listens to
//! `/pronto-soccorso/in-diretta` (server-sent events) and writes each unit's
//! new numbers into the server-rendered board, found by its `data-er`
//! attributes. Without JavaScript the board is complete, just not live.

use leptos::prelude::*;

/// The attribute values the island looks for (rendered by `pages.rs`).
pub fn cell_key(kind: &str, colour_key: &str) -> String {
    format!("{kind}-{colour_key}")
}

#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
pub fn ErLiveUpdates(live_on: String, live_updated: String, live_lost: String) -> impl IntoView {
    // The connection's state is announced; each update only shown.
    let (status, set_status) = signal(String::new());
    let (last, set_last) = signal(String::new());
    #[cfg(feature = "hydrate")]
    {
        let source = browser::listen(set_status, set_last, live_on, live_updated, live_lost);
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || {
            if let Some(source) = source.take() {
                source.close();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_status, set_last, live_on, live_updated, live_lost);
    view! {
        <p class="mt-2 text-muted" role="status" data-er-live="">{status}</p>
        <p class="text-muted" data-er-last="">{last}</p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{EventSource, MessageEvent};

    use super::super::model::Triage;
    use super::cell_key;

    /// Opens the stream; the closures live as long as the page.
    pub fn listen(
        set_status: WriteSignal<String>,
        set_last: WriteSignal<String>,
        live_on: String,
        live_updated: String,
        live_lost: String,
    ) -> Option<EventSource> {
        let source = EventSource::new("/pronto-soccorso/in-diretta").ok()?;
        // After a broken connection the page reloads: updates sent while it
        // was away are not replayed.
        let broken = std::rc::Rc::new(std::cell::Cell::new(false));
        let was_broken = broken.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if was_broken.get() {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }
            set_status.set(live_on.clone());
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let on_unit = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(update) = event.data().as_string().and_then(|data| js_sys::JSON::parse(&data).ok()) {
                if let Some(label) = apply(&update) {
                    set_last.set(format!("{live_updated} {label}"));
                }
            }
        });
        let _ = source.add_event_listener_with_callback("unit", on_unit.as_ref().unchecked_ref());
        on_unit.forget();
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            broken.set(true);
            // The browser retries by itself; only a closed stream is lost.
            if watched.ready_state() == EventSource::CLOSED {
                set_status.set(live_lost.clone());
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        Some(source)
    }

    fn field(value: &JsValue, name: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    fn set_text(unit: &web_sys::Element, key: &str, text: &str) {
        if let Ok(Some(cell)) = unit.query_selector(&format!("[data-er=\"{key}\"]")) {
            cell.set_text_content(Some(text));
        }
    }

    /// Asks for the position; on success loads `page` sorted from it.
    pub fn locate(set_message: WriteSignal<String>, unavailable: String, page: String) {
        let Some(window) = web_sys::window() else { return };
        let Ok(geolocation) = window.navigator().geolocation() else {
            set_message.set(unavailable);
            return;
        };
        let found = Closure::once_into_js(move |position: web_sys::Position| {
            let coords = position.coords();
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_href(&format!(
                    "{page}?lat={:.4}&lon={:.4}",
                    coords.latitude(),
                    coords.longitude()
                ));
            }
        });
        let failed = Closure::once_into_js(move || set_message.set(unavailable));
        let _ =
            geolocation.get_current_position_with_error_callback(found.unchecked_ref(), Some(failed.unchecked_ref()));
    }

    /// Writes one update into its unit; returns "unit name hh:mm".
    fn apply(update: &JsValue) -> Option<String> {
        let code = field(update, "unit").as_string()?;
        let document = web_sys::window()?.document()?;
        let unit = document.query_selector(&format!("[data-er-unit=\"{code}\"]")).ok()??;
        // A unit that had no data when the page was made has no cells yet.
        unit.query_selector("[data-er=\"waiting-red\"]").ok()??;
        for (kind, name) in [("waiting", "waiting"), ("treating", "in_treatment"), ("wait", "mean_wait_minutes")] {
            let values = js_sys::Array::from(&field(update, name));
            for (i, triage) in Triage::ALL.iter().enumerate() {
                let value = values.get(i as u32);
                let text = match value.as_f64() {
                    Some(n) if kind == "wait" => super::super::model::minutes_text(n as u32),
                    Some(n) => (n as u32).to_string(),
                    None => "—".to_string(),
                };
                set_text(&unit, &cell_key(kind, triage.key()), &text);
            }
        }
        let reported = field(update, "reported_local").as_string().unwrap_or_default();
        set_text(&unit, "updated", &reported);
        if let Ok(Some(stale)) = unit.query_selector("[data-er=\"stale\"]") {
            stale.set_class_name("hidden");
        }
        let name = unit.get_attribute("data-er-name").unwrap_or(code);
        Some(format!("{name} {}", reported.rsplit(' ').next().unwrap_or_default()))
    }
}

/// "Use my position": asks the browser for the device position and shows
/// `page` (the ER board, "Dove andare adesso") sorted from it
/// (`?lat=…&lon=…`). Hidden until hydrated: without JavaScript the town
/// field does the same job.
#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
pub fn UsePositionButton(label: String, unavailable: String, page: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let (message, set_message) = signal(String::new());
    Effect::new(move |_| hydrated.set(true));
    let locate = move |_| {
        #[cfg(feature = "hydrate")]
        browser::locate(set_message, unavailable.clone(), page.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = (set_message, &unavailable, &page);
    };
    view! {
        <button type="button" class="button-secondary" hidden=move || !hydrated.get() on:click=locate>
            {label}
        </button>
        <p class="basis-full" role="status">{message}</p>
    }
}
