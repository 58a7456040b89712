//! The ER board port (public: no principal).

use async_trait::async_trait;

use super::model::{ErBoard, ErBoardQuery};

#[async_trait]
pub trait EmergencyBoard: Send + Sync {
    async fn board(&self, query: &ErBoardQuery) -> Result<ErBoard, String>;
}
