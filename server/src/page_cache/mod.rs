//! Public pages rendered once per change and served from memory.
//!
//! A public page (home, ER board, privacy, accessibility) is the same for
//! every visitor without a session who asks for the same address in the
//! same language. The first such request renders it; the page is kept with
//! its brotli and gzip bytes (compressed once) and served to everyone until
//! its data changes (the ER board's version moves with every applied
//! report) or it is older than the route's freshness. Requests with any
//! cookie but `lang` (a session, the "was signed in" marker) are never
//! served from here: they may show a person's name or a one-time notice.
//! Design and measurements: docs/PERFORMANCE.md.

pub mod compress;
mod policy;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use compress::Encoding;

/// Pages larger than this are served as rendered, never kept.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Addresses with a longer query are served as rendered (no unbounded keys).
const MAX_QUERY_BYTES: usize = 256;
/// Kept pages at most (each filter combination and language is one).
const MAX_ENTRIES: usize = 512;

/// A page that may be kept.
#[derive(Clone)]
pub struct CachedRoute {
    pub path: &'static str,
    /// A page older than this is rendered again (texts that depend on the
    /// time, such as a unit whose data are late).
    pub fresh_for: Duration,
    /// Moves when the page's data change: the kept page is dropped at once.
    pub version: Option<Arc<AtomicU64>>,
    /// `s-maxage` for a shared cache in front (a proxy or CDN).
    pub shared_max_age: Duration,
}

/// The public pages, each with how long it stays fresh. The ER board and
/// "Dove andare adesso" are also dropped at every applied report
/// (`board_version`); the others change only with a new release.
pub fn public_routes(board_version: Arc<AtomicU64>) -> Vec<CachedRoute> {
    let page = |path, fresh_for, shared_max_age| CachedRoute {
        path,
        fresh_for: Duration::from_secs(fresh_for),
        version: None,
        shared_max_age: Duration::from_secs(shared_max_age),
    };
    vec![
        // "Data late" marks depend on the clock: rendered again every 5 s
        // even without reports; a proxy in front keeps it 1 s.
        CachedRoute { version: Some(board_version.clone()), ..page("/pronto-soccorso", 5, 1) },
        // Open or closed depends on the clock, and it shows the ER waits.
        CachedRoute { version: Some(board_version), ..page("/dove-andare", 5, 1) },
        page("/", 60, 30),
        page("/privacy", 300, 60),
        page("/accessibilita", 300, 60),
    ]
}

/// The kept public pages of this process.
pub struct PageCache {
    routes: Vec<CachedRoute>,
    entries: Mutex<HashMap<Key, Entry>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path: &'static str,
    query: String,
    lang: String,
    /// The islands router asks for pages it diffs into the current one.
    islands_router: bool,
}

struct Entry {
    born: Instant,
    version: u64,
    /// Filled by the first request; the others wait for that render.
    page: Arc<OnceCell<Arc<KeptPage>>>,
}

struct KeptPage {
    /// The rendered response's headers (content type, the page's CSP).
    headers: Vec<(HeaderName, HeaderValue)>,
    etag: String,
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
    cache_control: HeaderValue,
}

impl KeptPage {
    fn etag_for(&self, encoding: Encoding) -> String {
        format!("\"{}-{}\"", self.etag, encoding.tag())
    }

    fn response(&self, wanted: &Wanted) -> Response {
        let encoding = wanted.encoding;
        let etag = self.etag_for(encoding);
        let not_modified = wanted
            .if_none_match
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| value.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag));
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let body = match encoding {
                Encoding::Brotli => self.brotli.clone(),
                Encoding::Gzip => self.gzip.clone(),
                Encoding::Identity => self.identity.clone(),
            };
            let mut response = Response::new(Body::from(body));
            for (name, value) in &self.headers {
                response.headers_mut().append(name.clone(), value.clone());
            }
            if let Some(coding) = encoding.header() {
                response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            response
        };
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding, Cookie"));
        response
    }
}

/// What a request asks of a kept page, read before the request goes on to
/// be rendered (it is moved there): the encoding and the tags it holds.
struct Wanted {
    encoding: Encoding,
    if_none_match: Vec<HeaderValue>,
}

impl Wanted {
    fn of(headers: &HeaderMap) -> Wanted {
        Wanted {
            encoding: Encoding::accepted(headers),
            if_none_match: headers.get_all(header::IF_NONE_MATCH).iter().cloned().collect(),
        }
    }
}

