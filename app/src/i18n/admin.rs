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
});
