//! Removing an owner's personal data from a resolved complaint before it becomes a draft FAQ
//! article ("转为知识库文章"): the complainant's name, phone numbers, unit and room numbers,
//! tracking codes, e-mail addresses and licence plates. What the complaint itself recorded is
//! removed exactly; patterns catch what was typed into free text. A person still reviews the
//! draft before publishing: this makes the safe choice the default, it does not replace them.

use domain::intake::{TRACKING_ALPHABET, TRACKING_CODE_LEN};

/// What the complaint itself knows about the owner.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub names: Vec<String>,
    pub phones: Vec<String>,
    /// Unit, building and similar place strings of the complaint.
    pub places: Vec<String>,
    pub codes: Vec<String>,
}

pub const NAME: &str = "业主";
pub const PHONE: &str = "[电话]";
pub const PLACE: &str = "[房号]";
pub const CODE: &str = "[查询码]";
pub const EMAIL: &str = "[邮箱]";
pub const PLATE: &str = "[车牌]";

/// Common surnames: "王先生" and "李女士" become "业主", "张师傅" becomes "师傅".
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤欧温康施牛樊葛邢乔伍庞颜倪庄聂章鲁岳翟殷詹耿焦俞柳祝舒阮柯梅童凌霍涂苗谷翁冉骆靳柴蒙鲍喻祁蒲滕屈饶艾尤穆卓缪麦褚娄窦戚岑晏瞿桂佟臧闵邬卞栾隋刁巫寇桑郎甄虞巩佘邝鞠荆冀郁胥栗鄢奚冼蔺阚郜屠禹漆卿狄芮扈晁邸雍裘亓邰赫杭嵇茅";
/// Titles that name an owner: the whole "surname + title" becomes "业主".
const OWNER_TITLES: &[&str] = &[
    "先生", "女士", "小姐", "太太", "阿姨", "叔叔", "大爷", "大妈", "奶奶", "爷爷", "老师",
];
/// Titles that name a staff member: the surname goes, the title stays.
const STAFF_TITLES: &[&str] = &["工程师", "师傅", "经理", "主管", "队长", "管家"];
/// What follows a number in an address: 3栋, 2单元, 1501室, B座, 12层.
const PLACE_SUFFIXES: &[&str] = &["号楼", "单元", "栋", "幢", "座", "楼", "层", "室", "户"];
/// Licence plates start with a province's abbreviation.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// `text` without the owner's personal data.
pub fn scrub(text: &str, known: &Known) -> String {
    let mut text = text.to_owned();
    let mut literal: Vec<(String, &str)> = Vec::new();
    for name in &known.names {
        if name.chars().count() >= 2 {
            literal.push((name.clone(), NAME));
        }
    }
    for phone in &known.phones {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        literal.push((phone.clone(), PHONE));
        if digits.len() >= 7 {
            literal.push((digits, PHONE));
        }
    }
    for place in &known.places {
        if place.chars().count() >= 2 {
            literal.push((place.clone(), PLACE));
        }
    }
    for code in &known.codes {
        literal.push((code.clone(), CODE));
        if code.len() == TRACKING_CODE_LEN {
            literal.push((
                format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]),
                CODE,
            ));
        }
    }
    // Longest first, so "2单元1501" goes before "2单元".
    literal.sort_by_key(|(s, _)| std::cmp::Reverse(s.chars().count()));
    for (needle, replacement) in literal {
        if !needle.trim().is_empty() {
            text = text.replace(&needle, replacement);
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((len, replacement)) = personal_at(&chars, i) {
            out.push_str(replacement);
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    // "3栋" and "2单元1501" removed one after the other are one place.
    for placeholder in [PLACE, PHONE, NAME] {
        let twice = format!("{placeholder}{placeholder}");
        while out.contains(&twice) {
            out = out.replace(&twice, placeholder);
        }
    }
    out
}

/// Personal data starting at `i`: its length in characters and what replaces it.
fn personal_at(chars: &[char], i: usize) -> Option<(usize, &'static str)> {
    // Only at the start of a token: never inside a longer word or number.
    let previous = i.checked_sub(1).map(|p| chars[p]);
    let token_start = previous.is_none_or(|p| !p.is_ascii_alphanumeric());
    if token_start {
        if let Some(len) = email_at(chars, i) {
            return Some((len, EMAIL));
        }
        if let Some(len) = code_at(chars, i) {
            return Some((len, CODE));
        }
        if let Some(len) = dashed_room_at(chars, i) {
            return Some((len, PLACE));
        }
        if let Some(len) = phone_at(chars, i) {
            return Some((len, PHONE));
        }
        if let Some(len) = place_at(chars, i) {
            return Some((len, PLACE));
        }
    }
    if let Some(len) = plate_at(chars, i) {
        return Some((len, PLATE));
    }
    honorific_at(chars, i)
}

fn starts_with(chars: &[char], i: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, c)| chars.get(i + k) == Some(&c))
}

fn email_at(chars: &[char], i: usize) -> Option<usize> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let mut j = i;
    while j < chars.len() && local(chars[j]) {
        j += 1;
    }
    if j == i || chars.get(j) != Some(&'@') {
        return None;
    }
    let domain_start = j + 1;
    let mut k = domain_start;
    while k < chars.len()
        && (chars[k].is_ascii_alphanumeric() || chars[k] == '.' || chars[k] == '-')
    {
        k += 1;
    }
    let domain: String = chars[domain_start..k].iter().collect();
    let domain = domain.trim_end_matches('.');
    (domain.contains('.') && !domain.starts_with('.'))
        .then_some(domain_start + domain.chars().count() - i)
}

