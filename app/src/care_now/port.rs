//! The port of "Dove andare adesso" (public: no principal needed; a
//! signed-in person's town is only a default for sorting).

use async_trait::async_trait;

use super::model::{CareNow, CareNowQuery};

#[async_trait]
pub trait CareNowDirectory: Send + Sync {
    /// `resident`: the fiscal code of the signed-in person (or whom they
    /// act for), whose town sorts the lists when the query names no place.
    async fn care_now(&self, query: &CareNowQuery, resident: Option<&str>) -> Result<CareNow, String>;
}
