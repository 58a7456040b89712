//! Browser entry of Portale Salute: compiled to wasm32 and loaded by the
//! hydration script that the server puts in every page.

// Links the app crate even when no item of it is named here (islands mode):
// its islands are `#[wasm_bindgen]` exports the hydration script calls.
extern crate app;

/// Called by the Leptos hydration script once the wasm module is loaded.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    start();
}

/// Islands mode (shipped): the script hydrates each `<leptos-island>`; this
/// only sets up the reactive root they share.
#[cfg(feature = "islands")]
fn start() {
    leptos::mount::hydrate_islands();
}

/// Full hydration, kept buildable only to measure it against islands
/// (scripts/measure-first-load.sh, docs/decisions/0001-islands.md).
#[cfg(not(feature = "islands"))]
fn start() {
    leptos::mount::hydrate_body(app::App);
}
