#!/usr/bin/env python3
"""Composes training examples from hand-written fragments (see ../README.md, "Composed lines").

Writes, for every category, `../<category>.letter.composed.txt` (letters to a city's message
board), `../<category>.note.composed.txt` (agents' notes of calls) and
`../<category>.chat.composed.txt` (the same complaints typed on a phone: voice-input
punctuation and the usual homophone slips). Deterministic: the same fragments give the same
files. Run from anywhere: `python3 app/domain/corpus/compose/compose.py`.

Only training lines are used. A category's main issues are its `<category>.issue.txt`
fragments plus the training lines (line index i with i % 5 != 4, as `classifier::corpus`
splits) of its written files; held-out lines and `*.heldout.txt` are never read. Every
composed line is training (`*.composed.txt`), because composed lines share fragments.

`../_background.composed.txt` holds texts with no category (a letter's courtesy, who and
where, history and attempts without any issue), for the model's "no category" output.

Side issues of a letter come from the *other* categories' `<category>.side.txt`: real letters
name the developer, the parking and the hotline on their way to one main request, and the
label follows the main request.
"""
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
CATEGORIES = [
    "engineering_quality",
    "planning_design",
    "sales_management",
    "property_management",
    "service_conduct",
    "repair_service",
    "leasing_commercial",
    "external_environment",
]
# Every category gets composed lines up to TOTAL examples (written + composed), at least
# MIN_COMPOSED, shared out between the registers in these proportions.
TOTAL = 1010
MIN_COMPOSED = 470
SHARES = {"letter": 0.68, "note": 0.19, "chat": 0.13}
BACKGROUND = 400
SEED = 20261201


def read(name):
    path = HERE / name
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def training_lines(category, register=None):
    """Training lines of a written file (never its held-out lines)."""
    name = f"{category}.txt" if register is None else f"{category}.{register}.txt"
    path = CORPUS / name
    if not path.exists():
        return []
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        line = line.strip()
        if line and i % 5 != 4:
            out.append(line)
    return out


# Names are made up from parts; none is meant to be a real estate or company.
PLACE = "锦 翠 金 银 华 碧 嘉 御 盛 康 和 紫 绿 东 西 南 北 新 龙 凤 天 云 星 海 湖 山 兰 桂 枫 松 柏 荷 梅 樱 秀 瑞 福 泰 安 宁 恒 鑫 宏 丰 润 悦 雅 逸 博 德 明 春 秋 景 园 阳 光 晨 曦 江 溪 泉 岚".split()
ESTATE = "苑 园 府 城 湾 庭 花园 家园 名邸 华庭 新城 雅居 公馆 壹号 国际 佳苑 里 台 山庄 水岸 名都 天地 世家 嘉园 丽景 雅苑 华府 书院 滨江 学府".split()
DEV = "置业 地产 房地产开发有限公司 实业 建设集团 控股 房地产公司 置业有限公司 城建".split()
PM_CO = "物业 物业服务有限公司 物业管理公司 物业公司 物业集团".split()
DISTRICT = "城东区 城西区 城南区 城北区 高新区 经开区 新区 老城区 滨湖区 江北区 开发区 港区 湖西片区 东城街道 西城街道".split()
PHASE = "一期 二期 三期 四期 A区 B区 东区 西区 南区".split()


def two(rng):
    a = rng.choice(PLACE)
    b = rng.choice(PLACE)
    while b == a:
        b = rng.choice(PLACE)
    return a + b


def estate(rng):
    return two(rng) + rng.choice(ESTATE)


def building(rng):
    n = rng.randint(1, 36)
    forms = [
        f"{n}号楼",
        f"{n}栋",
        f"{n}幢{rng.randint(1, 4)}单元",
        f"{n}号楼{rng.randint(1, 4)}单元{rng.randint(1, 33)}0{rng.randint(1, 4)}",
        f"{n}栋{rng.randint(2, 32)}楼",
        f"{rng.choice('ABCDEFG')}座",
    ]
    return rng.choice(forms)


def slot_values(rng):
    """Names, numbers and dates for one text (a letter keeps them throughout)."""
    year = rng.randint(2012, 2024)
    return {
        "区": rng.choice(DISTRICT),
        "小区": estate(rng),
        "楼": building(rng),
        "开发商": two(rng) + rng.choice(DEV),
        "物业": two(rng) + rng.choice(PM_CO),
        "期": rng.choice(PHASE),
        "年": str(year),
        "年2": str(min(year + rng.randint(1, 3), 2025)),
        "月": str(rng.randint(1, 12)),
        "n": str(rng.randint(2, 12)),
        "m": str(rng.choice([300, 500, 800, 1200, 1500, 2000, 3000])),
    }


def fill(text, rng, values=None):
    values = values or slot_values(rng)
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text)


def sentence(text):
    text = text.strip()
    if not text:
        return ""
    return text if text[-1] in "。！？!?…" else text + "。"


