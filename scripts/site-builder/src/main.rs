//! `site-builder WASM OUT_DIR NAME`: turns the browser crate's compiled wasm
//! into the files the hydration script loads — `OUT_DIR/NAME.js` (ES module
//! for `--target web`) and `OUT_DIR/NAME.wasm` — exactly as the wasm-bindgen
//! CLI would, through the library the CLI itself is built on. Optimising,
//! hashing and compressing the files is left to `scripts/setup.sh`.

use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [wasm, out_dir, name] = args.as_slice() else {
        eprintln!("usage: site-builder WASM OUT_DIR NAME");
        return ExitCode::from(2);
    };
    match generate(wasm.into(), out_dir.into(), name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("site-builder: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate(wasm: PathBuf, out_dir: PathBuf, name: &str) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&out_dir)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name(name)
        .web(true)?
        .typescript(false)
        .generate(&out_dir)?;
    // wasm-bindgen names the module NAME_bg.wasm; Leptos' hydration script
    // loads NAME.wasm (or its hashed name) — same rename as cargo-leptos.
    std::fs::rename(out_dir.join(format!("{name}_bg.wasm")), out_dir.join(format!("{name}.wasm")))?;
    Ok(())
}
