//! Demo mode only: a community with buildings and units, staff with known
//! passwords, and some complaints. Never runs in a production start.

use chrono::{Duration, Utc};
use domain::{Category, Impact, Intake, PhoneNumber, Position, Role};
use sqlx::Row;

use crate::db::Db;
use crate::store::users::{self, NewUser};
use crate::AnyError;

/// The password of every demo account (printed at start; demo mode only).
pub const DEMO_PASSWORD: &str = "demo-2026";

/// One demo login, for printing.
pub struct DemoLogin {
    pub login: &'static str,
    pub name: &'static str,
    pub role: Role,
}

const STAFF: &[(&str, &str, Role, Option<&str>)] = &[
    ("agent", "客服 李娜", Role::Agent, Some("service")),
    ("repair", "维修 张师傅", Role::Handler, Some("repair")),
    ("engineer", "工程 王工", Role::Handler, Some("engineering")),
    ("property", "物业 陈静", Role::Handler, Some("property")),
    ("sales", "销售 赵经理", Role::Handler, Some("sales")),
    ("leasing", "招商 钱主管", Role::Handler, Some("leasing")),
    (
        "supervisor",
        "主管 刘经理",
        Role::Supervisor,
        Some("service"),
    ),
    (
        "manager",
        "维修部经理 周经理",
        Role::Supervisor,
        Some("repair"),
    ),
    ("vp", "分管副总 吴总", Role::Supervisor, None),
    ("gm", "总经理 孙总", Role::Supervisor, None),
    ("admin", "系统管理员", Role::Admin, None),
];

/// The positions the demo staff hold (the administrator maps them in a real company).
const POSITIONS: &[(&str, Position)] = &[
    ("supervisor", Position::CsSupervisor),
    ("manager", Position::DepartmentManager),
    ("vp", Position::DeputyGm),
    ("gm", Position::GeneralManager),
];

const COMMUNITIES: &[(&str, &str, &[&str])] = &[
    (
        "翠湖花园",
        "杭州市西湖区文三路188号",
        &["1栋", "2栋", "3栋", "5栋", "6栋", "8栋", "9栋", "10栋"],
    ),
    (
        "锦绣江南",
        "杭州市滨江区江南大道66号",
        &["A座", "B座", "C座", "D座"],
    ),
    (
        "滨江商业广场",
        "杭州市滨江区滨盛路1号",
        &["商业裙楼", "写字楼"],
    ),
];

/// (community, building, unit, name, phone, category, days ago, description)
type DemoComplaint = (
    usize,
    usize,
    &'static str,
    &'static str,
    &'static str,
    Category,
    i64,
    &'static str,
);

const COMPLAINTS: &[DemoComplaint] = &[
    (
        0,
        2,
        "2单元1501",
        "王先生",
        "13812345678",
        Category::EngineeringQuality,
        9,
        "卫生间天花板一直往下滴水,楼上说不是他家的问题,已经三天了,墙面都发霉了,请尽快派人来查。",
    ),
    (
        0,
        0,
        "1单元302",
        "李女士",
        "13900001111",
        Category::PropertyManagement,
        6,
        "地下车库B区的灯坏了一半,晚上很黑,老人孩子走路很危险,跟保安说了两次都没人管。",
    ),
    (
        0,
        5,
        "3单元801",
        "赵先生",
        "13700002222",
        Category::RepairService,
        4,
        "上周报修的厨房下水管,师傅来了一次说要换配件,之后就再没来过,打电话也没人回。",
    ),
    (
        1,
        1,
        "1203",
        "孙女士",
        "15800003333",
        Category::ServiceConduct,
        3,
        "前台客服态度很差,我问物业费明细,她说不知道,让我自己去问财务,根本不想帮忙。",
    ),
    (
        1,
        0,
        "902",
        "周先生",
        "15900004444",
        Category::ExternalEnvironment,
        2,
        "小区北边工地每天晚上十一点以后还在打桩,孩子根本睡不着,希望物业出面协调。",
    ),
    (
        0,
        3,
        "1单元1102",
        "吴先生",
        "13600005555",
        Category::SalesManagement,
        12,
        "交房时说好的入户花园被改成了设备平台,跟销售宣传的不一样,要求给个说法。",
    ),
    (
        2,
        0,
        "商铺A-12",
        "郑老板",
        "13500006666",
        Category::LeasingCommercial,
        5,
        "续租时招商部突然要涨租金30%,合同里没有这个约定,押金也迟迟不退。",
    ),
    (
        0,
        6,
        "2单元601",
        "冯女士",
        "18800007777",
        Category::PlanningDesign,
        20,
        "小区规划图上的中心绿地现在被改成了停车位,业主都没有被征求意见。",
    ),
    (
        1,
        2,
        "1506",
        "陈先生",
        "18600008888",
        Category::PropertyManagement,
        1,
        "楼上邻居的狗每天叫到半夜,电梯里也经常有狗尿,希望物业管一管。",
    ),
    (
        0,
        2,
        "2单元1601",
        "林女士",
        "13811112222",
        Category::EngineeringQuality,
        8,
        "3栋外墙窗户边渗水,一下雨卧室墙角就湿一片,新房才交付半年。",
    ),
];