/// What to do with a request.
enum Plan {
    /// Not a public page, or a visitor with a session: render as usual.
    PassThrough,
    Cache(Key, CachedRoute),
}

impl PageCache {
    pub fn new(routes: Vec<CachedRoute>) -> PageCache {
        PageCache { routes, entries: Mutex::new(HashMap::new()) }
    }

    fn plan(&self, request: &Request) -> Plan {
        if request.method() != Method::GET {
            return Plan::PassThrough;
        }
        let Some(route) = self.routes.iter().find(|route| route.path == request.uri().path()) else {
            return Plan::PassThrough;
        };
        let query = request.uri().query().unwrap_or_default();
        if query.len() > MAX_QUERY_BYTES {
            return Plan::PassThrough;
        }
        let Some(lang) = anonymous_language(request.headers()) else { return Plan::PassThrough };
        let key = Key {
            path: route.path,
            query: query.to_string(),
            lang,
            islands_router: request.headers().contains_key("islands-router"),
        };
        Plan::Cache(key, route.clone())
    }

    /// The cell to read or fill for `key`: the kept one while fresh, else a
    /// new one (the stale page is dropped). `None` when the cache is full
    /// of fresh pages: the request renders without keeping.
    fn cell(&self, key: &Key, route: &CachedRoute) -> Option<Arc<OnceCell<Arc<KeptPage>>>> {
        let version = route.version.as_ref().map_or(0, |version| version.load(Ordering::Acquire));
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = entries.get(key) {
            if entry.version == version && now.duration_since(entry.born) < route.fresh_for {
                return Some(entry.page.clone());
            }
        }
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
            let routes = &self.routes;
            entries.retain(|key, entry| {
                routes.iter().find(|route| route.path == key.path).is_some_and(|route| {
                    let current = route.version.as_ref().map_or(0, |version| version.load(Ordering::Acquire));
                    entry.version == current && now.duration_since(entry.born) < route.fresh_for
                })
            });
            if entries.len() >= MAX_ENTRIES {
                return None;
            }
        }
        let page = Arc::new(OnceCell::new());
        entries.insert(key.clone(), Entry { born: now, version, page: page.clone() });
        Some(page)
    }
}

