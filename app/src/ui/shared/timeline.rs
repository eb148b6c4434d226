use leptos::prelude::*;

use crate::i18n::{current_lang, t, Lang, Msg};
use crate::model::{EventKind, TimelineEntry};
use crate::ui::shared::format_time;

/// A complaint's history, oldest first. Internal entries are marked; owners never
/// receive them in the first place.
#[component]
pub fn Timeline(entries: Vec<TimelineEntry>) -> impl IntoView {
    let lang = current_lang();
    if entries.is_empty() {
        return view! { <p class="muted">{t(Msg::TimelineEmpty)}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {entries.into_iter().map(|entry| {
                let title = title(&entry, lang);
                let who = entry.actor_name.clone().or_else(|| entry.actor_role.map(|r| r.label(lang).to_owned()));
                let class = format!("timeline-entry kind-{}{}", entry.kind.code(), if entry.public { "" } else { " internal" });
                view! {
                    <li class=class>
                        <div class="timeline-head">
                            <time datetime=entry.at.to_rfc3339()>{format_time(entry.at)}</time>
                            <span class="timeline-title">{title}</span>
                            {who.map(|w| view! { <span class="timeline-who">{w}</span> })}
                        </div>
                        {match evidence_of(&entry) {
                            Some(file) => file.into_any(),
                            None => match (lang, entry.body_en.clone()) {
                                (Lang::En, Some(en)) => Some(en),
                                _ => entry.body.clone(),
                            }
                                .filter(|_| entry.kind != EventKind::Group)
                                .map(|b| view! { <p class="timeline-body">{b}</p> })
                                .into_any(),
                        }}
                    </li>
                }
            }).collect_view()}
        </ol>
    }.into_any()
}

/// The heading of a timeline entry: what happened, in words.
fn title(entry: &TimelineEntry, lang: Lang) -> String {
    let status = |code: Option<&str>| {
        code.and_then(domain::Status::parse)
            .map(|s| s.label(lang))
            .unwrap_or("")
    };
    match entry.kind {
        EventKind::Filed => t(Msg::EventFiled).to_owned(),
        EventKind::Reply => t(Msg::EventReply).to_owned(),
        EventKind::Note if entry.after.as_deref() == Some("report_submitted") => {
            t(Msg::EventReportSubmitted).to_owned()
        }
        EventKind::Note => t(Msg::EventNote).to_owned(),
        EventKind::Contact => t(Msg::EventContact).to_owned(),
        EventKind::Status => status(entry.after.as_deref()).to_owned(),
        EventKind::Level => labelled(
            t(Msg::EventLevel),
            &format!(
                "{} → {}",
                level_label(entry.before.as_deref(), lang),
                level_label(entry.after.as_deref(), lang)
            ),
            lang,
        ),
        EventKind::Assignment => t(Msg::EventAssigned).to_owned(),
        EventKind::Solution => t(Msg::EventSolution).to_owned(),
        EventKind::Approval => match entry.after.as_deref() {
            Some("awaiting_approval") => t(Msg::EventApprovalRequested).to_owned(),
            Some("approved") => t(Msg::EventApprovalGranted).to_owned(),
            _ => t(Msg::EventApprovalDenied).to_owned(),
        },
        EventKind::Revisit if entry.after.as_deref() == Some("revisit_review") => {
            t(Msg::EventRevisitReview).to_owned()
        }
        // Said as a sentence: what the revisit came to.
        EventKind::Revisit => match entry.after.as_deref().and_then(domain::Status::parse) {
            Some(domain::Status::Revisited | domain::Status::Closed) => {
                t(Msg::EventRevisitDone).to_owned()
            }
            Some(domain::Status::Reopened) => t(Msg::EventRevisitReopened).to_owned(),
            _ => labelled(t(Msg::EventRevisit), status(entry.after.as_deref()), lang),
        },
        EventKind::Escalation => t(Msg::EventEscalation).to_owned(),
        EventKind::Group if entry.body.as_deref() == Some("repeat") => {
            t(Msg::EventRepeat).to_owned()
        }
        EventKind::Group => t(Msg::EventGroup).to_owned(),
        EventKind::Evidence => t(match entry.before.as_deref() {
            Some("image") => Msg::EventEvidencePhoto,
            Some("video") => Msg::EventEvidenceVideo,
            _ => Msg::EventEvidence,
        })
        .to_owned(),
        EventKind::OwnerMessage => t(Msg::EventOwnerMessage).to_owned(),
        EventKind::Waiting => match entry
            .after
            .as_deref()
            .and_then(domain::waiting::Awaiting::parse)
        {
            Some(awaiting) => awaiting.label(lang).to_owned(),
            None => t(Msg::EventWaitEnded).to_owned(),
        },
        EventKind::Correction => t(Msg::EventCorrection).to_owned(),
        EventKind::Dispute => labelled(t(Msg::EventDispute), status(entry.after.as_deref()), lang),
    }
}

/// "回访：已回访" / "Revisit: revisited" — each language's own colon.
fn labelled(label: &str, value: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{label}：{value}"),
        Lang::En => format!("{label}: {value}"),
    }
}

fn level_label(number: Option<&str>, lang: Lang) -> &'static str {
    number
        .and_then(|n| n.parse::<u8>().ok())
        .and_then(domain::Level::from_number)
        .map(|l| l.label(lang))
        .unwrap_or("")
}

/// An attached file, shown where it was added: a photo as its thumbnail, a video as a
/// link, each opening the file (`/evidence/{id}`, which checks who may see it). Entries
/// recorded before files were linked show their file name.
fn evidence_of(entry: &TimelineEntry) -> Option<impl IntoView> {
    if entry.kind != EventKind::Evidence {
        return None;
    }
    let id: i64 = entry.after.as_deref()?.parse().ok()?;
    let src = format!("/evidence/{id}");
    let name = entry.body.clone().unwrap_or_default();
    let photo = entry.before.as_deref() == Some("image");
    Some(view! {
        <p class="timeline-body timeline-file">
            <a href=src.clone() target="_blank" rel="noopener">
                {photo.then(|| view! {
                    <img class="timeline-thumb" src=src.clone() loading="lazy" alt=name.clone() />
                })}
                <span class="small">{(!photo).then_some("▶ ")}{name.clone()}</span>
            </a>
        </p>
    })
}
