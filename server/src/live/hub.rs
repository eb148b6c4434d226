//! The in-process hub: one broadcast channel per followed complaint (created by its first
//! subscriber, removed with its last) and one for the queue.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::broadcast;

use super::{Change, HubStats, LiveHub, Subscription, Topic};

/// Changes a subscriber may fall behind by before it is told to refetch everything.
const CAPACITY: usize = 64;

/// Cloning gives another handle on the same channels.
#[derive(Clone)]
pub struct LocalHub {
    inner: Arc<Inner>,
}

struct Inner {
    complaints: Mutex<HashMap<i64, broadcast::Sender<Change>>>,
    queue: Mutex<Option<broadcast::Sender<Change>>>,
    closed: AtomicBool,
}

impl Default for LocalHub {
    fn default() -> Self {
        LocalHub {
            inner: Arc::new(Inner {
                complaints: Mutex::new(HashMap::new()),
                queue: Mutex::new(Some(broadcast::channel(CAPACITY * 4).0)),
                closed: AtomicBool::new(false),
            }),
        }
    }
}

impl Inner {
    fn complaints(&self) -> std::sync::MutexGuard<'_, HashMap<i64, broadcast::Sender<Change>>> {
        // A panic while holding the lock cannot leave the map half-updated.
        self.complaints.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Option<broadcast::Sender<Change>>> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Removes a complaint's channel when its last subscriber goes.
struct Unfollow {
    hub: Weak<Inner>,
    complaint_id: i64,
}

impl Drop for Unfollow {
    fn drop(&mut self) {
        let Some(hub) = self.hub.upgrade() else {
            return;
        };
        let mut complaints = hub.complaints();
        if complaints
            .get(&self.complaint_id)
            .is_some_and(|s| s.receiver_count() == 0)
        {
            complaints.remove(&self.complaint_id);
        }
    }
}

/// A subscription that ends at once (after shutdown).
fn closed() -> Subscription {
    let (_, receiver) = broadcast::channel(1);
    Subscription::new(receiver, None)
}

impl LocalHub {
    /// Ends every open subscription without shutting down: used when changes may have
    /// been missed, so streams close, clients reconnect with `Last-Event-ID` and replay
    /// from the timeline. New subscriptions work at once.
    pub fn resync(&self) {
        self.inner.complaints().clear();
        let mut queue = self.inner.queue();
        if queue.is_some() {
            *queue = Some(broadcast::channel(CAPACITY * 4).0);
        }
    }
}

impl LiveHub for LocalHub {
    fn publish(&self, change: Change) {
        // `send` fails only when nobody listens, which is fine.
        if let Some(sender) = self.inner.complaints().get(&change.complaint_id) {
            let _ = sender.send(change);
        }
        if let Some(sender) = self.inner.queue().as_ref() {
            let _ = sender.send(change);
        }
    }

    fn subscribe(&self, topic: Topic) -> Subscription {
        if self.inner.closed.load(Ordering::Acquire) {
            return closed();
        }
        match topic {
            Topic::Queue => match self.inner.queue().as_ref() {
                Some(sender) => Subscription::new(sender.subscribe(), None),
                None => closed(),
            },
            Topic::Complaint(complaint_id) => {
                let receiver = self
                    .inner
                    .complaints()
                    .entry(complaint_id)
                    .or_insert_with(|| broadcast::channel(CAPACITY).0)
                    .subscribe();
                let guard = Unfollow {
                    hub: Arc::downgrade(&self.inner),
                    complaint_id,
                };
                Subscription::new(receiver, Some(Box::new(guard)))
            }
        }
    }

    fn shutdown(&self) {
        self.inner.closed.store(true, Ordering::Release);
        // Dropping the senders closes every receiver.
        self.inner.complaints().clear();
        self.inner.queue().take();
    }

    fn stats(&self) -> HubStats {
        let complaints = self.inner.complaints();
        let queue = self
            .inner
            .queue()
            .as_ref()
            .map_or(0, broadcast::Sender::receiver_count);
        HubStats {
            topics: complaints.len(),
            subscribers: queue
                + complaints
                    .values()
                    .map(broadcast::Sender::receiver_count)
                    .sum::<usize>(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::Next;

    fn change(complaint_id: i64, event_id: i64) -> Change {
        Change {
            complaint_id,
            event_id,
            department: Some(1),
            previous_department: None,
        }
    }

    #[tokio::test]
    async fn subscribers_of_a_complaint_and_of_the_queue_get_its_changes() {
        let hub = LocalHub::default();
        let mut mine = hub.subscribe(Topic::Complaint(7));
        let mut other = hub.subscribe(Topic::Complaint(8));
        let mut queue = hub.subscribe(Topic::Queue);
        hub.publish(change(7, 100));
        assert_eq!(mine.next().await, Next::Change(change(7, 100)));
        assert_eq!(queue.next().await, Next::Change(change(7, 100)));
        hub.publish(change(8, 101));
        assert_eq!(other.next().await, Next::Change(change(8, 101)));
    }

    #[tokio::test]
    async fn the_last_subscriber_leaving_removes_the_topic() {
        let hub = LocalHub::default();
        let a = hub.subscribe(Topic::Complaint(7));
        let b = hub.subscribe(Topic::Complaint(7));
        assert_eq!(
            hub.stats(),
            HubStats {
                topics: 1,
                subscribers: 2
            }
        );
        drop(a);
        assert_eq!(hub.stats().topics, 1);
        drop(b);
        assert_eq!(hub.stats(), HubStats::default());
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_to_refetch() {
        let hub = LocalHub::default();
        let mut slow = hub.subscribe(Topic::Complaint(7));
        for n in 0..(CAPACITY as i64 + 5) {
            hub.publish(change(7, n));
        }
        assert_eq!(slow.next().await, Next::Lagged);
    }

    #[tokio::test]
    async fn resync_ends_open_subscriptions_and_new_ones_work() {
        let hub = LocalHub::default();
        let mut complaint = hub.subscribe(Topic::Complaint(7));
        let mut queue = hub.subscribe(Topic::Queue);
        hub.resync();
        assert_eq!(complaint.next().await, Next::Closed);
        assert_eq!(queue.next().await, Next::Closed);
        let mut again = hub.subscribe(Topic::Complaint(7));
        let mut queue = hub.subscribe(Topic::Queue);
        hub.publish(change(7, 3));
        assert_eq!(again.next().await, Next::Change(change(7, 3)));
        assert_eq!(queue.next().await, Next::Change(change(7, 3)));
    }

    #[tokio::test]
    async fn shutdown_ends_every_subscription() {
        let hub = LocalHub::default();
        let mut complaint = hub.subscribe(Topic::Complaint(7));
        let mut queue = hub.subscribe(Topic::Queue);
        hub.shutdown();
        assert_eq!(complaint.next().await, Next::Closed);
        assert_eq!(queue.next().await, Next::Closed);
        assert_eq!(hub.subscribe(Topic::Queue).next().await, Next::Closed);
    }
}