def side_pool(category):
    return [s for c in CATEGORIES if c != category for s in read(f"{c}.side.txt")]


def aside(category, rng, asides):
    pool = side_pool(category)
    a, b = rng.sample(pool, 2)
    return rng.choice(asides).replace("{side}", a).replace("{side2}", b)


def letter(category, rng, shared, issues, requests):
    """A letter of 150-600 characters: retried until it is that long."""
    while True:
        text = letter_once(category, rng, shared, issues, requests)
        if 150 <= len(text) <= 600:
            return text


GREETING = re.compile(r"^(您好|你好|各位好|领导好|物业你好|在吗)[，,！!。 ]*(麻烦)?(反映一下|想反映一下|我想反映一下)?[，,：:]?")


def issue_text(issue, rng, values=None):
    return sentence(fill(GREETING.sub("", issue), rng, values))


def letter_once(category, rng, shared, issues, requests):
    """Opening, who and where, maybe history and side issues, the main issue (one to three
    fragments of this category), what was tried, one request, closing; grown towards a
    length drawn around the real letters' median."""
    target = rng.triangular(150, 600, 330)
    v = slot_values(rng)
    head = []
    if rng.random() < 0.85:
        head.append(rng.choice(shared["openings"]))
    if rng.random() < 0.9:
        head.append(sentence(fill(rng.choice(shared["identity"]), rng, v)))
    if rng.random() < 0.6:
        head.append(sentence(fill(rng.choice(shared["history"]), rng, v)))
    before = [sentence(aside(category, rng, shared["asides"]))] if rng.random() < 0.35 else []
    main = [issue_text(m, rng, v) for m in rng.sample(issues, 2 if rng.random() < 0.45 else 1)]
    after = [sentence(fill(rng.choice(shared["attempts"]), rng, v))] if rng.random() < 0.7 else []
    tail = []
    if rng.random() < 0.3:
        tail.append(rng.choice(shared["gov"]))
    if rng.random() < 0.9:
        tail.append(sentence(rng.choice(requests)))
    if rng.random() < 0.8:
        tail.append(rng.choice(shared["closings"]))
    asides = len(before)
    def length():
        return sum(len(p) for p in head + before + main + after + tail)
    while length() < target:
        r = rng.random()
        if r < 0.35 and len(main) < 3:
            main.append(issue_text(rng.choice(issues), rng, v))
        elif r < 0.65:
            after.append(sentence(fill(rng.choice(shared["attempts"]), rng, v)))
        elif asides < 2:
            after.append(sentence(aside(category, rng, shared["asides"])))
            asides += 1
        else:
            # More history would contradict itself ("住进来8年" after "2020年入住").
            break
    return punctuate("".join(head + before + main + after + tail), rng)


def punctuate(text, rng):
    r = rng.random()
    if r < 0.08:
        return text.replace("，", ",").replace("。", ".").replace("！", "!").replace("？", "?").replace("：", ":")
    if r < 0.13:
        return text.replace("。", "，")
    return text


THIRD_PERSON = [
    ("我们小区", "该小区"), ("我们楼", "其所在楼栋"), ("我们单元", "其所在单元"), ("我们家", "其家"),
    ("我家", "其家"), ("我们", "业主们"), ("我的", "其"), ("我", "业主"),
]


def third_person(text):
    for a, b in THIRD_PERSON:
        text = text.replace(a, b)
    return text


FALLBACK_REQUESTS = ["尽快处理", "给予答复", "尽快安排人员核实", "相关部门尽快解决", "给个说法"]


def as_request(text, rng):
    """A request as an agent writes it after 要求: the cue dropped, or a stock phrase."""
    text = text.strip().rstrip("。！")
    for cue in ("恳请", "请求", "希望", "请"):
        if text.startswith(cue):
            return text[len(cue):]
    return rng.choice(FALLBACK_REQUESTS)


NOTE_FORMS = [
    "业主来电反映：{issue}要求{request}。",
    "{小区}{楼}业主来电，反映{issue}业主要求{request}。",
    "来电人自称{小区}业主，称{issue}{attempt}诉求：{request}。",
    "业主到物业前台反映，{issue}要求{request}。",
    "12345转办工单：{小区}业主反映{issue}市民诉求：{request}。",
    "业主微信留言：{issue}已回复业主会尽快核实。",
    "电话回访时业主补充：{issue}{attempt}",
    "{小区}{楼}住户来电投诉：{issue}来电人情绪激动，要求{request}。",
    "业主来访：{issue}{attempt}要求{request}，已登记。",
    "接业主电话，{issue}业主希望{request}。",
    "业主邮件反映：{issue}要求{request}。",
    "来电：{小区}，{issue}要求尽快处理。",
]


