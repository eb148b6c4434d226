//! The administrator's page for the category classifier's retraining.

use super::catalogue;

catalogue!(ClassifierMsg {
    Title => "类别提示模型", "Category hint model";
    Intro => "业主填写投诉时看到的类别提示来自这个模型。员工分派投诉（确认类别）或更正类别后，该投诉就成为本公司的学习样本。训练时，最新的五分之一样本留作检验：新模型只有在本公司检验样本上比现用模型更准、且在内置检验集上不差于现用模型 2 个百分点以内时才会启用。样本中的电话、姓名、房号在训练前均被隐去。", "The category hints owners see while filing come from this model. A complaint becomes one of the company's examples when staff assign it (confirming its category) or correct its category. Training holds out the newest fifth of the examples: a new model is put in use only if it is more accurate than the model in use on those, and no more than 2 points worse on the shipped test set. Phone numbers, names and unit numbers are masked before training.";
    InUse => "现用模型", "In use";
    Shipped => "内置模型（版本 0）", "Shipped model (version 0)";
    Version => "版本 {}", "Version {}";
    Cases => "已确认类别的投诉：{} 件（上次训练后新增 {} 件）", "Complaints with a confirmed category: {} ({} since the last training)";
    Nightly => "每晚 2 点，新增样本达到 {} 件时自动训练；至少需要 {} 件样本。", "Trained automatically at 02:00 when {} new examples have come in; at least {} are needed.";
    Train => "立即训练新模型", "Train a new model now";
    Training => "训练中…", "Training…";
    Promoted => "版本 {} 已启用：在本公司检验样本上更准。", "Version {} is now in use: more accurate on the company's held-out examples.";
    NotBetter => "版本 {} 未启用：在本公司检验样本上不比现用模型更准。", "Version {} was not put in use: not more accurate than the model in use on the company's held-out examples.";
    WorseOnShipped => "版本 {} 未启用：在内置检验集上比现用模型差太多。", "Version {} was not put in use: too much worse than the model in use on the shipped test set.";
    Models => "训练记录", "Trained models";
    NoModels => "还没有训练过模型，现用的是内置模型。", "No model trained yet; the shipped model is in use.";
    When => "时间", "When";
    By => "发起", "By";
    NightlyRun => "夜间自动", "Nightly";
    Verdict => "结果", "Result";
    VerdictPromoted => "已采用", "Promoted";
    VerdictNotBetter => "未采用：本公司样本上不更准", "Rejected: not better for the company";
    VerdictWorse => "未采用：内置检验集变差", "Rejected: worse on the shipped set";
    Active => "使用中", "In use";
    Company => "本公司检验样本", "Company held-out";
    ShippedSet => "内置检验集", "Shipped test set";
    Accuracy => "{} → {}（共 {} 条）", "{} → {} ({} texts)";
    Examples => "样本 {} 件，训练用 {} 件，用时 {} 秒", "{} examples, {} trained on, {} s";
    Size => "模型大小", "Model size";
    Report => "查看报告", "Report";
    ByCategory => "各类别（本公司检验样本，现用 → 新模型）", "By category (company held-out, in use → new)";
    Confusion => "新模型的混淆矩阵（行：员工确认的类别；列：模型判断）", "The new model's confusion matrix (rows: staff's category; columns: the model's)";
    NowRight => "新模型改判正确的", "Now right";
    NowWrong => "新模型改判错误的", "Now wrong";
    None => "无", "None";
    Use => "重新启用", "Put back in use";
    UseShipped => "恢复内置模型", "Back to the shipped model";
    Activated => "已切换", "Switched";
});
