//! zh-CN first, English second. Keys name what the text is for, not where it is.

use super::catalogue;

catalogue!(Msg {
    // Shell and navigation
    AppName => "业主自助投诉门户", "Owner Self-Service Complaint Portal";
    AppTagline => "有问题,先查知识库;要投诉,随时提交并在线跟进进度。", "Find answers in the FAQ first; file a complaint any time and follow it online.";
    NavHome => "首页", "Home";
    NavFile => "我要投诉", "File a complaint";
    NavTrack => "查询进度", "Track";
    NavFaq => "常见问题", "FAQ";
    NavStaff => "工作台", "Workspace";
    NavLogin => "登录", "Log in";
    NavLogout => "退出", "Log out";
    NavMain => "主导航", "Main navigation";
    SwitchLang => "English", "中文";
    SkipToContent => "跳到正文", "Skip to content";
    Loading => "加载中…", "Loading…";
    NotFoundTitle => "页面不存在", "Page not found";
    NotFoundBody => "您访问的页面不存在或已移动。", "The page you asked for does not exist or has moved.";
    BackHome => "返回首页", "Back to home";
    FooterNote => "紧急情况(漏水、困梯、燃气泄漏)请直接拨打物业24小时服务热线。", "Emergencies (flooding, lift entrapment, gas leak): call the 24-hour property hotline directly.";

    // Home
    HomeFileTitle => "提交投诉", "File a complaint";
    HomeFileBody => "几分钟填完,立即获得查询码和承诺的处理时限。", "Takes a few minutes; you get a tracking code and our promised times at once.";
    HomeTrackTitle => "查询进度", "Track a complaint";
    HomeTrackBody => "凭查询码和手机号,随时查看处理进展和回复。", "With your tracking code and phone number, see progress and replies any time.";
    HomeFaqTitle => "常见问题", "FAQ";
    HomeFaqBody => "报修、物业费、停水停电、装修……先看看有没有现成答案。", "Repairs, fees, outages, decoration… see whether the answer is already here.";
    HomeStaffTitle => "员工入口", "Staff";
    HomeStaffBody => "客服、处理人、主管登录工作台。", "Agents, handlers and supervisors log in to the workspace.";

    // Filing
    FileTitle => "提交投诉", "File a complaint";
    FileIntro => "请尽量说清楚发生了什么、在哪里、从什么时候开始。带*为必填。", "Tell us what happened, where, and since when. Fields marked * are required.";
    FieldDescription => "问题描述 *", "Description *";
    FieldDescriptionHelp => "例如:3栋2单元1501卫生间天花板漏水,已经三天,楼上无人。", "E.g. the bathroom ceiling of 3-2-1501 has leaked for three days; nobody is upstairs.";
    FieldCategory => "投诉类别 *", "Category *";
    ChooseCategory => "请选择类别", "Choose a category";
    FieldCommunity => "小区 *", "Community *";
    ChooseCommunity => "请选择小区", "Choose a community";
    FieldBuilding => "楼栋", "Building";
    ChooseBuilding => "请选择楼栋(可不选)", "Choose a building (optional)";
    FieldUnit => "单元/房号", "Unit / room";
    FieldName => "您的称呼 *", "Your name *";
    FieldPhone => "手机号或固话 *", "Mobile or landline *";
    FieldPhoneHelp => "用于联系您和查询进度;仅工作人员可见。", "Used to contact you and to track progress; only staff can see it.";
    FieldPeople => "共同投诉人数", "People complaining together";
    FieldPeopleHelp => "如有邻居一起反映同一问题,请填写总人数(含您本人)。", "If neighbours raise the same problem with you, enter the total (including you).";
    FieldAmount => "要求赔偿/维修金额(元,可不填)", "Compensation / repair amount claimed (yuan, optional)";
    FieldImpact => "影响程度", "Impact";
    FieldFlags => "已采取的其他途径(如有)", "Other steps already taken (if any)";
    FieldEmergency => "紧急情况(漏水、停电、困梯、燃气等,需要2小时内到场)", "Emergency (flooding, power cut, lift entrapment, gas…: on site within 2 hours)";
    SubmitComplaint => "提交投诉", "Submit complaint";
    Submitting => "正在提交…", "Submitting…";
    CharCount => "{} / {} 字", "{} / {} characters";
    HintTitle => "智能提示", "Suggestion";
    HintNotSure => "继续描述,我们会给出类别建议", "Keep typing and we will suggest a category";
    HintLikely => "看起来属于:", "Looks like:";
    HintUse => "使用此类别", "Use this category";
    HintInUse => "已选择", "Selected";
    HintOr => "也可能是:", "Or perhaps:";
    HintUseOther => "改用此类别", "Use this one";
    HintLevel => "按您描述的情况,预计处理等级:", "From what you describe, the expected level:";

    // Filed / tracking
    TrackTitle => "查询投诉进度", "Track a complaint";
    TrackIntro => "请输入受理时获得的查询码和提交时填写的电话。", "Enter the tracking code you received and the phone number you gave.";
    FieldCode => "查询码 *", "Tracking code *";
    TrackSubmit => "查询", "Look up";
    TrackNoMatch => "查询码与电话不匹配,或投诉不存在。请核对后重试。", "The tracking code and phone number do not match a complaint. Please check and try again.";
    ComplaintFiledTitle => "投诉已受理", "Complaint received";
    ComplaintFiledBody => "请保存您的查询码,凭查询码和电话可随时查看进度。", "Keep your tracking code: with it and your phone number you can follow progress any time.";
    YourTrackingCode => "查询码", "Tracking code";
    StatusLabel => "当前状态", "Status";
    CategoryLabel => "类别", "Category";
    LevelLabel => "等级", "Level";
    FiledAtLabel => "提交时间", "Filed";
    LocationLabel => "位置", "Location";
    DescriptionLabel => "问题描述", "Description";
    TimelineTitle => "处理记录", "Timeline";
    TimelineEmpty => "暂无记录", "Nothing yet";
    EventFiled => "投诉已提交并受理", "Complaint filed and received";
    EventReply => "回复", "Reply";
    EventNote => "内部备注", "Internal note";
    EventStatus => "状态变更", "Status changed";
    EventLevel => "等级调整", "Level changed";
    EventContact => "工作人员已与业主联系", "Staff contacted the owner";
    EventAssigned => "已分派", "Assigned";
    EventSolution => "处理方案", "Solution";
    EventApprovalRequested => "方案已提交主管审批", "Solution sent for approval";
    EventApprovalGranted => "主管已批准方案", "Supervisor approved the solution";
    EventApprovalDenied => "主管未批准方案,需重新调查", "Supervisor did not approve; back to investigation";
    EventRevisit => "回访", "Revisit";
    EventEscalation => "时效提醒", "Time-limit alert";
    EventGroup => "已关联同一问题的其他投诉", "Linked to complaints about the same issue";
    EventRepeat => "重复投诉(此前已处理过同一问题)", "Repeat (the same issue was handled before)";
    HandlerLabel => "处理人", "Handler";
    DepartmentLabel => "责任部门", "Department";
    PromisesTitle => "我们的承诺", "Our promises";
    PromiseFirstContact => "与您联系", "Contact you";
    PromiseFirstReply => "给您答复", "Reply to you";
    PromiseProgress => "告知进展", "Update you";
    PromiseResolution => "处理完成", "Resolve it";
    PromiseBy => "{}前", "by {}";
    PromiseKept => "已于{}完成", "done {}";
    PromiseLate => "已超时,{}完成", "late, done {}";
    PromiseOverdue => "已超时", "overdue";
    NavNotifications => "通知", "Notifications";
    Staff => "工作人员", "Staff";
    Owner => "业主", "Owner";
    PromiseContact => "我们将在{}前与您联系。", "We will contact you by {}.";

    // Staff
    LoginTitle => "登录", "Log in";
    FieldLogin => "账号或手机号 *", "Username or phone *";
    FieldPassword => "密码 *", "Password *";
    LoginSubmit => "登录", "Log in";
    LoginFailed => "账号或密码不正确", "Wrong username or password";
    QueueTitle => "投诉队列", "Complaint queue";
    QueueEmpty => "队列中没有投诉", "The queue is empty";
    ColCode => "查询码", "Code";
    ColFiled => "提交时间", "Filed";
    ColCategory => "类别", "Category";
    ColLevel => "等级", "Level";
    ColStatus => "状态", "Status";
    ColCommunity => "小区", "Community";
    ColSummary => "摘要", "Summary";
    ColComplainant => "投诉人", "Complainant";
    BackToQueue => "返回队列", "Back to queue";
    ReplyTitle => "回复业主", "Reply to the owner";
    ReplyPlaceholder => "写给业主的回复(业主可见)", "Reply to the owner (visible to the owner)";
    ReplySubmit => "发送回复", "Send reply";
    ReplySent => "回复已发送", "Reply sent";
    LoggedInAs => "当前用户:", "Logged in as:";

    // Errors
    ErrNotFound => "找不到您要的内容", "Not found";
    ErrValidation => "请修改标红的内容后再提交", "Please correct the highlighted fields";
    ErrUnauthorized => "请先登录", "Please log in first";
    ErrForbidden => "您没有权限执行此操作", "You are not allowed to do this";
    ErrRateLimited => "尝试次数过多,请稍后再试", "Too many attempts; please try again later";
    ErrInternal => "系统出了点问题,请稍后再试;您填写的内容仍在页面上", "Something went wrong on our side; please try again. What you typed is still here";
    ErrTransport => "网络连接异常,请检查网络后重试", "Network problem; please check your connection and retry";
    ErrBadForm => "提交的表单不完整,请刷新页面后重试", "The form arrived incomplete; please reload the page and retry";
    ErrRequired => "此项必填", "This field is required";
});
