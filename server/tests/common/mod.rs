//! Test harness: starts the real server on a random loopback port with a
//! fresh SQLite database and a throwaway site folder, per test.

#![allow(dead_code)] // each test binary uses a different part of the harness

use server::{config::Settings, startup::Application};
use std::path::PathBuf;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    _folder: TempDir,
}

/// Content of the fake hashed wasm file put in the test site folder.
pub const FAKE_WASM: &[u8] = b"\0asm fake module for cache-header tests";
pub const FAKE_WASM_PATH: &str = "/pkg/portale.0123abcd.wasm";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app after letting the test adjust the settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_until(adjust, std::future::pending()).await.0
}

/// Starts the app; it stops when `shutdown` resolves. Returns the server task.
pub async fn spawn_app_until(
    adjust: impl FnOnce(&mut Settings),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> (TestApp, tokio::task::JoinHandle<std::io::Result<()>>) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let site_root = site_folder(&folder);
    let database_url = format!("sqlite:{}", folder.path().join("portale.db").display());
    let mut settings = Settings::from_lookup(|_| None).expect("default settings");
    settings.port = 0;
    settings.database_url = database_url.clone();
    settings.site_root = site_root;
    settings.hash_files = false;
    settings.demo_data = false;
    adjust(&mut settings);
    if std::env::var("TEST_LOG").is_ok() {
        server::telemetry::init(&settings);
    }
    let application = Application::build(settings).await.expect("application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let server = tokio::spawn(application.run_until_stopped(shutdown));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    (TestApp { address, client, database_url, _folder: folder }, server)
}

fn site_folder(folder: &TempDir) -> PathBuf {
    let root = folder.path().join("site");
    std::fs::create_dir_all(root.join("pkg")).expect("pkg folder");
    std::fs::create_dir_all(root.join("fonts")).expect("fonts folder");
    std::fs::write(root.join(FAKE_WASM_PATH.trim_start_matches('/')), FAKE_WASM).expect("fake wasm");
    std::fs::write(root.join("robots.txt"), "User-agent: *\n").expect("robots");
    root
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }

    /// A same-origin form post, as a browser sends it.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", &self.address)
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .expect("request sent")
    }
}
