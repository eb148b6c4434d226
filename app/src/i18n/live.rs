//! Live updates and the owner's promises.

use super::catalogue;

catalogue!(LiveMsg {
    On => "实时更新中", "Live updates on";
    Connecting => "正在连接实时更新…", "Connecting to live updates…";
    Down => "连接中断，每30秒自动刷新", "Connection lost; refreshing every 30 seconds";
    OverdueSince => "已超时（原定{}前），我们正在加紧处理", "overdue (due {}); we are on it";
});
