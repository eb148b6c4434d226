-- wrk script: owners filing through the no-JavaScript form, each request a different
-- complaint (text, unit and phone vary). The same-issue burst sets SAME_ISSUE=1: every
-- request reports the same leak in the same building, as a group complaint does.
local same = os.getenv("SAME_ISSUE") == "1"
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

local subjects = {
  "卫生间天花板漏水，已经三天了",
  "电梯经常停在12楼不动，老人上下楼很不方便",
  "楼下商铺晚上噪音太大，影响休息",
  "地下车库的照明坏了好几盏，晚上很黑",
  "物业费账单金额和去年不一样，想核对一下",
  "小区垃圾清运不及时，有异味",
  "保安态度不好，说话很冲",
  "交房时承诺的绿化没有做",
}

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  counter = counter + 1
  local n = thread_id * 1000000 + counter
  local text, unit, phone
  if same then
    text = "3栋地下室水管爆裂，楼道里全是水，家里也进水了"
    unit = string.format("%d单元%d", 1 + n % 3, 100 + n % 900)
  else
    text = subjects[1 + n % #subjects] .. "（第" .. n .. "次反映）"
    unit = string.format("%d单元%d", 1 + n % 3, 100 + n % 900)
  end
  phone = string.format("139%08d", n % 100000000)
  local body = "intake[description]=" .. encode(text)
    .. "&intake[category]=repair_service"
    .. "&intake[community_id]=1&intake[building_id]=3"
    .. "&intake[unit]=" .. encode(unit)
    .. "&intake[name]=" .. encode("业主")
    .. "&intake[phone]=" .. phone
  return wrk.format("POST", "/api/file_complaint", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

done = function(summary, latency, requests)
  -- wrk prints the figures; the harness reads its "Latency Distribution".
end
