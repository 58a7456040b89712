//! Portale Salute server. `server` runs the portal; `server seed --scale N`
//! fills a database with a region of N people for benchmarks;
//! `server idp-accounts` prints the development identity provider's demo
//! accounts (JSON) for the database's region, generating it if empty;
//! `server import-rota FILE.csv` imports a pharmacies' on-duty rota as an
//! ASL publishes it (`care_now::rota_csv`).

use server::{config::Settings, demo, startup::Application, telemetry};

/// mimalloc instead of glibc's malloc: a signed-in page allocates and frees
/// thousands of small blocks (docs/decisions/0008-mimalloc.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("configurazione non valida: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(&settings);

    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None | Some("serve") => serve(settings).await,
        Some("seed") => seed(&settings, &args[1..]).await,
        Some("idp-accounts") => idp_accounts(&settings).await,
        Some("import-rota") => import_rota(&settings, &args[1..]).await,
        Some(other) => Err(format!(
            "comando sconosciuto: {other} (usa `serve`, `seed --scale N`, `idp-accounts` oppure `import-rota FILE.csv`)"
        )),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(%message, "server stopped with an error");
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> Result<(), String> {
    let application = Application::build(settings).await.map_err(|e| e.to_string())?;
    application.run_until_stopped(server::startup::shutdown_signal()).await.map_err(|e| e.to_string())
}

async fn seed(settings: &Settings, args: &[String]) -> Result<(), String> {
    let people = match args {
        [flag, value] if flag == "--scale" => value
            .replace('_', "")
            .parse::<u32>()
            .map_err(|_| format!("--scale vuole un numero di persone, non {value:?}"))?,
        [] => demo::DEMO_PEOPLE,
        _ => return Err("uso: server seed [--scale NUMERO_PERSONE]".into()),
    };
    let pool = server::db::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let report = demo::seed(&pool, demo::Scale::people(people)).await.map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

async fn import_rota(settings: &Settings, args: &[String]) -> Result<(), String> {
    let [path] = args else { return Err("uso: server import-rota FILE.csv".into()) };
    let bytes = std::fs::read(path).map_err(|error| format!("{path}: {error}"))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{path}: il file non è in UTF-8 (salvalo come «CSV UTF-8»)"))?;
    let pool = server::db::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let source =
        std::path::Path::new(path).file_name().map_or_else(|| path.clone(), |name| name.to_string_lossy().into_owned());
    let imported = server::care_now::import::import_rota(&pool, &text, &source).await.map_err(|e| e.to_string())?;
    println!("{imported}");
    Ok(())
}

async fn idp_accounts(settings: &Settings) -> Result<(), String> {
    let pool = server::db::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    if settings.demo_data {
        demo::seed_if_empty(&pool).await.map_err(|e| e.to_string())?;
    }
    let mut accounts = server::identity::accounts::demo_accounts(&pool, server::clock::rome_today())
        .await
        .map_err(|e| e.to_string())?;
    if settings.demo_feeds && settings.demo_data {
        // Say who can follow a demo operation (server/src/surgery/feeder.rs).
        let pairs = server::surgery::feeder::demo_pairs(&pool).await.map_err(|e| e.to_string())?;
        for account in &mut accounts {
            if pairs.iter().any(|(_, relative)| *relative == account.fiscal_code) {
                account.description.push_str(server::surgery::feeder::FOLLOWER_NOTE);
            }
        }
    }
    let json = serde_json::to_string_pretty(&accounts).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}
