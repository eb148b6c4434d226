//! Administration texts.

use super::catalogue;

catalogue!(AdminMsg {
    Title => "系统管理", "Administration";
    Users => "员工账号", "Staff accounts";
    Departments => "部门", "Departments";
    Policy => "时效与分级规则", "Time limits and grading";
    PolicyIntro => "以下为当前生效的规则(TOML格式,与 PORTAL_POLICY_FILE 相同)。保存前会校验,保存后立即生效并记入审计。", "The rules in force (TOML, as in PORTAL_POLICY_FILE). They are checked before saving, apply at once and are audited.";
    Canned => "常用回复", "Canned replies";
    CannedIntro => "可用占位符:{称呼} {查询码} {处理人} {部门}。不能包含服务禁语。", "Placeholders: {称呼} {查询码} {处理人} {部门}. Forbidden phrases are not allowed.";
    Login => "账号", "Login";
    Name => "姓名", "Name";
    Role => "角色", "Role";
    Department => "部门", "Department";
    NoDepartment => "无", "None";
    Active => "启用", "Active";
    Inactive => "已停用", "Inactive";
    NewPassword => "新密码(不改则留空)", "New password (empty keeps it)";
    Password => "初始密码 *(至少8位)", "Initial password * (at least 8 characters)";
    Save => "保存", "Save";
    Saved => "已保存", "Saved";
    AddUser => "新增员工", "Add a staff member";
    AddDepartment => "新增部门", "Add a department";
    Code => "代码", "Code";
    NameZh => "中文名称", "Chinese name";
    NameEn => "英文名称", "English name";
    Members => "人数", "Members";
    AddCanned => "新增常用回复", "Add a canned reply";
    CannedTitle => "标题", "Title";
    CannedBody => "内容", "Text";
    Edit => "编辑", "Edit";
    NavAdmin => "管理", "Admin";
    Calendar => "工作日历", "Business calendar";
    CalendarIntro => "时效按服务时间计算：工作日（周一至周五，除法定节假日，含调休上班日）的服务时段内才计时。每年国务院发布次年节假日安排后，请在此录入。未录入的年份按周一至周五计算。", "Clocks count service time: service hours on working days (Monday to Friday, minus statutory holidays, plus make-up working days). Enter each year's schedule when the State Council publishes it; a year that is missing counts Monday to Friday.";
    CalendarMissing => "尚未录入{}年的节假日安排：在录入之前，{}年的时效将按周一至周五计算。", "The {} holiday schedule is missing: until it is entered, clocks in {} count Monday to Friday.";
    CalendarYear => "年份", "Year";
    CalendarHolidays => "放假日期（每行一个日期或区间，如 2026-10-01..2026-10-07）", "Holidays (one date or range a line, e.g. 2026-10-01..2026-10-07)";
    CalendarMakeup => "调休上班日（每行一个日期，须为周六或周日）", "Make-up working days (one date a line, each a Saturday or Sunday)";
    CalendarWorkingDays => "全年工作日 {} 天", "{} working days";
    CalendarSaved => "管理员已修改", "Changed by an administrator";
    CalendarOfficial => "国务院公布的安排", "Official schedule";
    CalendarAddYear => "录入新的年份", "Enter another year";
});
