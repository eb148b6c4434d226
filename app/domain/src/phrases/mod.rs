//! The forbidden-phrase check (rules.md "How staff speak", 十大禁语): finds the phrases in a
//! staff reply, with their spans in the original text and a better phrasing. The reply editor
//! runs it as the agent types (wasm); the server runs it again and requires "send anyway".

mod pattern;
mod table;

use std::sync::OnceLock;

use serde::Serialize;

use self::pattern::{expand, units, Pattern};
use self::table::FORBIDDEN;
use crate::lang::{Lang, Text};

/// A forbidden phrase found in a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhraseHit {
    /// Byte offset of the first character in the original text (a char boundary).
    pub start: usize,
    /// Byte offset just past the last character (a char boundary).
    pub end: usize,
    /// The canonical phrase as the spec lists it, e.g. "与我无关".
    pub phrase: &'static str,
    /// A concrete, polite alternative.
    pub suggestion: Text,
}

/// Every variant of every phrase, expanded once: (index into `FORBIDDEN`, pattern).
fn patterns() -> &'static [(usize, Pattern)] {
    static PATTERNS: OnceLock<Vec<(usize, Pattern)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        FORBIDDEN
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                f.patterns
                    .iter()
                    .flat_map(|p| expand(p))
                    .map(move |p| (i, p))
            })
            .collect()
    })
}

/// The canonical phrases, in the spec's order.
pub fn forbidden_phrases() -> impl Iterator<Item = &'static str> {
    FORBIDDEN.iter().map(|f| f.phrase)
}

/// Finds forbidden phrases in `text`: non-overlapping, in order; at each place the longest
/// variant wins. Spaces, punctuation and full-width forms inside a phrase do not hide it.
pub fn check_reply(text: &str) -> Vec<PhraseHit> {
    let units = units(text);
    let mut hits = Vec::new();
    let mut at = 0;
    while at < units.len() {
        let best = patterns()
            .iter()
            .filter_map(|(i, p)| p.match_at(&units, at, text).map(|end| (end, *i)))
            .max_by_key(|(end, i)| (*end, std::cmp::Reverse(*i)));
        match best {
            Some((end, i)) => {
                let f = &FORBIDDEN[i];
                hits.push(PhraseHit {
                    start: units[at].start(),
                    end: units[end - 1].end(),
                    phrase: f.phrase,
                    suggestion: Text::new(f.instead_zh, f.instead_en),
                });
                at = end;
            }
            None => at += 1,
        }
    }
    hits
}

/// The warning banner for the reply editor, e.g. "回复中有2处服务禁语:「我不知道」「与我无关」…".
pub fn summary(hits: &[PhraseHit]) -> Text {
    if hits.is_empty() {
        return Text::new("未发现服务禁语。", "No phrases to avoid.");
    }
    let zh: Vec<String> = hits.iter().map(|h| format!("「{}」", h.phrase)).collect();
    let en: Vec<String> = hits.iter().map(|h| format!("“{}”", h.phrase)).collect();
    let n = hits.len();
    Text::new(
        format!(
            "回复中有{n}处服务禁语：{}。请换一种说法，或确认仍要发送。",
            zh.concat()
        ),
        format!(
            "The reply contains {n} phrase{} to avoid: {}. Rephrase it, or confirm to send anyway.",
            if n == 1 { "" } else { "s" },
            en.join(", ")
        ),
    )
}

/// The server's refusal of a reply with forbidden phrases that was not confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedsConfirmation {
    /// What was found.
    pub hits: Vec<PhraseHit>,
}

impl NeedsConfirmation {
    /// The form field the warning belongs to.
    pub fn field(&self) -> &'static str {
        "reply"
    }

    /// The warning banner text.
    pub fn message(&self, lang: Lang) -> String {
        summary(&self.hits).get(lang).to_owned()
    }
}

impl std::fmt::Display for NeedsConfirmation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for NeedsConfirmation {}

/// The server-side rule: a reply with forbidden phrases is sent only with an explicit "send
/// anyway". `Ok` carries the hits for the audit trail (empty when the reply is clean).
pub fn review_reply(text: &str, send_anyway: bool) -> Result<Vec<PhraseHit>, NeedsConfirmation> {
    let hits = check_reply(text);
    if hits.is_empty() || send_anyway {
        Ok(hits)
    } else {
        Err(NeedsConfirmation { hits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_is_anchored_on_characters() {
        assert!(patterns().iter().all(|(_, p)| p.is_anchored()));
        assert_eq!(forbidden_phrases().count(), 10);
    }

    #[test]
    fn a_reply_with_a_phrase_needs_confirmation() {
        let err = review_reply("这不归我们管。", false).unwrap_err();
        assert_eq!(err.hits[0].phrase, "不归我们管");
        assert_eq!(review_reply("这不归我们管。", true).unwrap().len(), 1);
        assert!(review_reply("我们马上安排维修。", false)
            .unwrap()
            .is_empty());
    }
}
