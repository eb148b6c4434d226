//! rules.md "How staff speak" (十大禁语): each of the ten phrases, close variants, spans in the
//! original text, and innocent sentences that must not be flagged.

use domain::phrases::{forbidden_phrases, summary};
use domain::{check_reply, Lang};

/// The canonical phrases found in `text`, in order.
fn found(text: &str) -> Vec<&'static str> {
    check_reply(text).into_iter().map(|h| h.phrase).collect()
}

#[test]
fn each_of_the_ten_phrases_is_found() {
    let cases = [
        ("这问题很容易。", "这问题很容易"),
        ("这种小儿科的事也来投诉?", "小儿科"),
        ("一分钱,一分货。", "一分钱一分货"),
        ("绝对你搞错了。", "绝对你搞错了"),
        ("绝对不会有这事。", "绝对不会有这事"),
        ("这是工程部门的事,与我无关。", "这是××部门的事"),
        ("我不知道。", "我不知道"),
        ("这个不归我们管。", "不归我们管"),
        ("这是上头的事。", "这是上头的事"),
    ];
    for (text, phrase) in cases {
        assert_eq!(found(text).first(), Some(&phrase), "{text}");
    }
    assert_eq!(
        found("这是工程部门的事,与我无关。"),
        ["这是××部门的事", "与我无关"]
    );
    assert_eq!(forbidden_phrases().count(), 10);
}

#[test]
fn close_variants_are_found() {
    let cases = [
        ("与 我 无 关", "与我无关"),
        ("与我，无关", "与我无关"),
        ("这事跟我没关系", "与我无关"),
        ("和我没关系啊", "与我无关"),
        ("这不关我事", "与我无关"),
        ("不关我的事", "与我无关"),
        ("关我什么事", "与我无关"),
        ("这不是我们管的", "不归我们管"),
        ("这不归我管", "不归我们管"),
        ("这个我们管不了", "不归我们管"),
        ("那是上面的事", "这是上头的事"),
        ("这是领导的决定", "这是上头的事"),
        ("这是别的部门的事", "这是××部门的事"),
        ("那是开发商的事", "这是××部门的事"),
        ("你肯定搞错了", "绝对你搞错了"),
        ("肯定是您自己弄错了", "绝对你搞错了"),
        ("不可能有这种事", "绝对不会有这事"),
        ("根本没有这样的事", "绝对不会有这事"),
        ("一分价钱一分货", "一分钱一分货"),
        ("便宜没好货", "一分钱一分货"),
        ("这是很简单的问题", "这问题很容易"),
        ("这个问题太简单了!", "这问题很容易"),
        ("我们也不清楚。", "我不知道"),
        ("我哪知道", "我不知道"),
        ("ＡＢ，我 不 知 道！", "我不知道"),
    ];
    for (text, phrase) in cases {
        assert_eq!(found(text), [phrase], "{text}");
    }
}

#[test]
fn innocent_sentences_are_not_flagged() {
    let innocent = [
        "我不知道您是否方便明天上午在家,我们想安排师傅上门。",
        "我们不知道具体原因,已请工程部今天下午到现场查看,18点前给您答复。",
        "这是我们部门的事,我们一定负责到底。",
        "这个问题很容易解决,师傅今天下午就到。",
        "我们保证以后不会再有这种事发生。",
        "我们不管多晚都会等师傅修好。",
        "该问题属于市政供水,不在物业管理范围内,我们已帮您联系自来水公司。",
        "请与我联系。无关人员请勿进入机房。",
        "如上面所述,维修已完成。",
        "感谢您的反馈,我们马上安排。",
    ];
    for text in innocent {
        assert_eq!(found(text), Vec::<&str>::new(), "{text}");
    }
}

#[test]
fn spans_are_byte_offsets_into_the_original_text() {
    let text = "您好!这件事与 我，无关,请找物业。";
    let hits = check_reply(text);
    assert_eq!(hits.len(), 1);
    assert_eq!(&text[hits[0].start..hits[0].end], "与 我，无关");
    assert!(text.is_char_boundary(hits[0].start) && text.is_char_boundary(hits[0].end));
}

#[test]
fn hits_are_in_order_and_do_not_overlap() {
    let text = "我不知道。这是上头的事,跟我没关系,不归我们管。";
    let hits = check_reply(text);
    let phrases: Vec<&str> = hits.iter().map(|h| h.phrase).collect();
    assert_eq!(
        phrases,
        ["我不知道", "这是上头的事", "与我无关", "不归我们管"]
    );
    assert!(hits.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn each_hit_suggests_a_concrete_polite_alternative() {
    let hit = &check_reply("我不知道")[0];
    assert_eq!(
        hit.suggestion.get(Lang::Zh),
        "这个问题我马上帮您确认，X点前给您答复。"
    );
    assert_eq!(
        hit.suggestion.get(Lang::En),
        "Let me find out for you and get back to you by …"
    );
    let all = check_reply("这问题很容易。小儿科。一分钱一分货。你搞错了。绝对不会有这事。");
    assert_eq!(all.len(), 5);
    assert!(all
        .iter()
        .all(|h| !h.suggestion.zh.is_empty() && !h.suggestion.en.is_empty()));
}

#[test]
fn the_banner_counts_and_names_the_phrases() {
    let hits = check_reply("我不知道。与我无关。");
    let banner = summary(&hits);
    assert_eq!(
        banner.get(Lang::Zh),
        "回复中有2处服务禁语：「我不知道」「与我无关」。请换一种说法，或确认仍要发送。"
    );
    assert!(banner
        .get(Lang::En)
        .starts_with("The reply contains 2 phrases to avoid"));
    assert_eq!(summary(&[]).get(Lang::Zh), "未发现服务禁语。");
}

#[test]
fn long_replies_are_checked_quickly_enough_to_run_on_every_keystroke() {
    // Not a timing assertion: a 2,000-character reply must simply complete.
    let text = "您好,我们已安排师傅上门检查,请您保持电话畅通。".repeat(80);
    assert!(check_reply(&text).is_empty());
}
