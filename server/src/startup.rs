//! Builds the HTTP application: state, routes, middleware; binds the
//! listener and serves until a shutdown signal.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::{shell, App};
use axum::{
    extract::{DefaultBodyLimit, FromRef},
    handler::HandlerWithoutStateExt,
    http::{header, HeaderName, HeaderValue, Request, StatusCode},
    middleware, Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeader,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};

use crate::{config::Settings, db, demo, health, language, security};

/// Everything a handler may need. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub settings: Arc<Settings>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
}

/// A built application with its listener bound, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    shutdown_grace: Duration,
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
        let state = AppState { leptos_options, pool, settings: Arc::new(settings) };
        tracing::info!(%address, port, "Portale Salute listening");
        Ok(Application { listener, router: router(state), port, shutdown_grace })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish
    /// for at most the configured grace period.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("shutdown requested: finishing in-flight requests");
                let _ = stopping_tx.send(());
            });
        let grace = self.shutdown_grace;
        let deadline = async move {
            if stopping_rx.await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = server => result,
            () = deadline => {
                tracing::warn!("grace period over: closing remaining connections");
                Ok(())
            }
        }
    }
}

/// All routes and middleware.
pub fn router(state: AppState) -> Router {
    let site_root = state.settings.site_root.clone();
    let body_limit = state.settings.body_limit_bytes;
    let timeout = state.settings.request_timeout;
    let pkg_cache = if state.settings.hash_files { IMMUTABLE } else { NO_CACHE };
    let leptos_options = state.leptos_options.clone();
    let routes = generate_route_list(App);

    // Pages unknown to the router render the app's own 404 page.
    let not_found = {
        let options = leptos_options.clone();
        leptos_axum::render_app_to_stream(move || shell(options.clone())).into_service()
    };

    Router::new()
        .merge(health::routes::router())
        .merge(language::routes::router())
        .leptos_routes(&state, routes, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
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
        .fallback_service(not_found)
        // Layers wrap outwards: the last one added sees the request first.
        .layer(middleware::from_fn(security::csrf::reject_cross_site_writes))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(CompressionLayer::new())
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
