//! Revisit survey texts (owners) and the staff revisit list.

use super::catalogue;

catalogue!(SurveyMsg {
    Title => "满意度回访", "How did we do?";
    Intro => "您的投诉已处理完毕。请告诉我们您对处理过程和结果的感受，不满意我们会重新处理，直至您满意。", "Your complaint has been resolved. Tell us how you feel about how it was handled and about the result; if you are not satisfied we will handle it again.";
    ForComplaint => "投诉查询码：{}", "Complaint {}";
    ResultTold => "我们告知您的处理结果：", "The result we reported:";
    QProcess => "您对处理过程满意吗？", "Are you satisfied with how it was handled?";
    QTimeliness => "您对处理速度满意吗？", "Are you satisfied with how fast it was handled?";
    QAttitude => "您对工作人员的态度满意吗？", "Are you satisfied with the staff's attitude?";
    QResult => "您对处理结果满意吗？", "Are you satisfied with the result?";
    QOverall => "总体评分（1分最差，5分最好）", "Overall (1 worst, 5 best)";
    QComment => "还有什么想告诉我们的？（可选）", "Anything else you want to tell us? (optional)";
    Submit => "提交评价", "Submit";
    Submitting => "正在提交…", "Submitting…";
    Thanks => "感谢您的评价！", "Thank you for your feedback!";
    ThanksBody => "如果您选择了不满意，我们已重新处理这件投诉，负责人会尽快联系您。", "If you were not satisfied, we have reopened the complaint and the person in charge will contact you soon.";
    LinkInvalid => "这个回访链接已失效：可能已经提交过，或已超过30天。您仍可凭查询码和手机号查看投诉进度。", "This survey link is no longer valid: it was already answered or is older than 30 days. You can still track the complaint with its code and your phone number.";
    TrackLink => "查询投诉进度", "Track a complaint";
    // Staff
    ListTitle => "待回访", "Revisits due";
    ListIntro => "已解决但尚未回访的投诉，最早的在前。每件都要回访（目标100%）。", "Resolved complaints not revisited yet, oldest first. Every one is revisited (goal: 100%).";
    Rate => "回访率：{}%（{} / {} 轮已完成）", "Revisit rate: {}% ({} of {} rounds done)";
    Empty => "没有待回访的投诉。", "No revisits due.";
    ResolvedAgo => "解决于 {}", "resolved {}";
    SentTo => "回访问卷链接已发送至 {}", "Survey link sent to {}";
    QueuedTo => "回访问卷链接待发送至 {}", "Survey link waiting to be sent to {}";
    DueBy => "应于 {} 前回访", "revisit due by {}";
    ReviewRate => "回访审查率 {}%（已审查 {} / 已回访 {}）", "Revisit records reviewed: {}% ({} of {} answered)";
    Overdue => "回访已逾期", "Revisit overdue";
    PhoneTask => "问卷未答复：请电话回访", "Survey unanswered: call the owner";
    DoRevisit => "去回访", "Revisit";
    NavRevisits => "回访", "Revisits";
});