def note(category, rng, shared, issues, requests):
    form = rng.choice(NOTE_FORMS)
    issue = issue_text(rng.choice(issues), rng)
    if "称" in form or "反映" in form or "投诉" in form:
        issue = third_person(issue)
    text = form.replace("{issue}", issue)
    text = text.replace("{attempt}", sentence(third_person(rng.choice(shared["attempts"]))))
    text = text.replace("{request}", as_request(rng.choice(requests), rng))
    return fill(text, rng)


# Slips that phone keyboards and voice input really make (the wrong word on the right).
SLIPS = [
    ("反映", "反应"), ("已经", "以经"), ("报修", "保修"), ("安装", "按装"), ("账", "帐"),
    ("再", "在"), ("在", "再"), ("的", "得"), ("得", "的"), ("那", "哪"), ("做", "作"),
    ("像", "象"), ("一直", "一只"), ("物业", "无业"), ("渗水", "深水"), ("楼上", "楼尚"),
    ("怎么", "咋"), ("什么", "啥"), ("没有", "没"), ("师傅", "师父"), ("维修", "维休"),
]
OPENERS = ["", "", "", "你好 ", "您好，", "喂 ", "在吗 ", "管家 ", "物业你好，", "师傅，", "请问 "]
CLOSERS = ["", "", "", " 谢谢", " 麻烦看一下", " 急", " 到底管不管", "！！", "？？", " 赶紧的", " 辛苦了"]


def chat(line, rng):
    text = line
    for _ in range(rng.choice([0, 1, 1, 2])):
        a, b = rng.choice(SLIPS)
        if a in text:
            text = text.replace(a, b, 1)
    r = rng.random()
    if r < 0.35:
        text = re.sub(r"[，。、；：,.;:]", " ", text)
    elif r < 0.55:
        text = re.sub(r"[，、；,;]", "。", text)
    elif r < 0.7:
        text = re.sub(r"[，。、；：,.;:！？!?]", "", text)
    text = re.sub(r" +", " ", text).strip()
    return (rng.choice(OPENERS) + text + rng.choice(CLOSERS)).strip()


def written_count(category):
    """Lines written by hand for `category`, training and held out."""
    return sum(
        len(read_corpus(path.name))
        for path in CORPUS.glob(f"{category}*.txt")
        if "composed" not in path.name and path.name.split(".")[0] == category
    )


def read_corpus(name):
    path = CORPUS / name
    return [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def unique(count, make):
    """`count` distinct results of `make`, in the order they were made."""
    seen, out = set(), []
    while len(out) < count:
        text = make()
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


GENERIC_REQUESTS = [
    "恳请相关部门尽快处理。", "希望尽快解决。", "请尽快给我们一个答复。", "请领导重视。",
    "希望有关部门能管一管。", "请尽快处理，谢谢。", "盼早日解决。", "请相关部门核实处理。",
]


def background(rng, shared):
    """A text with no category: a letter's courtesy, who and where, history and attempts
    without the issue (also what the form holds while a letter is half typed)."""
    parts = []
    if rng.random() < 0.8:
        parts.append(rng.choice(shared["openings"]))
    if rng.random() < 0.8:
        parts.append(sentence(fill(rng.choice(shared["identity"]), rng)))
    if rng.random() < 0.5:
        parts.append(sentence(fill(rng.choice(shared["history"]), rng)))
    for _ in range(rng.choice([0, 0, 1, 2])):
        parts.append(sentence(fill(rng.choice(shared["attempts"]), rng)))
    if rng.random() < 0.3:
        parts.append(rng.choice(shared["gov"]))
    if rng.random() < 0.4:
        parts.append(rng.choice(GENERIC_REQUESTS))
    if rng.random() < 0.5:
        parts.append(rng.choice(shared["closings"]))
    return punctuate("".join(parts), rng)


def main():
    rng = random.Random(SEED)
    shared = {
        name: read(f"{name}.txt")
        for name in ["openings", "identity", "history", "attempts", "gov", "closings", "asides"]
    }
    for category in CATEGORIES:
        written = read(f"{category}.issue.txt")
        form = [l for l in training_lines(category) if len(l) >= 20]
        issues = written + form
        requests = read(f"{category}.request.txt")
        composed = max(MIN_COMPOSED, TOTAL - written_count(category))
        counts = {r: round(composed * share) for r, share in SHARES.items()}
        letters = unique(counts["letter"], lambda: letter(category, rng, shared, issues, requests))
        notes = unique(counts["note"], lambda: note(category, rng, shared, issues, requests))
        short = [l for l in training_lines(category) if len(l) <= 60]
        chats = unique(counts["chat"], lambda: chat(rng.choice(short), rng))
        for register, lines in (("letter", letters), ("note", notes), ("chat", chats)):
            path = CORPUS / f"{category}.{register}.composed.txt"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = [l for l in unique(BACKGROUND, lambda: background(rng, shared)) if l]
    (CORPUS / "_background.composed.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