/// Creates the demo data once (when there are no accounts yet) and returns the logins.
pub async fn ensure(
    db: &Db,
    backend: &app::ssr::Backend,
    policy: &domain::Policy,
    history: usize,
) -> Result<Vec<DemoLogin>, AnyError> {
    let logins = STAFF
        .iter()
        .map(|(login, name, role, _)| DemoLogin {
            login,
            name,
            role: *role,
        })
        .collect();
    if users::count(&db.pool).await? > 0 {
        return Ok(logins);
    }
    let now = Utc::now();
    let hash = tokio::task::spawn_blocking(|| password_auth::generate_hash(DEMO_PASSWORD)).await?;
    for (login, name, role, department) in STAFF {
        let user = NewUser {
            login,
            password_hash: &hash,
            display_name: name,
            role: *role,
            department_code: *department,
            phone: None,
        };
        users::create(&db.pool, user, now).await?;
    }
    for (login, position) in POSITIONS {
        sqlx::query("UPDATE users SET position = $2 WHERE login = $1")
            .bind(*login)
            .bind(position.code())
            .execute(&db.pool)
            .await?;
    }
    let mut community_ids = Vec::new();
    let mut building_ids = Vec::new();
    for (name, address, buildings) in COMMUNITIES {
        let id: i64 = sqlx::query(
            "INSERT INTO communities (name, city, address) VALUES ($1, '杭州', $2) RETURNING id",
        )
        .bind(*name)
        .bind(*address)
        .fetch_one(&db.pool)
        .await?
        .try_get(0)?;
        let mut ids = Vec::new();
        for building in *buildings {
            let building_id: i64 = sqlx::query(
                "INSERT INTO buildings (community_id, name) VALUES ($1, $2) RETURNING id",
            )
            .bind(id)
            .bind(*building)
            .fetch_one(&db.pool)
            .await?
            .try_get(0)?;
            for unit in ["1单元", "2单元", "3单元"] {
                sqlx::query("INSERT INTO units (building_id, name) VALUES ($1, $2)")
                    .bind(building_id)
                    .bind(unit)
                    .execute(&db.pool)
                    .await?;
            }
            ids.push(building_id);
        }
        community_ids.push(id);
        building_ids.push(ids);
    }
    for (community, building, unit, name, phone, category, days_ago, description) in COMPLAINTS {
        let intake = Intake {
            description: (*description).to_owned(),
            category: *category,
            community_id: community_ids[*community],
            building_id: building_ids[*community].get(*building).copied(),
            unit: (*unit).to_owned(),
            name: (*name).to_owned(),
            phone: PhoneNumber::parse(phone).map_err(|e| e.message(domain::Lang::En).to_owned())?,
            people_count: 1,
            claimed_amount_fen: 0,
            impact: Impact::None,
            flags: Vec::new(),
            emergency: false,
            topic: None,
            answers: Default::default(),
            lang: domain::Lang::Zh,
        };
        backend
            .complaints
            .file(
                intake,
                domain::StatedFacts::default(),
                None,
                None,
                now - Duration::days(*days_ago) - Duration::hours(3),
            )
            .await?;
    }
    for (title, body, body_en) in CANNED {
        sqlx::query(
            "INSERT INTO canned_replies (title, body, body_en, active, updated_at)
             VALUES ($1, $2, $3, 1, $4)",
        )
        .bind(*title)
        .bind(*body)
        .bind(*body_en)
        .bind(crate::store::to_ms(now))
        .execute(&db.pool)
        .await?;
    }
    let owner = NewUser {
        login: DEMO_OWNER_PHONE,
        password_hash: &hash,
        display_name: "王先生",
        role: Role::Owner,
        department_code: None,
        phone: Some(DEMO_OWNER_PHONE),
    };
    users::create(&db.pool, owner, now).await?;
    // A year of handled complaints behind these, for the reports.
    super::history::seed(db, policy, &community_ids, &building_ids, history, now).await?;
    super::faq_history::seed(db, policy.utc_offset_minutes, now).await?;
    Ok(logins)
}

/// A demo owner account; the first demo complaint was filed with this phone and can be claimed.
pub const DEMO_OWNER_PHONE: &str = "13812345678";

/// (title, text, text for owners who read English).
const CANNED: &[(&str, &str, &str)] = &[
    ("已受理，两小时内联系", "{称呼}您好，您的投诉（查询码{查询码}）我们已经收到，工作人员会在2小时内与您电话联系，请保持电话畅通。",
     "Dear {称呼}, we have received your complaint (tracking code {查询码}). A member of staff will call you within 2 hours; please keep your phone at hand."),
    ("已安排上门", "{称呼}您好，{部门}的{处理人}将于今天下午上门查看，到达前会先给您打电话。给您添麻烦了，请您谅解。",
     "Dear {称呼}, {处理人} from {部门} will visit this afternoon to take a look and will call you before arriving. We are sorry for the trouble."),
    ("进展通报", "{称呼}您好，向您通报一下进展：……。我们会在（日期）前再次告诉您最新情况。",
     "Dear {称呼}, here is where things stand: …. We will update you again by (date)."),
    ("处理完毕请评价", "{称呼}您好，您反映的问题已经处理完毕。稍后会请您评价我们的处理，如有不满意之处我们会继续跟进，直到您满意为止。",
     "Dear {称呼}, the problem you reported has been dealt with. We will shortly ask you to rate how we handled it; if anything is not right, we will keep working on it until you are satisfied."),
];

pub fn print_logins(logins: &[DemoLogin]) {
    println!("Demo mode: demo data and these logins (password for all: {DEMO_PASSWORD}):");
    for login in logins {
        println!(
            "  {:<11} {} ({})",
            login.login,
            login.name,
            login.role.label(domain::Lang::En)
        );
    }
    println!("  {DEMO_OWNER_PHONE} 王先生 (Owner: 我的投诉 at /me)");
}
