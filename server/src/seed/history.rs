//! Demo mode only: a year of complaints already handled, so the reports have
//! something to show — across the demo communities, categories and levels, resolved and
//! closed with revisits and satisfaction, a few reopened after an unsatisfied revisit, two
//! same-issue groups and some repeats. Deterministic (a fixed seed), written in one
//! transaction straight into the tables; the SLA record of each complaint comes from the
//! domain like any other's.
//!
//! It stays out of the way of the live demo and of the tests that file into 翠湖花园:
//! every history complaint is closed or at least resolved and revisited (none is open or
//! awaits a revisit), uses its own phone numbers (no repeats of new filings), and none in
//! 翠湖花园 is newer than the 30-day group window.

use chrono::{DateTime, Duration, Utc};
use domain::{
    deadlines, grade, Category, ClockInputs, Impact, IntakeFacts, Level, Policy, RiskFlag, Role,
    Status, TrackingCode,
};
use sqlx::{AnyConnection, Row};

use crate::db::Db;
use crate::store::complaints::deadlines::ClockRecord;
use crate::store::sql::Sql;
use crate::store::{local_month, to_ms};
use crate::AnyError;

/// One revisit round: resolved at, answered at, answers (process, timeliness, attitude,
/// result), overall.
type Round = (DateTime<Utc>, DateTime<Utc>, [&'static str; 4], i64);
/// A demo handler: (user id, department id, department name, handler name).
type Handler = (i64, i64, String, String);

/// How many complaints the year holds by default (groups and repeats included).
pub const COMPLAINTS: usize = 320;

/// A small deterministic generator (xorshift64*): the same demo every time.
pub(super) struct Dice(pub(super) u64);

impl Dice {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights.
    pub(super) fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        0
    }
}

const SURNAMES: &[&str] = &[
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];

/// (description, root cause, corrective and preventive action) per category.
fn texts(category: Category) -> &'static [(&'static str, &'static str, &'static str)] {
    match category {
        Category::EngineeringQuality => &[
            (
                "卫生间天花板渗水,墙面起皮发霉,怀疑楼上防水层有问题。",
                "楼上卫生间防水层施工时局部漏刷",
                "重做防水并闭水试验48小时;同批次住户卫生间排查,防水验收增加抽检",
            ),
            (
                "下雨时卧室窗台边往里渗水,窗框下面的墙都湿了。",
                "外窗框与墙体之间打胶不密实",
                "外墙侧重新打胶;雨季前对同型号外窗逐户检查",
            ),
            (
                "客厅墙面出现多条裂缝,越来越长,担心结构安全。",
                "墙体抹灰层收缩裂缝,非结构问题(经检测)",
                "铲除空鼓抹灰重做并挂网;向业主出示检测报告",
            ),
            (
                "入户门关不严,门框变形,锁经常卡住。",
                "门框安装时未校正垂直度",
                "重新安装门框并更换门锁;同楼栋入户门逐户回访检查",
            ),
        ],
        Category::PlanningDesign => &[
            (
                "小区规划图上的中心绿地被改成了停车位,没有征求业主意见。",
                "规划调整未向业主公示说明",
                "召开业主说明会并公示审批文件;今后规划调整提前30天公示",
            ),
            (
                "架空层被改成了商铺,和买房时宣传的活动空间不一样。",
                "架空层用途变更沟通不到位",
                "恢复部分架空层为公共活动空间;宣传资料与规划文件逐条核对",
            ),
        ],
        Category::SalesManagement => &[
            (
                "交房时说好的入户花园变成了设备平台,与销售宣传不符。",
                "销售口径与交付标准不一致",
                "按合同约定给予补偿;销售培训统一口径,宣传资料由法务审核",
            ),
            (
                "不动产证到现在还没办下来,已经超过合同约定的时间。",
                "开发商材料报送延误",
                "专人跟进办证进度,每周向业主通报;建立办证节点预警",
            ),
        ],
        Category::PropertyManagement => &[
            (
                "地下车库灯坏了一半,晚上很黑,老人孩子走路危险。",
                "车库照明巡检周期过长",
                "一周内全部更换为LED灯;车库照明纳入每日巡检",
            ),
            (
                "楼道里堆满杂物,保洁好几天没来打扫。",
                "保洁排班人手不足",
                "增加保洁排班并公示保洁频次;每周抽查楼道卫生",
            ),
            (
                "邻居家的狗每天叫到半夜,电梯里经常有狗尿。",
                "文明养犬宣传和管理不到位",
                "上门沟通并发放文明养犬告知书;电梯增加清洁频次",
            ),
            (
                "物业费明细看不懂,公共能耗分摊没有公示。",
                "费用公示不完整",
                "每季度在公告栏和线上公示收支明细;设立费用咨询接待日",
            ),
        ],
        Category::ServiceConduct => &[
            (
                "前台客服态度很差,问物业费明细说不知道,让我自己去问财务。",
                "客服首问负责意识不足",
                "当事人书面道歉;全员重新培训首问负责制和服务用语",
            ),
            (
                "保安说话很冲,不让快递员进小区,还和业主吵起来。",
                "门岗人员沟通方式不当",
                "门岗人员调岗培训;制定快递进出管理办法并公示",
            ),
        ],
        Category::RepairService => &[
            (
                "报修的厨房下水管,师傅来了一次说要换配件,之后再没来过。",
                "维修工单配件等待无人跟进",
                "工单超时自动提醒;配件常备清单补充常用下水配件",
            ),
            (
                "空调外机支架松动,报修三次了还没修好。",
                "维修质量不过关,未做完工检查",
                "更换支架并验收;维修完工增加业主签字确认",
            ),
            (
                "楼道感应灯修好没两天又坏了。",
                "更换的灯具质量不合格",
                "更换合格灯具并延长保修;建立维修返修率统计",
            ),
        ],
        Category::LeasingCommercial => &[
            (
                "续租时招商部突然要涨租金30%,合同里没有这个约定,押金也迟迟不退。",
                "招商人员未按合同条款执行",
                "按原合同续租并退还押金;租金调整须经法务审核并提前通知",
            ),
            (
                "商铺招租承诺的免租期没有兑现。",
                "招商承诺未写入合同",
                "补签补充协议兑现免租期;招商承诺一律书面化",
            ),
        ],
        Category::ExternalEnvironment => &[
            (
                "小区北边工地每天晚上十一点以后还在打桩,孩子睡不着。",
                "周边工地夜间违规施工",
                "联系施工方并报城管备案;夜间施工情况每日巡查记录",
            ),
            (
                "自来水发黄有异味,停水也没有提前通知。",
                "市政管网检修,物业未及时转告",
                "与水务公司建立停水信息联动;停水前24小时公告并短信通知",
            ),
        ],
    }
}

