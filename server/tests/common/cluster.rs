//! Several real server processes (`server serve`, the binary under test) on
//! one PostgreSQL database, as production runs them behind a load
//! balancer, with the fake identity provider in front of all of them.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use super::fake_idp::{self, FakeIdp};
use super::TestApp;

/// One running instance.
pub struct Instance {
    pub app: TestApp,
    process: Child,
}

impl Instance {
    /// Kills the process at once (`kill -9`).
    pub async fn kill(&mut self) {
        let _ = self.process.start_kill();
        let _ = self.process.wait().await;
    }
}

pub struct Cluster {
    pub instances: Vec<Instance>,
    pub idp: FakeIdp,
    pub database_url: String,
    _folder: tempfile::TempDir,
}

impl Cluster {
    /// Starts `count` instances on a fresh database with the demo region
    /// (the first to start generates it, the others wait for it), each with
    /// the extra settings `env` gives, and waits until all are ready.
    pub async fn start(count: usize, env: &[(&str, &str)]) -> Cluster {
        let Some(_) = super::on_postgres() else {
            panic!("several instances share one PostgreSQL database: set PORTALE_TEST_POSTGRES (scripts/test.sh does)");
        };
        let folder = tempfile::tempdir().expect("folder");
        let database_url = super::fresh_database(folder.path(), "unused.db").await;
        let site = folder.path().join("site");
        std::fs::create_dir_all(site.join("pkg")).expect("site");
        let idp = FakeIdp::start().await;
        let spawn = |number: usize| {
            let port = free_port();
            let log = std::fs::File::create(folder.path().join(format!("instance-{number}.log"))).expect("log");
            let process = Command::new(env!("CARGO_BIN_EXE_server"))
                .arg("serve")
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("PORTALE_HOST", "127.0.0.1")
                .env("PORTALE_PORT", port.to_string())
                .env("PORTALE_DATABASE_URL", &database_url)
                .env("PORTALE_SITE_ROOT", &site)
                .env("PORTALE_OIDC_ISSUER", &idp.issuer)
                .env("PORTALE_OIDC_CLIENT_SECRET", fake_idp::CLIENT_SECRET)
                .env("PORTALE_DEMO_DATA", "true")
                .env("PORTALE_DEMO_FEEDS", "false")
                .env("PORTALE_LOG", "warn")
                .envs(env.iter().copied())
                .stdout(Stdio::null())
                .stderr(log)
                .kill_on_drop(true)
                .spawn()
                .expect("server starts");
            let app = TestApp::at(format!("http://127.0.0.1:{port}"), database_url.clone());
            Instance { app, process }
        };
        let mut instances: Vec<Instance> = (0..count).map(spawn).collect();
        for (number, instance) in instances.iter_mut().enumerate() {
            let log = folder.path().join(format!("instance-{number}.log"));
            // A free port found here may be taken by a parallel test before
            // the instance binds it: start that instance again on another.
            let mut attempts = 0;
            while let Err(text) = wait_ready(instance, &log).await {
                attempts += 1;
                assert!(attempts < 3 && text.contains("Address already in use"), "instance exited: {text}");
                *instance = spawn(number);
            }
        }
        Cluster { instances, idp, database_url, _folder: folder }
    }

    /// Instance `number` modulo the cluster's size (to spread requests).
    pub fn instance(&self, number: usize) -> &TestApp {
        &self.instances[number % self.instances.len()].app
    }

    pub async fn db(&self) -> sqlx::AnyPool {
        self.instances[0].app.db().await
    }

    /// Starts nginx in front of every instance (scripts/load-balancer.sh,
    /// as production runs it); the portal as reached through it.
    pub async fn load_balancer(&self) -> LoadBalancer {
        let folder = tempfile::tempdir().expect("folder");
        let port = free_port();
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/load-balancer.sh");
        let upstreams = self
            .instances
            .iter()
            .map(|instance| instance.app.address.rsplit(':').next().unwrap_or_default().to_string());
        let process = Command::new(script)
            .arg(folder.path())
            .arg(port.to_string())
            .args(upstreams)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("nginx starts (Debian's nginx package)");
        let app = TestApp::at(format!("http://127.0.0.1:{port}"), self.database_url.clone());
        let client = reqwest::Client::new();
        for _ in 0..80 {
            if client.get(app.url("/readyz")).send().await.is_ok_and(|r| r.status() == 200) {
                return LoadBalancer { app, _process: process, _folder: folder };
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("nginx did not answer in 20 s");
    }
}

/// nginx in front of a cluster.
pub struct LoadBalancer {
    pub app: TestApp,
    _process: Child,
    _folder: tempfile::TempDir,
}

impl Drop for LoadBalancer {
    /// nginx's workers outlive a killed master: stop it as an operator
    /// does (TERM: fast shutdown, workers included) and give it a moment.
    fn drop(&mut self) {
        if let Some(pid) = self._process.id() {
            let _ = std::process::Command::new("kill").arg("-TERM").arg(pid.to_string()).status();
            for _ in 0..40 {
                if self._process.try_wait().is_ok_and(|status| status.is_some()) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("address").port()
}

/// Waits for `/readyz` (database reachable, live relay listening); the
/// instance's log when it exited instead.
async fn wait_ready(instance: &mut Instance, log: &std::path::Path) -> Result<(), String> {
    let client = reqwest::Client::new();
    for _ in 0..240 {
        if let Ok(response) = client.get(instance.app.url("/readyz")).send().await {
            if response.status() == 200 {
                return Ok(());
            }
        }
        if let Ok(Some(status)) = instance.process.try_wait() {
            return Err(format!("({status}) {}", std::fs::read_to_string(log).unwrap_or_default()));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("instance not ready in 60 s: {}", std::fs::read_to_string(log).unwrap_or_default());
}
