//! The machine client of the ingest API, as a hospital system would write
//! it: discovery, a client-credentials token, posts with the bearer token,
//! and one renewal when the portal refuses the token. The demo feeders use
//! it against the portal's own API.

use serde::Deserialize;

#[derive(Deserialize)]
struct Discovery {
    token_endpoint: String,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
}

/// A machine client of the portal's ingest API: a token from the identity
/// provider (client credentials), renewed when the portal refuses it.
pub struct IngestClient {
    http: reqwest::Client,
    token_endpoint: String,
    client_id: &'static str,
    secret: &'static str,
    scope: &'static str,
    token: String,
}

impl IngestClient {
    pub async fn new(
        http: reqwest::Client,
        issuer: &str,
        client_id: &'static str,
        secret: &'static str,
        scope: &'static str,
    ) -> Result<IngestClient, String> {
        let discovery: Discovery = http
            .get(format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/')))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("discovery: {e}"))?
            .json()
            .await
            .map_err(|e| format!("discovery: {e}"))?;
        let mut client = IngestClient {
            http,
            token_endpoint: discovery.token_endpoint,
            client_id,
            secret,
            scope,
            token: String::new(),
        };
        client.renew().await?;
        Ok(client)
    }

    async fn renew(&mut self) -> Result<(), String> {
        let token: Token = self
            .http
            .post(&self.token_endpoint)
            .basic_auth(self.client_id, Some(self.secret))
            .form(&[("grant_type", "client_credentials"), ("scope", self.scope)])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| format!("token: {e}"))?
            .json()
            .await
            .map_err(|e| format!("token: {e}"))?;
        self.token = token.access_token;
        Ok(())
    }

    /// Posts one body; a refused token is renewed once.
    pub async fn post(&mut self, endpoint: &str, body: &serde_json::Value) -> Result<(), String> {
        for _ in 0..2 {
            let response =
                self.http.post(endpoint).bearer_auth(&self.token).json(body).send().await.map_err(|e| e.to_string())?;
            match response.status() {
                status if status.is_success() => return Ok(()),
                reqwest::StatusCode::UNAUTHORIZED => self.renew().await?,
                status => {
                    return Err(format!("ingest answered {status}: {}", response.text().await.unwrap_or_default()))
                }
            }
        }
        Err("ingest refused a fresh token".into())
    }
}