/// Who handles a category (demo department codes) and the weights of categories per
/// community (residential, residential, commercial).
fn department_code(category: Category) -> &'static str {
    match category {
        Category::EngineeringQuality | Category::PlanningDesign => "engineering",
        Category::RepairService => "repair",
        Category::SalesManagement => "sales",
        Category::LeasingCommercial => "leasing",
        _ => "property",
    }
}

const CATEGORY_WEIGHTS: [[u64; 8]; 3] = [
    [22, 4, 6, 26, 8, 20, 0, 14],
    [16, 6, 10, 28, 10, 18, 0, 12],
    [4, 2, 8, 26, 18, 10, 28, 4],
];

/// One complaint of the year, planned.
struct Plan {
    community: usize,
    building: Option<usize>,
    category: Category,
    text: usize,
    name: String,
    phone: String,
    filed_at: DateTime<Utc>,
    people: u32,
    impact: Impact,
    flags: Vec<RiskFlag>,
    emergency: bool,
    /// Members of one same-issue group share a number.
    cluster: Option<usize>,
    /// The earlier plan this one repeats.
    repeat_of: Option<usize>,
}

/// Adds the year of history. `buildings[c]` are the building ids of community `c`.
pub async fn seed(
    db: &Db,
    policy: &Policy,
    communities: &[i64],
    buildings: &[Vec<i64>],
    count: usize,
    now: DateTime<Utc>,
) -> Result<usize, AnyError> {
    let mut dice = Dice(0x5EED_2026_0008);
    let plans = plan(&mut dice, communities.len(), buildings, count, now);
    let mut tx = db.begin().await?;
    let staff = Staff::load(&mut tx).await?;
    let mut ids: Vec<i64> = Vec::with_capacity(plans.len());
    let mut cluster_heads: Vec<(usize, i64)> = Vec::new();
    let mut events = Vec::new();
    for p in &plans {
        let group = p.cluster.map(|c| {
            cluster_heads
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, id)| *id)
        });
        let story = Story::tell(&mut dice, p, policy, now);
        let id = insert(
            &mut tx,
            p,
            &story,
            &staff,
            policy,
            communities,
            buildings,
            &ids,
            group.flatten(),
        )
        .await?;
        if let Some(c) = p.cluster {
            if group.flatten().is_none() {
                cluster_heads.push((c, id));
            }
        }
        insert_revisits(&mut tx, id, &story, &staff).await?;
        story.events(id, p, &staff, &mut events);
        ids.push(id);
    }
    for chunk in events.chunks(40) {
        insert_events(&mut tx, chunk).await?;
    }
    // History is history: nothing of it is sent to owners or webhooks.
    sqlx::query(
        "UPDATE complaints SET outbox_event_id =
             COALESCE((SELECT MAX(e.id) FROM complaint_events e WHERE e.complaint_id = complaints.id), 0)",
    )
    .execute(&mut *tx)
    .await?;
    crate::store::complaints::groups::backfill(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ids.len())
}

