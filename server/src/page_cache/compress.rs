//! Compressing a cached page once, and choosing what a request accepts.

use std::io::Write;

use axum::http::{header, HeaderMap};

/// Brotli quality of pages compressed once per change and served many
/// times. Measured on the ER board (88 KB, `cargo bench --bench
/// compression`, docs/MEASUREMENTS.md): 10 gives 9,228 bytes in 24 ms,
/// 11 only 1.6 % fewer bytes in 108 ms, a cost paid at every ER report.
pub const CACHED_BROTLI_QUALITY: u32 = 10;

/// Brotli quality of pages compressed on every response (personal pages,
/// pages past the cache). Measured on the signed-in home page and
/// `/fascicolo` (30 KB, `cargo bench --bench compression`, PERFORMANCE.md):
/// quality 1 takes 0.21 ms and gives 9.3 KB, quality 4 0.42 ms and 8.1 KB.
/// At about 1.2 ms of CPU per signed-in page, quality 4 was a third of it;
/// 1.2 KB more is about 1 ms on a phone's 4G. So quality 1, brotli's fast
/// one-pass mode.
pub const PER_RESPONSE_BROTLI_QUALITY: u32 = 1;

/// Brotli window: 4 MiB, past the largest page.
const BROTLI_WINDOW: u32 = 22;

pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, quality, BROTLI_WINDOW);
        // Writing into a Vec cannot fail.
        let _ = writer.write_all(bytes);
    }
    out
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A representation of a cached page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// The best the request accepts (`Accept-Encoding`, with `q=0`
    /// meaning "not this one").
    pub fn accepted(headers: &HeaderMap) -> Encoding {
        let accepts = |wanted: &str| {
            headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
                value.split(',').any(|item| {
                    let mut parts = item.split(';');
                    let name = parts.next().unwrap_or_default().trim();
                    let refused = parts.any(|param| {
                        param.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
                    });
                    name.eq_ignore_ascii_case(wanted) && !refused
                })
            })
        };
        if accepts("br") {
            Encoding::Brotli
        } else if accepts("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    /// The suffix that makes each representation's `ETag` its own.
    pub fn tag(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gz",
            Encoding::Identity => "id",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn with(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, accept.parse().unwrap());
        headers
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        assert_eq!(Encoding::accepted(&with("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(Encoding::accepted(&with("gzip")), Encoding::Gzip);
        assert_eq!(Encoding::accepted(&with("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(Encoding::accepted(&with("identity")), Encoding::Identity);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn both_encodings_give_back_the_page() {
        let page = "<p>Pronto Soccorso</p>".repeat(500);
        let mut unbrotli = String::new();
        brotli::Decompressor::new(&brotli(page.as_bytes(), 5)[..], 4096).read_to_string(&mut unbrotli).unwrap();
        assert_eq!(unbrotli, page);
        let mut ungzip = String::new();
        flate2::read::GzDecoder::new(&gzip(page.as_bytes())[..]).read_to_string(&mut ungzip).unwrap();
        assert_eq!(ungzip, page);
    }
}
