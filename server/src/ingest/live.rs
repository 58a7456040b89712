//! The fan-out of live updates: one in-process broadcast hub. Publishing
//! never waits: each subscriber has a bounded queue, and one that falls
//! behind loses the oldest messages (it is told how many and goes on) —
//! a slow or gone browser never holds up the hospital system's request.
//!
//! With several instances each has its own hub; `relay` carries what one
//! instance publishes to the others (PostgreSQL LISTEN/NOTIFY).

use std::{collections::HashMap, sync::Arc, sync::Mutex};

use tokio::sync::broadcast;

/// Messages a subscriber may fall behind by before it loses the oldest.
const QUEUE: usize = 256;

pub trait LiveHub: Send + Sync {
    /// Sends `message` to every current subscriber of `topic`.
    fn publish(&self, topic: &str, message: Arc<str>);
    fn subscribe(&self, topic: &str) -> broadcast::Receiver<Arc<str>>;
    /// The topics someone subscribes to right now.
    fn watched_topics(&self) -> Vec<String>;
}

#[derive(Default)]
pub struct BroadcastHub {
    topics: Mutex<HashMap<String, broadcast::Sender<Arc<str>>>>,
}

impl BroadcastHub {
    fn sender(&self, topic: &str) -> broadcast::Sender<Arc<str>> {
        let mut topics = self.topics.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        topics.entry(topic.to_string()).or_insert_with(|| broadcast::channel(QUEUE).0).clone()
    }
}

impl LiveHub for BroadcastHub {
    fn publish(&self, topic: &str, message: Arc<str>) {
        // No subscriber is not an error: nobody is watching.
        let _ = self.sender(topic).send(message);
    }

    fn subscribe(&self, topic: &str) -> broadcast::Receiver<Arc<str>> {
        self.sender(topic).subscribe()
    }

    fn watched_topics(&self) -> Vec<String> {
        let topics = self.topics.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        topics.iter().filter(|(_, sender)| sender.receiver_count() > 0).map(|(topic, _)| topic.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_of_a_topic_get_its_messages_only() {
        let hub = BroadcastHub::default();
        let mut board = hub.subscribe("er");
        let mut other = hub.subscribe("surgery");
        hub.publish("er", "uno".into());
        assert_eq!(&*board.recv().await.expect("message"), "uno");
        assert!(other.try_recv().is_err());
        drop(other);
        assert_eq!(hub.watched_topics(), ["er"]);
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_never_blocks_the_publisher() {
        let hub = BroadcastHub::default();
        let mut slow = hub.subscribe("er");
        for i in 0..QUEUE + 10 {
            hub.publish("er", i.to_string().into());
        }
        assert!(matches!(slow.recv().await, Err(broadcast::error::RecvError::Lagged(10))));
        assert_eq!(&*slow.recv().await.expect("next"), "10");
    }
}