fn plan(
    dice: &mut Dice,
    communities: usize,
    buildings: &[Vec<i64>],
    count: usize,
    now: DateTime<Utc>,
) -> Vec<Plan> {
    let communities = communities.clamp(1, CATEGORY_WEIGHTS.len());
    // Not in 翠湖花园's 30-day group window: the live demo and the tests file there.
    let newest = |community: usize| if community == 0 { 35 } else { 8 };
    let mut plans = Vec::with_capacity(count);
    let singles = count.max(COMPLAINTS) - 9 - 10;
    for _ in 0..singles {
        let community = dice.weighted(&[50, 32, 18][..communities]);
        let category = Category::ALL[dice.weighted(&CATEGORY_WEIGHTS[community])];
        // More in the rainy months: a quarter falls 60–150 days back.
        let days_ago = if dice.chance(25) {
            60 + dice.below(90) as i64
        } else {
            newest(community) + dice.below((365 - newest(community)) as u64) as i64
        };
        // A hot spot: leaks in 翠湖花园 3栋.
        let building =
            (community == 0 && category == Category::EngineeringQuality && dice.chance(45))
                .then_some(2);
        let p = new_plan(
            dice,
            buildings,
            now,
            (community, category),
            days_ago,
            building,
            plans.len(),
        );
        plans.push(p);
    }
    // Two same-issue groups: 3栋 seepage after a storm, 锦绣江南 night-time piling.
    for i in 0..5 {
        let mut p = new_plan(
            dice,
            buildings,
            now,
            (0, Category::EngineeringQuality),
            120 - i,
            Some(2),
            plans.len(),
        );
        p.cluster = Some(1);
        plans.push(p);
    }
    let second = 1.min(communities - 1);
    for i in 0..4 {
        let mut p = new_plan(
            dice,
            buildings,
            now,
            (second, Category::ExternalEnvironment),
            50 - i,
            Some(0),
            plans.len(),
        );
        p.cluster = Some(2);
        plans.push(p);
    }
    // Repeats: the same owner again, 20–60 days after an earlier complaint.
    let originals: Vec<usize> = (0..singles)
        .filter(|i| plans[*i].filed_at < now - Duration::days(120))
        .take(10)
        .collect();
    for original in originals {
        let (community, category, building, phone, filed) = {
            let o = &plans[original];
            (
                o.community,
                o.category,
                o.building,
                o.phone.clone(),
                o.filed_at,
            )
        };
        let days_ago =
            ((now - filed).num_days() - 20 - dice.below(40) as i64).max(newest(community));
        let mut p = new_plan(
            dice,
            buildings,
            now,
            (community, category),
            days_ago,
            building,
            plans.len(),
        );
        p.phone = phone;
        p.repeat_of = Some(original);
        plans.push(p);
    }
    // Filing order, so that groups and repeats point back in time.
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by_key(|i| plans[*i].filed_at);
    let mut position = vec![0; plans.len()];
    for (new, old) in order.iter().enumerate() {
        position[*old] = new;
    }
    let mut slots: Vec<Option<Plan>> = plans.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|i| slots[*i].take())
        .map(|mut p| {
            p.repeat_of = p.repeat_of.map(|o| position[o]);
            p
        })
        .collect()
}

