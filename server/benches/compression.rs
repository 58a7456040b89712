//! `cargo bench -p server --bench compression -- page.html …`: for each
//! page, the bytes and the CPU time of brotli at every quality and of gzip
//! at levels 1, 6 and 9, so that the quality of pages compressed on every
//! response (`page_cache::compress::PER_RESPONSE_BROTLI_QUALITY`) and of
//! the pages compressed once (`CACHED_BROTLI_QUALITY`) are chosen by
//! measurement. Without arguments it reads the pages that
//! `scripts/bench-pages.sh` saved in `target/bench-pages/`.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Each measurement repeats until this much time has passed.
const MEASURE_FOR: Duration = Duration::from_millis(300);

/// The median time of `compress` on `page`, and the bytes it gives.
fn measure(page: &[u8], compress: impl Fn(&[u8]) -> Vec<u8>) -> (Duration, usize) {
    let mut times = Vec::new();
    let started = Instant::now();
    let mut size = 0;
    while started.elapsed() < MEASURE_FOR || times.len() < 5 {
        let one = Instant::now();
        size = compress(page).len();
        times.push(one.elapsed());
    }
    times.sort();
    (times[times.len() / 2], size)
}

fn brotli(page: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        writer.write_all(page).expect("compress");
    }
    out
}

fn gzip(page: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder.write_all(page).expect("compress");
    encoder.finish().expect("compress")
}

fn pages() -> Vec<PathBuf> {
    let given: Vec<PathBuf> = std::env::args().skip(1).filter(|arg| !arg.starts_with('-')).map(PathBuf::from).collect();
    if !given.is_empty() {
        return given;
    }
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-pages");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()).collect())
        .unwrap_or_default();
    found.retain(|path| path.extension().is_some_and(|e| e == "html"));
    found.sort();
    found
}

fn main() {
    let pages = pages();
    if pages.is_empty() {
        eprintln!("no pages: give HTML files, or run scripts/bench-pages.sh first (it saves target/bench-pages/)");
        return;
    }
    for path in pages {
        let page = std::fs::read(&path).expect("page");
        println!("\n{} — {} bytes", path.display(), page.len());
        println!("{:<12} {:>9} {:>7} {:>10}", "encoder", "bytes", "ratio", "time");
        let row = |name: String, (time, size): (Duration, usize)| {
            println!(
                "{name:<12} {size:>9} {:>6.1}% {:>8.2}ms",
                size as f64 * 100.0 / page.len() as f64,
                time.as_secs_f64() * 1000.0
            );
        };
        for quality in 0..=11 {
            row(format!("brotli {quality}"), measure(&page, |page| brotli(page, quality)));
        }
        for level in [1, 6, 9] {
            row(format!("gzip {level}"), measure(&page, |page| gzip(page, level)));
        }
    }
}
