//! Owner account and password texts.

use super::catalogue;

catalogue!(AccountMsg {
    RegisterTitle => "注册业主账号", "Create an owner account";
    RegisterIntro => "注册不是必须的：不注册也能投诉和查询。注册后可以在一个地方看到您的全部投诉。", "An account is optional: you can file and track without one. With an account you see all your complaints in one place.";
    FieldName => "称呼 *", "Name *";
    FieldPhone => "手机号 *（登录账号）", "Mobile number * (your login)";
    FieldPassword => "密码 *（至少8位）", "Password * (at least 8 characters)";
    FieldProofCode => "查询码 *（用来证明号码是您的）", "Tracking code * (proves the number is yours)";
    ProofCodeHint => "填写用这个手机号提交的任意一件投诉的查询码，见受理回执；还没有投诉过可以先提交投诉，不需要账号。", "Enter the tracking code of any complaint filed with this phone, from its receipt. Not filed yet? File first: no account is needed.";
    RegisterSubmit => "注册并登录", "Create account";
    HaveAccount => "已有账号？登录", "Already registered? Log in";
    NoAccount => "业主还没有账号？注册", "Owner without an account? Register";
    MyTitle => "我的投诉", "My complaints";
    MyEmpty => "您还没有关联的投诉。", "No complaints linked to your account yet.";
    Claimable => "用您的手机号提交过 {} 件投诉尚未关联。输入查询码即可关联到账号：", "{} complaints filed earlier with your phone are not linked yet. Enter a tracking code to link one:";
    ClaimSubmit => "关联", "Link";
    Claimed => "已关联", "Linked";
    FileNew => "提交新的投诉", "File a new complaint";
    PasswordTitle => "修改密码", "Change password";
    CurrentPassword => "当前密码 *", "Current password *";
    NewPassword => "新密码 *（至少8位）", "New password * (at least 8 characters)";
    PasswordSubmit => "修改密码", "Change password";
    PasswordChanged => "密码已修改，请用新密码重新登录。所有设备上的登录都已退出。", "Password changed. Please log in again with the new password; every device was logged out.";
    NavMine => "我的投诉", "My complaints";
    NavPassword => "修改密码", "Change password";
});