fn new_plan(
    dice: &mut Dice,
    buildings: &[Vec<i64>],
    now: DateTime<Utc>,
    (community, category): (usize, Category),
    days_ago: i64,
    building: Option<usize>,
    index: usize,
) -> Plan {
    let minutes = dice.below(14 * 60) as i64; // spread over the day
    let building = building.or_else(|| {
        let count = buildings.get(community).map_or(0, Vec::len) as u64;
        (count > 0 && !dice.chance(8)).then(|| dice.below(count) as usize)
    });
    Plan {
        community,
        building,
        category,
        text: dice.below(texts(category).len() as u64) as usize,
        name: format!(
            "{}{}",
            dice.pick(SURNAMES),
            if dice.chance(50) { "先生" } else { "女士" }
        ),
        phone: format!("1770000{:04}", index + 1),
        filed_at: now - Duration::days(days_ago) - Duration::minutes(minutes),
        people: if dice.chance(6) {
            3 + dice.below(9) as u32
        } else {
            1
        },
        impact: [
            Impact::None,
            Impact::Cosmetic,
            Impact::Impaired,
            Impact::Severe,
        ][dice.weighted(&[45, 27, 23, 5])],
        flags: if dice.chance(3) {
            vec![*dice.pick(&[RiskFlag::Government, RiskFlag::Lawyer, RiskFlag::Media])]
        } else {
            Vec::new()
        },
        emergency: dice.chance(5),
        cluster: None,
        repeat_of: None,
    }
}

/// What happened to one complaint, as times and answers.
struct Story {
    level: Level,
    reasons: String,
    status: Status,
    first_contact: DateTime<Utc>,
    first_reply: DateTime<Utc>,
    resolved: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    /// Each round: resolved at, answered at, answers (process, timeliness, attitude, result, overall).
    rounds: Vec<Round>,
    /// The first resolution, when an unsatisfied revisit reopened the complaint.
    reopened_at: Option<DateTime<Utc>>,
}