/// The middleware: serves kept public pages, and keeps the ones it renders.
pub async fn serve_public_pages(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Plan::Cache(key, route) = cache.plan(&request) else {
        return next.run(request).await;
    };
    let Some(cell) = cache.cell(&key, &route) else {
        return next.run(request).await;
    };
    let wanted = Wanted::of(request.headers());
    let mut rendered = None;
    let kept = cell
        .get_or_try_init(|| async {
            match keep(next.run(request).await, &route).await {
                Ok(page) => Ok(page),
                Err(response) => {
                    rendered = Some(response);
                    Err(())
                }
            }
        })
        .await;
    match (kept, rendered) {
        (Ok(page), _) => page.response(&wanted),
        // Not a page to keep (an error, a redirect, a cookie set): as rendered.
        (Err(()), Some(response)) => response,
        (Err(()), None) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Keeps a rendered response, or gives it back when it is not one to keep.
async fn keep(response: Response, route: &CachedRoute) -> Result<Arc<KeptPage>, Response> {
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    let Ok(identity) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    };
    let html = String::from_utf8_lossy(&identity);
    let headers = parts
        .headers
        .iter()
        .filter(|(name, _)| {
            ![header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::DATE, header::CACHE_CONTROL].contains(name)
        })
        .map(|(name, value)| match (name, value.to_str()) {
            // Served to many: the page's scripts are allowed by their
            // hashes, never by a nonce that everyone could read.
            (&header::CONTENT_SECURITY_POLICY, Ok(page_policy)) => {
                let hashed = policy::hashed(page_policy, &html);
                (name.clone(), HeaderValue::from_str(&hashed).unwrap_or_else(|_| value.clone()))
            }
            _ => (name.clone(), value.clone()),
        })
        .collect();
    let etag = hex::encode(&Sha256::digest(&identity)[..12]);
    // Compressing 100 KB at brotli 10 takes about 25 ms: off the runtime's
    // worker threads, once per change.
    let source = identity.clone();
    let (brotli, gzip) = tokio::task::spawn_blocking(move || {
        (compress::brotli(&source, compress::CACHED_BROTLI_QUALITY), compress::gzip(&source))
    })
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    let shared = route.shared_max_age.as_secs();
    let cache_control = HeaderValue::from_str(&format!(
        "public, max-age=0, must-revalidate, s-maxage={shared}, stale-while-revalidate={}",
        shared * 2
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("no-cache"));
    Ok(Arc::new(KeptPage {
        headers,
        etag,
        identity,
        brotli: Bytes::from(brotli),
        gzip: Bytes::from(gzip),
        cache_control,
    }))
}

/// The language of a visitor with no cookie but `lang` (`Some("")` when
/// none is chosen); `None` when any other cookie comes with the request.
fn anonymous_language(headers: &HeaderMap) -> Option<String> {
    let mut lang = String::new();
    for value in headers.get_all(header::COOKIE) {
        let value = value.to_str().ok()?;
        for pair in value.split(';').map(str::trim).filter(|pair| !pair.is_empty()) {
            match pair.split_once('=') {
                Some((app::i18n::LANG_COOKIE, chosen)) => lang = chosen.to_string(),
                _ => return None,
            }
        }
    }
    Some(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, value.parse().unwrap());
        headers
    }

    #[test]
    fn only_visitors_without_a_session_share_pages() {
        assert_eq!(anonymous_language(&HeaderMap::new()), Some(String::new()));
        assert_eq!(anonymous_language(&cookie("lang=en")), Some("en".into()));
        assert_eq!(anonymous_language(&cookie("lang=en; portale_sessione=abc")), None);
        assert_eq!(anonymous_language(&cookie("portale_accesso=1")), None);
    }

    fn board_route(version: Option<Arc<AtomicU64>>) -> CachedRoute {
        CachedRoute {
            path: "/pronto-soccorso",
            fresh_for: Duration::from_secs(60),
            version,
            shared_max_age: Duration::from_secs(1),
        }
    }

    fn key() -> Key {
        Key { path: "/pronto-soccorso", query: String::new(), lang: String::new(), islands_router: false }
    }

    #[test]
    fn a_kept_page_is_dropped_when_its_data_change() {
        let version = Arc::new(AtomicU64::new(0));
        let cache = PageCache::new(vec![board_route(Some(version.clone()))]);
        let route = board_route(Some(version.clone()));
        let first = cache.cell(&key(), &route).unwrap();
        assert!(Arc::ptr_eq(&first, &cache.cell(&key(), &route).unwrap()), "the same page while nothing changed");
        version.fetch_add(1, Ordering::Release);
        assert!(!Arc::ptr_eq(&first, &cache.cell(&key(), &route).unwrap()), "a new page after a change");
    }

    #[test]
    fn a_kept_page_is_dropped_when_it_is_no_longer_fresh() {
        let cache = PageCache::new(vec![board_route(None)]);
        let stale = CachedRoute { fresh_for: Duration::ZERO, ..board_route(None) };
        let first = cache.cell(&key(), &stale).unwrap();
        assert!(!Arc::ptr_eq(&first, &cache.cell(&key(), &stale).unwrap()));
    }

    #[tokio::test]
    async fn a_kept_page_answers_304_to_its_own_etag_and_serves_the_accepted_encoding() {
        let mut rendered = Response::new(Body::from("<html>tabellone</html>"));
        rendered.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        let page = keep(rendered, &board_route(None)).await.unwrap_or_else(|_| panic!("the page is kept"));
        let mut request = HeaderMap::new();
        request.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("br"));
        let first = page.response(&Wanted::of(&request));
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()[header::CONTENT_ENCODING], "br");
        let etag = first.headers()[header::ETAG].clone();
        request.insert(header::IF_NONE_MATCH, etag);
        assert_eq!(page.response(&Wanted::of(&request)).status(), StatusCode::NOT_MODIFIED);
        request.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        assert_eq!(
            page.response(&Wanted::of(&request)).status(),
            StatusCode::OK,
            "another representation, another tag"
        );
    }

    #[tokio::test]
    async fn a_response_that_sets_a_cookie_is_never_kept() {
        let mut rendered = Response::new(Body::from("<html></html>"));
        rendered.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_static("portale_sessione=x"));
        assert!(keep(rendered, &board_route(None)).await.is_err());
        let redirect = Response::builder().status(StatusCode::SEE_OTHER).body(Body::empty()).unwrap();
        assert!(keep(redirect, &board_route(None)).await.is_err());
    }
}
