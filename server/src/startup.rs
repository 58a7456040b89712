//! Builds the HTTP application: state, routes, middleware; binds the
//! listener and serves until a shutdown signal.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use crate::identity::session_store::Sessions;
use app::identity::AccessError;
use app::{shell, App};
use axum::{
    body::Body,
    extract::{ConnectInfo, DefaultBodyLimit},
    handler::HandlerWithoutStateExt,
    http::{header, HeaderName, HeaderValue, Request, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::{
    compression::{CompressionLayer, CompressionLevel},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeader,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::ExpiredDeletion;

use crate::{
    config::Settings,
    cup, db, delegations, demo, doctors, emergency, fse, health,
    identity::{self, oidc::OidcClient},
    ingest, jobs, language, notifications, page_cache, payments, pharmacy, prevention, screening, security,
    state::AppState,
    surgery, vaccinations,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Database(#[from] db::OpenError),
    #[error("database: {0}")]
    Query(#[from] sqlx::Error),
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("identity provider settings: {0}")]
    Identity(#[from] identity::oidc::LoginError),
}

/// How often expired sessions are deleted from the database.
const SESSION_CLEANUP_PERIOD: Duration = Duration::from_secs(5 * 60);

/// A connection that has not sent a whole request head within this long
/// is closed (slowloris). Also how long an idle keep-alive connection
/// waits for its next request. (A `PORTALE_HEADER_READ_TIMEOUT_SECONDS`
/// setting would belong in `config.rs`; tests use
/// [`Application::with_header_read_timeout`].)
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A built application with its listener bound, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    shutdown_grace: Duration,
    header_read_timeout: Duration,
}

/// Year-long caching for files whose name carries a content hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Unhashed static files (icons, manifest): an hour, then revalidate.
const SHORT_CACHE: &str = "public, max-age=3600";
/// Fonts change only with the font package: a week.
const FONT_CACHE: &str = "public, max-age=604800";
/// Development builds reuse file names: always revalidate.
const NO_CACHE: &str = "no-cache";
static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let pool = db::connect(&settings.database_url).await?;
        if settings.demo_data {
            demo::seed_if_empty(&pool).await?;
        }
        let address = SocketAddr::new(settings.host, settings.port);
        let listener = TcpListener::bind(address).await.map_err(|source| StartupError::Bind { address, source })?;
        let port = listener.local_addr().map_err(|source| StartupError::Bind { address, source })?.port();
        let leptos_options = LeptosOptions::builder()
            .output_name("portale")
            .site_root(settings.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(SocketAddr::new(settings.host, port))
            .hash_files(settings.hash_files)
            .build();
        let shutdown_grace = settings.shutdown_grace;
        let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{}:{port}", settings.host));
        let oidc = Arc::new(OidcClient::new(&settings, &public_url)?);
        let sessions = Sessions::open(&settings.database_url).await?;
        let state = AppState::new(pool, settings, leptos_options, oidc, sessions, &public_url);
        // Updates applied on the other instances reach this one's live pages.
        if db::Backend::of(&state.pool) == db::Backend::Postgres {
            let url = state.settings.database_url.clone();
            let listener = state.relay.listen(&url).await.map_err(|source| {
                StartupError::Database(db::OpenError::Unreachable { url: db::without_password(&url), source })
            })?;
            tokio::spawn(state.relay.clone().keep_listening(url, listener));
        }
        spawn_background_jobs(&state, &public_url);
        tracing::info!(%address, port, "Portale Salute listening");
        Ok(Application {
            listener,
            router: router(state),
            port,
            shutdown_grace,
            header_read_timeout: HEADER_READ_TIMEOUT,
        })
    }

    /// Another limit for reading a request head ([`HEADER_READ_TIMEOUT`]).
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Application {
        self.header_read_timeout = timeout;
        self
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish
    /// for at most the configured grace period.
    ///
    /// Connections are served by hyper's HTTP/1 connection builder rather
    /// than `axum::serve`, which has no header-read timeout: a client that
    /// never finishes its request head is disconnected after
    /// [`HEADER_READ_TIMEOUT`] instead of holding a connection for minutes.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Application { listener, router, shutdown_grace, header_read_timeout, .. } = self;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut connections = tokio::task::JoinSet::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            // Finished connections leave the set as new ones arrive.
            while connections.try_join_next().is_some() {}
            let (stream, remote) = match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            // What `into_make_service_with_connect_info` did: the client's
            // address for the session middleware and the rate limits.
            let service = router.clone().map_request(move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(ConnectInfo(remote));
                request
            });
            connections.spawn(serve_connection(stream, service, header_read_timeout, stop_rx.clone()));
        }
        tracing::info!("shutdown requested: finishing in-flight requests");
        drop(listener);
        let _ = stop_tx.send(true);
        let finished =
            tokio::time::timeout(shutdown_grace, async { while connections.join_next().await.is_some() {} }).await;
        if finished.is_err() {
            tracing::warn!("grace period over: closing remaining connections");
            connections.abort_all();
        }
        Ok(())
    }
}

/// Serves one connection: HTTP/1 with a header-read timeout (hyper needs a
/// timer for it), upgrades allowed, and a graceful end when `stop` turns.
async fn serve_connection<S>(
    stream: tokio::net::TcpStream,
    service: S,
    header_read_timeout: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) where
    S: tower::Service<Request<Incoming>, Response = axum::response::Response, Error = std::convert::Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).with_upgrades();
    let mut connection = std::pin::pin!(connection);
    let mut stopping = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    // Header timeouts, resets, half-sent requests: the client's doing.
                    tracing::debug!(%error, "connection closed");
                }
                return;
            }
            _ = stop.changed(), if !stopping => {
                stopping = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// The periodic jobs of this process (each also safe to run alone).
fn spawn_background_jobs(state: &AppState, public_url: &str) {
    let settings = &state.settings;
    let pool = &state.pool;
    // Each periodic job runs once per period across every instance (jobs.rs).
    let sessions = state.sessions.clone();
    tokio::spawn(jobs::every(pool.clone(), "session-cleanup", SESSION_CLEANUP_PERIOD, move || {
        let sessions = sessions.clone();
        async move {
            if let Err(error) = sessions.delete_expired().await {
                tracing::warn!(%error, "expired sessions not deleted");
            }
        }
    }));
    // Lapsed offers go to the next person; new agendas reach the waiting list.
    let (matching, hold) = (pool.clone(), settings.cup_offer_hold);
    tokio::spawn(jobs::every(pool.clone(), "waiting-list", settings.waiting_list_every, move || {
        cup::waiting_list::match_once(matching.clone(), hold)
    }));
    // Checkouts whose outcome never arrived are asked to the provider.
    let (reconciling, after) = (state.payments.clone(), settings.pagopa_reconcile_after);
    tokio::spawn(jobs::every(pool.clone(), "payment-reconciliation", settings.pagopa_reconcile_every, move || {
        payments::reconcile_once(reconciling.clone(), after)
    }));
    if let Some(every) = settings.reminders_every {
        let reminding = pool.clone();
        tokio::spawn(jobs::every(pool.clone(), "prevention-reminders", every, move || {
            prevention::reminders::remind_once(reminding.clone())
        }));
    }
    if settings.demo_feeds && settings.demo_data {
        // They post to this server's own ingest API once it listens. Each
        // keeps its simulation in memory, so one instance at a time runs
        // each feeder (a lease, jobs.rs); another takes over if it stops.
        let issuer = settings.oidc_issuer.clone();
        let portal_url = public_url.to_string();
        let every = settings.demo_feed_every;
        let lease = |job, every: Duration| jobs::Lease {
            pool: pool.clone(),
            job,
            holder: state.relay.instance().to_string(),
            ttl: (every * 3).max(Duration::from_secs(5)),
        };
        tokio::spawn(
            emergency::feeder::Feeder {
                pool: pool.clone(),
                issuer: issuer.clone(),
                portal_url: portal_url.clone(),
                every,
                lease: lease("demo-er-feed", every),
            }
            .keep_feeding(),
        );
        // An operation's phases and a kit's steps are further apart than ER reports.
        tokio::spawn(
            surgery::feeder::Feeder {
                pool: pool.clone(),
                issuer: issuer.clone(),
                portal_url: portal_url.clone(),
                every: every * 10,
                lease: lease("demo-surgery-feed", every * 10),
            }
            .keep_feeding(),
        );
        tokio::spawn(
            screening::feeder::Feeder {
                pool: pool.clone(),
                issuer,
                portal_url,
                every: every * 10,
                lease: lease("demo-screening-feed", every * 10),
            }
            .keep_feeding(),
        );
    }
}

/// The app's page routes, generated once per process. Generating them renders
/// the app with resource loading switched off for the whole process (a global
/// flag in leptos_server), so a second generation while another `Application`
/// in the same process serves pages (the integration tests start many) would
/// leave that page's data unloaded until the request times out.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// All routes and middleware.
pub fn router(state: AppState) -> Router {
    let site_root = state.settings.site_root.clone();
    let body_limit = state.settings.body_limit_bytes;
    let timeout = state.settings.request_timeout;
    let pkg_cache = if state.settings.hash_files { IMMUTABLE } else { NO_CACHE };
    let leptos_options = state.leptos_options.clone();
    let routes = page_routes();

    // Ports and page policy for pages and server functions.
    let context = state.provide_ports();
    // Pages unknown to the router render the app's own 404 page.
    let not_found = {
        let options = leptos_options.clone();
        leptos_axum::render_app_to_stream_with_context(context.clone(), move || shell(options.clone())).into_service()
    };

    // Every request body is limited; the notebook upload has its own,
    // larger limit (its router is merged after the limit is applied).
    let limit_body = |router: Router<AppState>| {
        router.layer(DefaultBodyLimit::max(body_limit)).layer(RequestBodyLimitLayer::new(body_limit))
    };

    // Everything a person's session matters to: pages, server functions,
    // sign-in and form posts. Static files and probes stay outside it.
    let with_session = limit_body(
        Router::new()
            .merge(language::routes::router())
            .merge(identity::routes::router())
            .merge(delegations::routes::router())
            .merge(doctors::routes::router())
            .merge(fse::routes::router())
            .merge(cup::routes::router())
            .merge(pharmacy::routes::router())
            .merge(payments::routes::router())
            .merge(notifications::routes::router())
            .merge(surgery::routes::router())
            .merge(prevention::routes::router())
            .merge(vaccinations::routes::router())
            .merge(screening::routes::router())
            .leptos_routes_with_context(&state, routes, context.clone(), {
                let options = leptos_options.clone();
                move || shell(options.clone())
            })
            .fallback_service(not_found)
            .layer(middleware::from_fn(server_fn_status)),
    )
    .merge(fse::routes::upload_router())
    .layer(middleware::from_fn_with_state(state.clone(), identity::session::resolve_identity))
    .layer(identity::session::layer(state.sessions.clone(), &state.settings))
    // Public pages for visitors without a session: served kept, before any
    // session is looked up.
    .layer(middleware::from_fn_with_state(state.page_cache.clone(), page_cache::serve_public_pages));

    // The sandbox payment provider plays another site: no portal session.
    let sandbox = match state.payment_sandbox.clone() {
        Some(sandbox) => sandbox.router(),
        None => Router::new(),
    };
    Router::new()
        .merge(limit_body(
            health::routes::router()
                .merge(ingest::router(
                    &state,
                    [
                        emergency::routes::ingest_route(),
                        surgery::routes::ingest_route(),
                        screening::routes::ingest_route(),
                    ],
                ))
                .merge(payments::routes::callback_router(&state))
                .merge(emergency::routes::router())
                .merge(sandbox),
        ))
        .merge(with_session)
        .nest_service(
            "/pkg",
            cached(pkg_cache, ServeDir::new(site_root.join("pkg")).precompressed_br().precompressed_gzip()),
        )
        .nest_service("/fonts", cached(FONT_CACHE, ServeDir::new(site_root.join("fonts"))))
        .route_service("/favicon.svg", cached(SHORT_CACHE, ServeFile::new(site_root.join("favicon.svg"))))
        .route_service("/robots.txt", cached(SHORT_CACHE, ServeFile::new(site_root.join("robots.txt"))))
        .route_service(
            "/manifest.webmanifest",
            cached(SHORT_CACHE, ServeFile::new(site_root.join("manifest.webmanifest"))),
        )
        // Layers wrap outwards: the last one added sees the request first.
        .layer(middleware::from_fn(security::csrf::reject_cross_site_writes))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        // Kept public pages arrive already compressed and pass through.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(
            i32::try_from(page_cache::compress::PER_RESPONSE_BROTLI_QUALITY).unwrap_or(4),
        )))
        .layer(middleware::from_fn(security::headers::add_security_headers))
        .layer(PropagateRequestIdLayer::new(X_REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                // One INFO line per request (status, latency); details at DEBUG.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(X_REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
}

/// The header server functions put on an error answer.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// An error answer larger than this is not ours to read.
const SERVER_FN_ERROR_MAX_BYTES: usize = 64 * 1024;

/// Server functions answer every error with 500 (`server_fn`'s default),
/// so a refusal looked like a crash and was logged as one. This gives
/// each [`AccessError`] its own status (401, 403, 404, 422, 429; 500 only
/// for our own failures) and logs refusals at INFO. The body stays the
/// encoded error, which the browser's server-function client decodes.
async fn server_fn_status(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, SERVER_FN_ERROR_MAX_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AccessError>(&bytes) {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::error!(%error, %path, "server function failed");
        } else {
            tracing::info!(%error, %path, status = status.as_u16(), "server function refused");
        }
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Wraps a static-file service with a Cache-Control header.
fn cached<S>(policy: &'static str, service: S) -> SetResponseHeader<S, HeaderValue> {
    SetResponseHeader::overriding(service, header::CACHE_CONTROL, HeaderValue::from_static(policy))
}

/// One span per request, carrying its id so every log line can be tied to it.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let request_id =
        request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", request_id, method = %request.method(), path = %request.uri().path())
}

/// Resolves on Ctrl-C or SIGTERM (what orchestrators send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