impl Story {
    fn tell(dice: &mut Dice, p: &Plan, policy: &Policy, now: DateTime<Utc>) -> Story {
        let group_size = if p.cluster == Some(1) {
            5
        } else if p.cluster.is_some() {
            4
        } else {
            1
        };
        let facts = IntakeFacts {
            people_count: p.people,
            claimed_amount_fen: 0,
            flags: p.flags.iter().copied().collect(),
            impact: p.impact,
            repeat: p.repeat_of.is_some(),
            same_issue_complainants_30d: group_size,
            days_unresolved: 0,
        };
        let graded = grade(&facts, &policy.grading);
        let minutes = |dice: &mut Dice, lo: u64, hi: u64| {
            Duration::minutes((lo + dice.below(hi - lo)) as i64)
        };
        let contact = match dice.below(100) {
            0..=71 => minutes(dice, 5, 115),
            72..=91 => minutes(dice, 125, 480),
            _ => minutes(dice, 480, 2880),
        };
        let first_contact = p.filed_at + contact;
        let first_reply = first_contact + minutes(dice, 10, 1300);
        let not_valid = p.repeat_of.is_none() && p.cluster.is_none() && dice.chance(6);
        let mut story = Story {
            level: graded.level,
            reasons: serde_json::to_string(&graded.reasons).unwrap_or_else(|_| "[]".to_owned()),
            status: Status::NotValid,
            first_contact,
            first_reply,
            resolved: None,
            closed: None,
            rounds: Vec::new(),
            reopened_at: None,
        };
        if not_valid {
            return story.fit(p.filed_at, now);
        }
        let days = if p.emergency {
            minutes(dice, 240, 3600)
        } else {
            match dice.below(100) {
                0..=84 => minutes(dice, 600, 9500),
                _ => minutes(dice, 10_200, 20_000),
            }
        };
        let mut resolved = p.filed_at + days;
        loop {
            let answered = resolved + minutes(dice, 120, 2880);
            let answers = answers(dice, story.rounds.is_empty());
            let satisfied = !answers.0.contains(&"unsatisfied") && answers.1 > 2;
            story
                .rounds
                .push((resolved, answered, answers.0, answers.1));
            if satisfied || story.rounds.len() == 2 {
                story.resolved = Some(resolved);
                break;
            }
            // Not satisfied: reopened, raised as a repeat, handled again.
            story.reopened_at = Some(answered);
            story.level = story.level.most_severe(Level::Three);
            resolved = answered + minutes(dice, 1440, 8640);
        }
        let last_answer = story.rounds.last().map(|r| r.1).unwrap_or(resolved);
        if dice.chance(86) {
            story.status = Status::Closed;
            story.closed = Some(last_answer + minutes(dice, 60, 4320));
        } else {
            story.status = Status::Revisited;
        }
        story.fit(p.filed_at, now)
    }

    /// Squeezes the story into the past (an hour ago at the latest), keeping its order.
    fn fit(mut self, filed: DateTime<Utc>, now: DateTime<Utc>) -> Story {
        let last = self
            .closed
            .or(self.rounds.last().map(|r| r.1))
            .unwrap_or(self.first_reply);
        let limit = now - Duration::hours(1);
        if last <= limit {
            return self;
        }
        let factor =
            (limit - filed).num_seconds() as f64 / (last - filed).num_seconds().max(1) as f64;
        let squeeze = |t: DateTime<Utc>| {
            filed + Duration::seconds(((t - filed).num_seconds() as f64 * factor) as i64)
        };
        self.first_contact = squeeze(self.first_contact);
        self.first_reply = squeeze(self.first_reply);
        self.resolved = self.resolved.map(squeeze);
        self.closed = self.closed.map(squeeze);
        self.reopened_at = self.reopened_at.map(squeeze);
        for round in &mut self.rounds {
            round.0 = squeeze(round.0);
            round.1 = squeeze(round.1);
        }
        self
    }

    fn clock_inputs(&self, p: &Plan) -> ClockInputs {
        ClockInputs {
            filed_at: p.filed_at,
            level: self.level,
            emergency: p.emergency,
            status: self.status,
            first_contact_at: Some(self.first_contact),
            first_reply_at: Some(self.first_reply),
            last_progress_at: self.closed.or(self.resolved).or(Some(self.first_reply)),
            resolved_at: self.resolved,
            pauses: Vec::new(),
        }
    }

