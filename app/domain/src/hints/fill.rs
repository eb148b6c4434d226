//! Stated facts win (rules.md, Amendments): the text's cues fill only the facts a person left
//! out, and each fact taken from the text is listed so the form can ask "文字中提到…,是否
//! 属实?" instead of applying it silently. Cues that a stated fact overrode are listed apart,
//! for staff to ask about. See app/domain/docs/grading.md, "Stated facts and text cues".

use serde::{Deserialize, Serialize};

use super::cues::{severity_rank, text_cues, TextCues};
use crate::grading::{grade, Grade, GradingPolicy, IntakeFacts, StatedFacts};
use crate::lang::{Lang, Text};
use crate::money::format_yuan;
use crate::vocab::{Impact, RiskFlag};

/// One fact a text cue says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueFact {
    /// A risk flag applies.
    Flag(RiskFlag),
    /// The impact on use.
    Impact(Impact),
    /// People complaining together.
    People(u32),
    /// A repair or compensation amount claimed, in fen.
    Amount(u64),
}

impl CueFact {
    /// The intake form's field this fact answers (a [`RawIntake`](crate::RawIntake) field:
    /// `flags`, `impact`, `people_count`, `claimed_amount_yuan`) and the value that states
    /// it, for a "是，属实" button that fills the form.
    pub fn form_answer(&self) -> (&'static str, String) {
        match *self {
            CueFact::Flag(flag) => ("flags", flag.code().to_owned()),
            CueFact::Impact(impact) => ("impact", impact.code().to_owned()),
            CueFact::People(n) => ("people_count", n.to_string()),
            CueFact::Amount(fen) if fen % 100 == 0 => {
                ("claimed_amount_yuan", (fen / 100).to_string())
            }
            CueFact::Amount(fen) => (
                "claimed_amount_yuan",
                format!("{}.{:02}", fen / 100, fen % 100),
            ),
        }
    }

    /// The fact in words: "扬言曝光/维权", "影响程度为“影响使用但仍可用”", "共10人一起投诉",
    /// "涉及金额¥8,000".
    pub fn describe(&self) -> Text {
        match *self {
            CueFact::Flag(flag) => Text::new(flag.label(Lang::Zh), flag.label(Lang::En)),
            CueFact::Impact(impact) => Text::new(
                format!("影响程度为“{}”", impact.label(Lang::Zh)),
                format!("impact “{}”", impact.label(Lang::En)),
            ),
            CueFact::People(n) => Text::new(
                format!("共{n}人一起投诉"),
                format!("{n} people complaining together"),
            ),
            CueFact::Amount(fen) => Text::new(
                format!("涉及金额{}", format_yuan(fen)),
                format!("amount involved {}", format_yuan(fen)),
            ),
        }
    }
}

/// A fact read from the text, with the words that said it, to confirm with the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What the text says.
    pub fact: CueFact,
    /// The words that said it, in the order found, e.g. ["记者来了"].
    pub words: Vec<String>,
}

impl Suggestion {
    /// The question to ask: "文字中提到“记者来了”：已联系媒体/网络曝光，是否属实？" / "Your text
    /// mentions “记者来了” (Media contacted): is that right?".
    pub fn question(&self) -> Text {
        let fact = self.fact.describe();
        let (zh_words, en_words) = (self.words.join("”、“"), self.words.join("”, “"));
        Text::new(
            format!("文字中提到“{zh_words}”：{}，是否属实？", fact.zh),
            format!(
                "Your text mentions “{en_words}” ({}): is that right?",
                fact.en
            ),
        )
    }
}

/// The facts to grade, and what the text contributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filled {
    /// Every stated fact as stated; every fact left out as the text says (or the default).
    pub facts: IntakeFacts,
    /// Facts taken from the text, applied in `facts`: offer each to confirm.
    pub suggested: Vec<Suggestion>,
    /// Facts the text says beyond a stated one (more severe impact, a larger amount, more
    /// people, a flag not in the stated list): not applied, the stated fact stands; staff may
    /// ask about them.
    pub set_aside: Vec<Suggestion>,
}

impl TextCues {
    /// The facts to grade: each stated fact as stated, each fact left out from these cues, the
    /// rest (repeat, same-issue complainants, days unresolved) at their defaults. A stated
    /// fact is never changed, whatever the text says.
    pub fn fill(&self, stated: &StatedFacts) -> Filled {
        self.fill_onto(stated, IntakeFacts::default())
    }

    /// As [`fill`](Self::fill), taking the facts only the record knows (repeat, same-issue
    /// complainants, days unresolved) from `known`; its people, amount, flags and impact are
    /// replaced by the stated facts or the cues.
    pub fn fill_onto(&self, stated: &StatedFacts, known: IntakeFacts) -> Filled {
        let mut facts = known;
        let (mut suggested, mut set_aside) = (Vec::new(), Vec::new());
        let mut offer = |fact: CueFact, applied: bool| {
            let s = Suggestion {
                fact,
                words: self.words_for(fact),
            };
            if applied {
                suggested.push(s);
            } else {
                set_aside.push(s);
            }
        };

        match stated.impact {
            Some(impact) => {
                facts.impact = impact;
                if severity_rank(self.impact) > severity_rank(impact) {
                    offer(CueFact::Impact(self.impact), false);
                }
            }
            None => {
                facts.impact = self.impact;
                if self.impact != Impact::None {
                    offer(CueFact::Impact(self.impact), true);
                }
            }
        }

        let people = self.people_count.max(1);
        match stated.people_count {
            Some(n) => {
                facts.people_count = n.max(1);
                if people > n.max(1) {
                    offer(CueFact::People(people), false);
                }
            }
            None => {
                facts.people_count = people;
                if people > 1 {
                    offer(CueFact::People(people), true);
                }
            }
        }

        match stated.amount_fen {
            Some(fen) => {
                facts.claimed_amount_fen = fen;
                if self.amount_fen > fen {
                    offer(CueFact::Amount(self.amount_fen), false);
                }
            }
            None => {
                facts.claimed_amount_fen = self.amount_fen;
                if self.amount_fen > 0 {
                    offer(CueFact::Amount(self.amount_fen), true);
                }
            }
        }

        match &stated.flags {
            Some(flags) => {
                facts.flags = flags.clone();
                for flag in self.flags.iter().filter(|f| !flags.contains(f)) {
                    offer(CueFact::Flag(*flag), false);
                }
            }
            None => {
                facts.flags = self.flags.clone();
                for flag in &self.flags {
                    offer(CueFact::Flag(*flag), true);
                }
            }
        }

        Filled {
            facts,
            suggested,
            set_aside,
        }
    }
}

/// The grade a description and the stated facts imply, and what the text contributed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// The level with every rule that fired.
    pub grade: Grade,
    /// The facts graded, the facts taken from the text, the cues set aside.
    pub filled: Filled,
}

/// Grades a description with what was stated, the one path for the form, filing and the JSON
/// API: the text's cues fill only what `stated` leaves out; `known` gives the facts only the
/// record knows (repeat, same-issue complainants, days unresolved; its other fields are not
/// read).
pub fn preview(
    text: &str,
    stated: &StatedFacts,
    known: &IntakeFacts,
    policy: &GradingPolicy,
) -> Preview {
    let filled = text_cues(text).fill_onto(stated, known.clone());
    Preview {
        grade: grade(&filled.facts, policy),
        filled,
    }
}
