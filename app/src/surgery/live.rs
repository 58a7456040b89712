//! The live part of a case page: an island that listens to
//! `/interventi/{id}/in-diretta` (server-sent events) and writes each new
//! phase into the server-rendered timeline, found by its `data-phase`
//! attributes. An `ended` event (authorisation withdrawn or expired) stops
//! it for good. Without JavaScript the timeline is complete, just not live.

use leptos::prelude::*;

#[cfg_attr(feature = "islands", island)]
#[cfg_attr(not(feature = "islands"), component)]
#[allow(clippy::too_many_arguments)] // island props are plain values
pub fn CaseLiveUpdates(
    case_id: i64,
    live_on: String,
    live_updated: String,
    live_ended: String,
    live_lost: String,
    /// The phase names, in `Phase::ALL` order.
    labels: Vec<String>,
    done: String,
    current: String,
) -> impl IntoView {
    let (status, set_status) = signal(String::new());
    let (last, set_last) = signal(String::new());
    #[cfg(feature = "hydrate")]
    {
        let texts = browser::Texts { live_on, live_updated, live_ended, live_lost, labels, done, current };
        let source = browser::listen(case_id, set_status, set_last, texts);
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || {
            if let Some(source) = source.take() {
                source.close();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (case_id, set_status, set_last, live_on, live_updated, live_ended, live_lost, labels, done, current);
    view! {
        <p class="mt-2 text-muted" role="status" data-case-live="">{status}</p>
        <p class="text-muted" data-case-last="">{last}</p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{Element, EventSource, MessageEvent};

    use super::super::model::Phase;

    pub struct Texts {
        pub live_on: String,
        pub live_updated: String,
        pub live_ended: String,
        pub live_lost: String,
        pub labels: Vec<String>,
        pub done: String,
        pub current: String,
    }

    /// Opens the stream; the closures live as long as the page.
    pub fn listen(
        case_id: i64,
        set_status: WriteSignal<String>,
        set_last: WriteSignal<String>,
        texts: Texts,
    ) -> Option<EventSource> {
        let source = EventSource::new(&format!("/interventi/{case_id}/in-diretta")).ok()?;
        let texts = std::rc::Rc::new(texts);
        // After a broken connection the page reloads: phases reached while
        // it was away are not replayed.
        let broken = std::rc::Rc::new(std::cell::Cell::new(false));
        let on_open = {
            let (broken, texts) = (broken.clone(), texts.clone());
            Closure::<dyn FnMut()>::new(move || {
                if broken.get() {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                }
                set_status.set(texts.live_on.clone());
            })
        };
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let on_phase = {
            let texts = texts.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(update) = event.data().as_string().and_then(|data| js_sys::JSON::parse(&data).ok()) {
                    if let Some(label) = apply(&update, &texts) {
                        set_last.set(format!("{} {label}", texts.live_updated));
                    }
                }
            })
        };
        let _ = source.add_event_listener_with_callback("phase", on_phase.as_ref().unchecked_ref());
        on_phase.forget();
        let on_ended = {
            let (texts, ended_source) = (texts.clone(), source.clone());
            Closure::<dyn FnMut()>::new(move || {
                ended_source.close();
                set_status.set(texts.live_ended.clone());
            })
        };
        let _ = source.add_event_listener_with_callback("ended", on_ended.as_ref().unchecked_ref());
        on_ended.forget();
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            broken.set(true);
            // The browser retries by itself; only a closed stream is lost.
            if watched.ready_state() == EventSource::CLOSED {
                set_status.set(texts.live_lost.clone());
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        Some(source)
    }

    fn text_field(value: &JsValue, name: &str) -> Option<String> {
        js_sys::Reflect::get(value, &JsValue::from_str(name)).ok()?.as_string()
    }

    fn set_state(step: &Element, state: &str, label: &str) {
        let _ = step.set_attribute("data-state", state);
        if let Ok(Some(text)) = step.query_selector("[data-phase-state]") {
            text.set_text_content(Some(&format!(" — {label}")));
        }
    }

    /// Writes one phase into the timeline; returns "phase hh:mm".
    fn apply(update: &JsValue, texts: &Texts) -> Option<String> {
        let phase = Phase::from_code(&text_field(update, "phase")?)?;
        let current = Phase::from_code(&text_field(update, "current")?)?;
        let at_local = text_field(update, "at_local").unwrap_or_default();
        let document = web_sys::window()?.document()?;
        let timeline = document.query_selector("ol[data-current]").ok()??;
        let label = texts.labels.get(phase as usize).cloned().unwrap_or_default();
        // The last step shows "back to ward" until intensive care happens.
        let step = match timeline.query_selector(&format!("[data-phase=\"{}\"]", phase.code())).ok()? {
            Some(step) => step,
            None if phase.is_end() => {
                let step = timeline.query_selector("li:last-child").ok()??;
                let _ = step.set_attribute("data-phase", phase.code());
                if let Ok(Some(name)) = step.query_selector("[data-phase-label]") {
                    name.set_text_content(Some(&label));
                }
                step
            }
            None => return None,
        };
        if let Ok(Some(time)) = step.query_selector("[data-phase-time]") {
            time.set_text_content(Some(&at_local));
            let _ = time.set_attribute("datetime", &text_field(update, "at_utc").unwrap_or_default());
        }
        if current == phase {
            if let Ok(previous) = timeline.query_selector_all("[data-state=\"current\"]") {
                for i in 0..previous.length() {
                    if let Some(element) = previous.get(i).and_then(|node| node.dyn_into::<Element>().ok()) {
                        set_state(&element, "done", &texts.done);
                    }
                }
            }
            set_state(&step, "current", &texts.current);
            let _ = timeline.set_attribute("data-current", phase.code());
        } else {
            set_state(&step, "done", &texts.done);
        }
        Some(format!("{label} {}", at_local.rsplit(' ').next().unwrap_or_default()))
    }
}