    /// The complaint's timeline, as the workflow would have written it.
    fn events(&self, id: i64, p: &Plan, staff: &Staff, out: &mut Vec<Event>) {
        let handler = staff.handler(p.category);
        let texts = texts(p.category)[p.text];
        let mut add = |at,
                       actor: Option<(i64, Role)>,
                       kind: &'static str,
                       public: bool,
                       body: Option<String>,
                       before: Option<&'static str>,
                       after: Option<&'static str>| {
            out.push(Event {
                complaint_id: id,
                at,
                actor,
                kind,
                public,
                body,
                before,
                after,
            });
        };
        add(
            p.filed_at,
            Some((0, Role::Owner)),
            "filed",
            true,
            None,
            None,
            Some("filed"),
        );
        add(
            self.first_contact,
            Some((staff.agent, Role::Agent)),
            "contact",
            true,
            Some("已电话联系业主,了解情况".to_owned()),
            None,
            None,
        );
        if self.status == Status::NotValid {
            add(
                self.first_reply,
                Some((staff.agent, Role::Agent)),
                "status",
                true,
                Some(
                    "经核实,该问题不属于物业服务范围,已向您说明原因并提供相关部门联系方式。"
                        .to_owned(),
                ),
                Some("filed"),
                Some("not_valid"),
            );
            return;
        }
        add(
            self.first_reply,
            Some((staff.agent, Role::Agent)),
            "status",
            true,
            None,
            Some("filed"),
            Some("accepted"),
        );
        add(
            self.first_reply,
            Some((staff.agent, Role::Agent)),
            "assignment",
            true,
            Some(format!("{} · {}", handler.2, handler.3)),
            Some("accepted"),
            Some("assigned"),
        );
        for (i, (resolved, answered, answers, overall)) in self.rounds.iter().enumerate() {
            let from = if i == 0 { "assigned" } else { "reopened" };
            add(
                *resolved,
                Some((handler.0, Role::Handler)),
                "status",
                true,
                Some(format!("已处理:{}", texts.2)),
                Some(from),
                Some("resolved"),
            );
            let summary = format!(
                "在线问卷:处理过程:{};及时性:{};服务态度:{};处理结果:{};总体评分:{overall}/5",
                label(answers[0]),
                label(answers[1]),
                label(answers[2]),
                label(answers[3])
            );
            let after = if i + 1 < self.rounds.len() {
                "reopened"
            } else {
                "revisited"
            };
            add(
                *answered,
                Some((0, Role::Owner)),
                "revisit",
                true,
                Some(summary),
                Some("resolved"),
                Some(after),
            );
        }
        if let Some(closed) = self.closed {
            add(
                closed,
                Some((staff.agent, Role::Agent)),
                "note",
                false,
                Some(format!(
                    "根本原因：{}\n纠正和预防措施：{}",
                    texts.1, texts.2
                )),
                None,
                None,
            );
            add(
                closed,
                Some((staff.agent, Role::Agent)),
                "status",
                true,
                None,
                Some("revisited"),
                Some("closed"),
            );
        }
    }
}

fn label(code: &str) -> &'static str {
    match code {
        "satisfied" => "满意",
        "basic" => "基本满意",
        _ => "不满意",
    }
}

