//! Messages to owners and other systems, as administrators see them.

use super::*;

/// The administrator's view of outbound messages: the delivery log, webhook endpoints,
/// and which channels are configured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLog {
    pub lines: Vec<NoticeLine>,
    /// Per status, how many messages.
    pub counts: Vec<(String, i64)>,
    pub endpoints: Vec<WebhookEndpointView>,
    /// The configured channels (`sms`, `email`, `wechat`); the rest only log.
    pub channels: Vec<String>,
}

/// A webhook endpoint (its secret is never shown again after it is saved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpointView {
    pub id: i64,
    pub url: String,
    pub events: String,
    pub allow_private: bool,
    pub from_env: bool,
    pub active: bool,
    /// The newest deliveries' statuses and response codes.
    pub last: Vec<(String, Option<i64>)>,
}