/// A tracking code, plain or in groups of four: `ABCD2345EFGH`, `abcd-2345-efgh`.
fn code_at(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    let mut code = String::new();
    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '-') {
        if chars[j] != '-' {
            code.push(chars[j].to_ascii_uppercase());
        }
        j += 1;
    }
    let fits = code.len() == TRACKING_CODE_LEN
        && code.bytes().all(|b| TRACKING_ALPHABET.contains(&b))
        && code.bytes().any(|b| b.is_ascii_digit())
        && code.bytes().any(|b| b.is_ascii_uppercase());
    fits.then_some(j - i)
}

/// `3-2-1501`, `2-1501`: number groups joined by dashes, the last of three or four digits.
fn dashed_room_at(chars: &[char], i: usize) -> Option<usize> {
    let mut groups: Vec<usize> = Vec::new();
    let mut j = i;
    loop {
        let start = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j == start {
            return None;
        }
        groups.push(j - start);
        if chars.get(j) == Some(&'-') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
            j += 1;
        } else {
            break;
        }
    }
    let last = *groups.last()?;
    let fits = groups.len() >= 2
        && groups.iter().all(|g| *g <= 4)
        && groups.iter().sum::<usize>() <= 7
        && (3..=4).contains(&last)
        && chars.get(j).is_none_or(|c| !c.is_ascii_alphanumeric());
    fits.then_some(j - i)
}

/// Seven or more digits, possibly with `+`, spaces, dashes or brackets between them.
fn phone_at(chars: &[char], i: usize) -> Option<usize> {
    if !(chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(') {
        return None;
    }
    let mut j = i;
    let mut digits = 0;
    let mut end = i;
    while j < chars.len() && (chars[j].is_ascii_digit() || " -+()".contains(chars[j])) {
        if chars[j].is_ascii_digit() {
            digits += 1;
            end = j + 1;
        }
        j += 1;
    }
    (digits >= 7 && chars.get(end).is_none_or(|c| !c.is_ascii_alphanumeric())).then_some(end - i)
}

/// `3栋2单元1501室`, `B座1201`, `12层`: numbers or a letter, each followed by an address word,
/// then possibly a bare room number.
fn place_at(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    let mut parts = 0;
    loop {
        let start = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j == start && chars.get(j).is_some_and(char::is_ascii_alphabetic) {
            j += 1;
        }
        if j == start {
            break;
        }
        match PLACE_SUFFIXES.iter().find(|s| starts_with(chars, j, s)) {
            Some(suffix) => {
                j += suffix.chars().count();
                parts += 1;
            }
            None if parts > 0 && j - start >= 3 && chars[start].is_ascii_digit() => {
                // The bare room number after "2单元".
                parts += 1;
                break;
            }
            None => {
                j = start;
                break;
            }
        }
    }
    (parts > 0).then_some(j - i)
}

fn plate_at(chars: &[char], i: usize) -> Option<usize> {
    if !PROVINCES.contains(chars[i]) {
        return None;
    }
    let letter = chars.get(i + 1)?;
    if !letter.is_ascii_uppercase() {
        return None;
    }
    let mut j = i + 2;
    while j < chars.len() && (chars[j].is_ascii_uppercase() || chars[j].is_ascii_digit()) {
        j += 1;
    }
    let tail = j - i - 2;
    let has_digit = chars[i + 2..j].iter().any(char::is_ascii_digit);
    ((5..=6).contains(&tail) && has_digit).then_some(j - i)
}

fn honorific_at(chars: &[char], i: usize) -> Option<(usize, &'static str)> {
    if !SURNAMES.contains(chars[i]) {
        return None;
    }
    for title in OWNER_TITLES {
        if starts_with(chars, i + 1, title) {
            return Some((1 + title.chars().count(), NAME));
        }
    }
    for title in STAFF_TITLES {
        if starts_with(chars, i + 1, title) {
            return Some((1 + title.chars().count(), title));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            names: vec!["欧阳娜娜".into()],
            phones: vec!["13812345678".into()],
            places: vec!["2单元1501".into(), "3栋".into()],
            codes: vec!["ABCD2345EFGH".into()],
        }
    }

    #[test]
    fn what_the_complaint_recorded_is_removed_exactly() {
        let text = "欧阳娜娜反映3栋2单元1501漏水,电话13812345678,查询码ABCD-2345-EFGH。";
        assert_eq!(
            scrub(text, &known()),
            "业主反映[房号]漏水,电话[电话],查询码[查询码]。"
        );
    }

    #[test]
    fn typed_personal_data_is_caught_by_its_shape() {
        let cases = [
            ("王先生说5栋1203室楼上漏水", "业主说[房号]楼上漏水"),
            ("请联系李女士 139-1234-5678", "请联系业主 [电话]"),
            ("座机(0755)8888-1234转2", "座机[电话]转2"),
            ("住在3-2-1501的业主", "住在[房号]的业主"),
            ("B座1201和12层", "[房号]和[房号]"),
            ("邮件 wang.li@example.com 联系", "邮件 [邮箱] 联系"),
            ("车牌粤B12345停在消防通道", "车牌[车牌]停在消防通道"),
            ("查询码 hjkm-npqr-2345", "查询码 [查询码]"),
            ("维修部张师傅已上门", "维修部师傅已上门"),
        ];
        for (text, expected) in cases {
            assert_eq!(scrub(text, &Known::default()), expected, "{text}");
        }
    }

    #[test]
    fn ordinary_numbers_and_words_stay() {
        let text = "24小时内上门,维修费用300元,保修期5年,这位先生";
        assert_eq!(scrub(text, &Known::default()), text);
    }
}