/// Answers to one revisit: process is more often satisfied than the result (rules.md
/// "Satisfaction revisit"); a second round, after reopening, is satisfied.
fn answers(dice: &mut Dice, first_round: bool) -> ([&'static str; 4], i64) {
    let mut pick = |good: u64, basic: u64| match dice.below(100) {
        n if !first_round || n < good => "satisfied",
        n if n < good + basic => "basic",
        _ => "unsatisfied",
    };
    let a = [pick(74, 24), pick(80, 18), pick(84, 15), pick(66, 30)];
    let unhappy = a.iter().filter(|x| **x == "unsatisfied").count() as i64;
    let basic = a.iter().filter(|x| **x == "basic").count() as i64;
    let overall = (5 - basic - 2 * unhappy).clamp(1, 5);
    (a, overall)
}

/// Demo staff by login: (user id, role, department name, display name) per handler.
struct Staff {
    agent: i64,
    handlers: Vec<(&'static str, Handler)>,
}

impl Staff {
    async fn load(conn: &mut AnyConnection) -> Result<Staff, sqlx::Error> {
        let agent: i64 = sqlx::query("SELECT id FROM users WHERE login = 'agent'")
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
        let mut handlers = Vec::new();
        for code in ["engineering", "repair", "property", "sales", "leasing"] {
            let row = sqlx::query(
                "SELECT u.id, d.id, d.name_zh, u.display_name FROM users u JOIN departments d ON d.id = u.department_id
                 WHERE d.code = $1 AND u.role = 'handler' ORDER BY u.id LIMIT 1",
            )
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(row) = row {
                handlers.push((
                    code,
                    (
                        row.try_get(0)?,
                        row.try_get(1)?,
                        row.try_get(2)?,
                        row.try_get(3)?,
                    ),
                ));
            }
        }
        Ok(Staff { agent, handlers })
    }

    /// (user id, department id, department name, handler name) for a category, falling
    /// back to the property department's handler.
    fn handler(&self, category: Category) -> Handler {
        let code = department_code(category);
        self.handlers
            .iter()
            .find(|(c, _)| *c == code)
            .or_else(|| self.handlers.iter().find(|(c, _)| *c == "property"))
            .map(|(_, h)| h.clone())
            .unwrap_or((self.agent, 1, String::new(), String::new()))
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    conn: &mut AnyConnection,
    p: &Plan,
    story: &Story,
    staff: &Staff,
    policy: &Policy,
    communities: &[i64],
    buildings: &[Vec<i64>],
    earlier: &[i64],
    group: Option<i64>,
) -> Result<i64, AnyError> {
    let mut seed = p.filed_at.timestamp_millis() as u64 ^ p.phone.len() as u64;
    // A large history (the load harness) files many complaints in the same minute: its
    // place in the year keeps their codes apart (the default year's codes stay as they were).
    if earlier.len() >= COMPLAINTS {
        seed ^= (earlier.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    let mut code = TrackingCode::generate(&mut next);
    // A code already given (the live demo's, or another of a large year's) is drawn again.
    while sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM complaints WHERE tracking_code = $1")
        .bind(code.as_str())
        .fetch_one(&mut *conn)
        .await?
        > 0
    {
        code = TrackingCode::generate(&mut next);
    }
    let inputs = story.clock_inputs(p);
    let calendar = domain::calendar::BusinessCalendar::official();
    let ctx = domain::sla::SlaContext::new(policy, &calendar);
    let due = deadlines(&inputs, &ctx);
    let clocks = ClockRecord::of(&inputs, &ctx);
    let handler = staff.handler(p.category);
    let assigned = story.status != Status::NotValid;
    let texts = texts(p.category)[p.text];
    let flags: Vec<&str> = p.flags.iter().map(|f| f.code()).collect();
    let community = communities[p.community];
    let building = p
        .building
        .and_then(|b| buildings.get(p.community)?.get(b).copied());
    let group_size: i64 = if p.cluster == Some(1) {
        5
    } else if p.cluster.is_some() {
        4
    } else {
        1
    };
    let row = sqlx::query(
        "INSERT INTO complaints
            (tracking_code, channel, community_id, building_id, unit, complainant_name, phone, category,
             description, people_count, flags, impact, emergency, status, level, level_reasons,
             department_id, handler_id, agent_id, group_id, repeat_of, same_issue_complainants,
             solution, root_cause, corrective_action, revisit_round, sla_warn_at, sla_due_at,
             sla_warned_for, sla_escalated_for, filed_at, filed_month, first_contact_at, first_reply_at,
             last_progress_at, resolved_at, closed_at, updated_at,
             first_contact_on_time, first_reply_on_time, resolution_on_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                 $21, $22, $23, $24, $25, $26, $27, $28, $28, $28, $29, $30, $31, $32, $33, $34, $35, $36,
                 $37, $38, $39)
         RETURNING id",
    )
    .bind(code.as_str())
    .bind(if p.community == 2 { "phone" } else { "web" })
    .bind(community)
    .bind(building)
    .bind(format!("{}单元{}0{}", 1 + p.text % 3, 2 + p.phone.len() % 20, 1 + p.filed_at.timestamp() % 4))
    .bind(&p.name)
    .bind(&p.phone)
    .bind(p.category.code())
    .bind(texts.0)
    .bind(i64::from(p.people))
    .bind(flags.join(","))
    .bind(p.impact.code())
    .bind(i64::from(p.emergency))
    .bind(story.status.code())
    .bind(i64::from(story.level.number()))
    .bind(&story.reasons)
    .bind(assigned.then_some(handler.1))
    .bind(assigned.then_some(handler.0))
    .bind(staff.agent)
    .bind(group)
    .bind(p.repeat_of.and_then(|i| earlier.get(i).copied()))
    .bind(group_size)
    .bind(assigned.then_some(texts.2))
    .bind(story.closed.map(|_| texts.1))
    .bind(story.closed.map(|_| texts.2))
    .bind(story.rounds.len() as i64)
    .bind(due.warn_at.map(to_ms))
    // Late clocks of the past were escalated then: the ticker must not tell again.
    .bind(due.due_at.map(to_ms))
    .bind(to_ms(p.filed_at))
    .bind(local_month(p.filed_at, policy.utc_offset_minutes))
    .bind(to_ms(story.first_contact))
    .bind(to_ms(story.first_reply))
    .bind(inputs.last_progress_at.map(to_ms))
    .bind(story.resolved.map(to_ms))
    .bind(story.closed.map(to_ms))
    .bind(to_ms(story.closed.or(story.rounds.last().map(|r| r.1)).unwrap_or(story.first_reply)))
    .bind(clocks.on_time(domain::Clock::FirstContact))
    .bind(clocks.on_time(domain::Clock::FirstReply))
    .bind(clocks.on_time(domain::Clock::Resolution))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

async fn insert_revisits(
    conn: &mut AnyConnection,
    id: i64,
    story: &Story,
    staff: &Staff,
) -> Result<(), AnyError> {
    for (round, (resolved, answered, a, overall)) in story.rounds.iter().enumerate() {
        let by_phone = (id + round as i64) % 3 == 0;
        sqlx::query(
            "INSERT INTO revisits (complaint_id, round, created_at, answered_at, method, answered_by,
                process, timeliness, attitude, result, overall)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(id)
        .bind(round as i64 + 1)
        .bind(to_ms(*resolved))
        .bind(to_ms(*answered))
        .bind(if by_phone { "phone" } else { "survey" })
        .bind(by_phone.then_some(staff.agent))
        .bind(a[0])
        .bind(a[1])
        .bind(a[2])
        .bind(a[3])
        .bind(*overall)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A timeline row waiting to be written.
struct Event {
    complaint_id: i64,
    at: DateTime<Utc>,
    /// The acting user (0: the owner, who has no account) and role.
    actor: Option<(i64, Role)>,
    kind: &'static str,
    public: bool,
    body: Option<String>,
    before: Option<&'static str>,
    after: Option<&'static str>,
}

async fn insert_events(conn: &mut AnyConnection, events: &[Event]) -> Result<(), sqlx::Error> {
    let mut sql = Sql::new(
        "INSERT INTO complaint_events (complaint_id, at, actor_id, actor_role, kind, public, body, before_value, after_value) VALUES ",
    );
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        let actor_id = e.actor.map(|(id, _)| id).filter(|id| *id != 0);
        sql.push("(")
            .bind(e.complaint_id)
            .push(", ")
            .bind(to_ms(e.at))
            .push(", ");
        match actor_id {
            Some(id) => sql.bind(id),
            None => sql.push("NULL"),
        };
        sql.push(", ");
        match e.actor {
            Some((_, role)) => sql.bind(role.code()),
            None => sql.push("NULL"),
        };
        sql.push(", ")
            .bind(e.kind)
            .push(", ")
            .bind(i64::from(e.public))
            .push(", ");
        for (j, value) in [e.body.as_deref(), e.before, e.after]
            .into_iter()
            .enumerate()
        {
            if j > 0 {
                sql.push(", ");
            }
            match value {
                Some(v) => sql.bind(v),
                None => sql.push("NULL"),
            };
        }
        sql.push(")");
    }
    sql.query().execute(&mut *conn).await.map(|_| ())
}
