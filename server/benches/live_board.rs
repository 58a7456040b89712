//! `cargo bench -p server --bench live_board`: 1,000 browsers on the live
//! ER board while hospital systems post 50 reports a second, all on
//! loopback. Runs the release server (`cargo build --release -p server`, or
//! `PORTALE_BENCH_SERVER`) as a child process on a fresh database, with the
//! test suite's fake identity provider in this process. Prints the delivery
//! latency (from the start of the ingest POST to the line arriving at each
//! client) and the server's memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

#[allow(dead_code)]
#[path = "../tests/common/fake_idp.rs"]
mod fake_idp;

const CLIENTS: usize = 1_000;
const UPDATES_PER_SECOND: u64 = 50;
const SECONDS: u64 = 20;
const UNITS: [&str; 5] = ["OSP-SARZANA", "OSP-SPEZIA", "OSP-RAPALLO", "OSP-LAVAGNA", "HUB-GASLINI"];

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * share).round() as usize]
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("address").port()
}

/// One browser: reads the event stream and reports each update's sequence.
async fn client(port: u16, seen: mpsc::UnboundedSender<(u32, Instant)>, ready: mpsc::UnboundedSender<()>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    let request = format!(
        "GET /pronto-soccorso/in-diretta HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut lines = BufReader::new(stream).lines();
    let mut announced = false;
    while let Ok(Some(line)) = lines.next_line().await {
        if !announced && line.is_empty() {
            // End of the response headers: subscribed.
            announced = true;
            let _ = ready.send(());
        }
        if let Some(data) = line.strip_prefix("data: ") {
            let update: serde_json::Value = serde_json::from_str(data).expect("json");
            let sequence =
                update["waiting"][3].as_u64().unwrap_or(0) * 1000 + update["in_treatment"][3].as_u64().unwrap_or(0);
            let _ = seen.send((sequence as u32, Instant::now()));
        }
    }
}

#[tokio::main]
async fn main() {
    let idp = fake_idp::FakeIdp::start().await;
    let folder = tempfile::tempdir().expect("folder");
    let port = free_port();
    let binary = std::env::var("PORTALE_BENCH_SERVER").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR")
            .unwrap_or_else(|_| format!("{}/.cache/portale-salute/target", std::env::var("HOME").unwrap_or_default()));
        format!("{target}/release/server")
    });
    let mut server = tokio::process::Command::new(&binary)
        .arg("serve")
        .env("PORTALE_PORT", port.to_string())
        .env("PORTALE_DATABASE_URL", format!("sqlite:{}/portale.db", folder.path().display()))
        .env("PORTALE_SITE_ROOT", folder.path())
        .env("PORTALE_OIDC_ISSUER", &idp.issuer)
        .env("PORTALE_OIDC_CLIENT_SECRET", fake_idp::CLIENT_SECRET)
        .env("PORTALE_DEMO_FEEDS", "false")
        .env("PORTALE_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("{binary}: {e} (build it with `cargo build --release -p server`)"));
    let pid = server.id().expect("pid");
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..600 {
        if http.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let idle = rss_kib(pid);

    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel();
    let (ready_tx, mut ready_rx) = mpsc::unbounded_channel();
    for _ in 0..CLIENTS {
        tokio::spawn(client(port, seen_tx.clone(), ready_tx.clone()));
    }
    drop(seen_tx);
    for _ in 0..CLIENTS {
        ready_rx.recv().await.expect("client subscribed");
    }
    let connected = rss_kib(pid);

    let token = idp.machine_token("flusso-regionale-ps", "emergency:write");
    let sent: Arc<Mutex<HashMap<u32, Instant>>> = Arc::default();
    let total = UPDATES_PER_SECOND * SECONDS;
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / UPDATES_PER_SECOND));
    let started = Instant::now();
    let mut posts = Vec::new();
    for sequence in 1..=total as u32 {
        ticker.tick().await;
        let (http, token, sent, base) = (http.clone(), token.clone(), sent.clone(), base.clone());
        posts.push(tokio::spawn(async move {
            let unit = UNITS[sequence as usize % UNITS.len()];
            let body = serde_json::json!({
                "event_id": format!("bench-{sequence}"),
                "unit": unit,
                "reported_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                "waiting": {"red": 0, "orange": 1, "light_blue": 2, "green": sequence / 1000, "white": 3},
                "in_treatment": {"red": 0, "orange": 1, "light_blue": 2, "green": sequence % 1000, "white": 3},
            });
            sent.lock().expect("sent").insert(sequence, Instant::now());
            let response =
                http.post(format!("{base}/ingest/v1/emergency/status")).bearer_auth(token).json(&body).send().await;
            response.map(|r| r.status().as_u16()).unwrap_or(0)
        }));
    }
    let mut refused = 0;
    for post in posts {
        if post.await.unwrap_or(0) != 200 {
            refused += 1;
        }
    }
    let posting = started.elapsed();
    let peak = rss_kib(pid);

    let expected = total as usize * CLIENTS;
    let mut latencies = Vec::with_capacity(expected);
    let deadline = Instant::now() + Duration::from_secs(30);
    while latencies.len() < expected {
        let Ok(Some((sequence, at))) = tokio::time::timeout_at(deadline.into(), seen_rx.recv()).await else { break };
        if let Some(sent_at) = sent.lock().expect("sent").get(&sequence) {
            latencies.push(at.saturating_duration_since(*sent_at));
        }
    }
    latencies.sort();
    println!("live board: {CLIENTS} SSE clients, {total} reports at {UPDATES_PER_SECOND}/s over {:.1} s through the ingest API ({refused} not 200)", posting.as_secs_f64());
    println!(
        "delivered {} of {expected} ({:.2} %)  latency p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        latencies.len(),
        latencies.len() as f64 * 100.0 / expected as f64,
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    println!(
        "server RSS: {:.1} MiB idle, {:.1} MiB with {CLIENTS} clients, {:.1} MiB after the run",
        idle as f64 / 1024.0,
        connected as f64 / 1024.0,
        peak as f64 / 1024.0
    );
    let _ = server.kill().await;
}
