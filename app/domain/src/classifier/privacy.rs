//! Personal data out of training text: a model trained on a company's complaints must not
//! carry an owner's phone number, a name or a unit number in its features.
//!
//! [`mask`] runs on every text before it reaches training (and before it is quoted in a
//! training report):
//!
//! - every run of digits (ASCII or full-width) becomes one `0`: phone numbers, ID numbers,
//!   unit and room numbers, dates. The features already read any run of digits as one
//!   number symbol, so the classifier loses nothing;
//! - e-mail addresses become `邮箱`;
//! - the names the caller knows (the complainant's, the staff's) become `某某`;
//! - a common surname before a form of address (`张先生`, `王经理`, `李师傅`, `刘阿姨`,
//!   `张伟经理`) becomes `某` per character;
//! - a name after `我叫`, `名叫`, `我姓`, `姓名` (up to three ideographs) becomes `某`.
//!
//! It errs towards masking: a word that only looks like a surname before a title (项目经理)
//! is masked too, which costs the model a bigram and never leaks a name.

use crate::text::is_cjk;

/// Forms of address that follow a surname. One-character forms (工, 总, 姐) are left out:
/// 施工 and 汇总 are words, not names.
const TITLES: &[&str] = &[
    "先生", "女士", "小姐", "师傅", "经理", "主任", "主管", "阿姨", "大爷", "大妈", "老师", "律师",
    "医生", "警官", "队长", "书记", "秘书", "总监", "大姐", "大哥",
];

/// Compound surnames, matched before the single ones.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "尉迟",
];

/// The most common single-character surnames.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董\
袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史\
陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关\
兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕\
屈饶解牟艾尤阳时穆农卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬\
边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池乐匡钮";

/// Words after which a name follows.
const NAME_CUES: &[&str] = &["我叫", "名叫", "叫做", "我姓", "姓名", "本人姓"];

/// The mask for a name of unknown length.
const SOMEONE: &str = "某某";

/// `text` with personal data masked (see the module docs). `names` are names known to the
/// caller (the complainant's, the staff's); names shorter than two characters are ignored
/// (one character is a word, not a name).
pub fn mask(text: &str, names: &[&str]) -> String {
    let mut out = mask_known_names(text, names);
    out = mask_emails(&out);
    out = mask_digits(&out);
    out = mask_addressed(&out);
    mask_introduced(&out)
}

fn mask_known_names(text: &str, names: &[&str]) -> String {
    let mut names: Vec<&str> = names
        .iter()
        .map(|n| n.trim())
        .filter(|n| n.chars().count() >= 2)
        .collect();
    // Longest first, so "张伟明" is not left as "某某明".
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let mut out = text.to_owned();
    for name in names {
        if out.contains(name) {
            out = out.replace(name, SOMEONE);
        }
    }
    out
}

fn mask_emails(text: &str) -> String {
    if !text.contains('@') {
        return text.to_owned();
    }
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            let is_email = trimmed
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
            if is_email {
                format!("邮箱{}", &word[trimmed.len()..])
            } else {
                word.to_owned()
            }
        })
        .collect()
}

fn mask_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
        if digit {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out
}

fn is_surname_at(chars: &[char], at: usize) -> Option<usize> {
    for compound in COMPOUND_SURNAMES {
        let c: Vec<char> = compound.chars().collect();
        if chars.get(at..at + c.len()) == Some(&c[..]) {
            return Some(c.len());
        }
    }
    chars.get(at).filter(|c| SURNAMES.contains(**c)).map(|_| 1)
}

fn title_at(chars: &[char], at: usize) -> Option<usize> {
    TITLES.iter().find_map(|t| {
        let t: Vec<char> = t.chars().collect();
        (chars.get(at..at + t.len()) == Some(&t[..])).then_some(t.len())
    })
}

/// `张先生` → `某先生`, `张伟经理` → `某某经理`, `欧阳女士` → `某某女士`.
fn mask_addressed(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let Some(title_len) = title_at(&chars, i) else {
            i += 1;
            continue;
        };
        // The name before the title, in this order: a compound surname (with or without a
        // given name), a surname right before it, a surname and one given-name ideograph.
        let candidates = [(2, 2), (3, 2), (1, 1), (2, 1)];
        let mut masked = false;
        for (name_len, surname_len) in candidates {
            let Some(start) = i.checked_sub(name_len) else {
                continue;
            };
            if !chars[start..i].iter().all(|c| is_cjk(*c)) {
                continue;
            }
            if is_surname_at(&chars, start) == Some(surname_len) {
                for c in &mut chars[start..i] {
                    *c = '某';
                }
                masked = true;
                break;
            }
        }
        i += if masked { title_len } else { 1 };
    }
    chars.into_iter().collect()
}

/// `我叫张三，` → `我叫某某，`; `我姓李` → `我姓某`.
fn mask_introduced(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for cue in NAME_CUES {
        let cue: Vec<char> = cue.chars().collect();
        let mut i = 0;
        while i + cue.len() <= chars.len() {
            if chars[i..i + cue.len()] != cue[..] {
                i += 1;
                continue;
            }
            let start = i + cue.len();
            let mut end = start;
            // `姓名：张三` has a colon between.
            while end < chars.len() && matches!(chars[end], ':' | '：' | ' ') {
                end += 1;
            }
            let name_start = end;
            while end < chars.len() && end - name_start < 3 && is_cjk(chars[end]) {
                end += 1;
            }
            for c in &mut chars[name_start..end] {
                *c = '某';
            }
            i = end.max(i + 1);
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_units_and_ids_lose_their_digits() {
        let masked = mask(
            "我是3栋2单元1201室业主，电话13812345678，身份证１１０１０１１９９０",
            &[],
        );
        assert_eq!(masked, "我是0栋0单元0室业主，电话0，身份证0");
    }

    #[test]
    fn known_names_are_masked_longest_first() {
        let masked = mask("张伟明说张伟明的邻居也漏水", &["张伟", "张伟明", "王"]);
        assert_eq!(masked, "某某说某某的邻居也漏水");
    }

    #[test]
    fn a_surname_before_a_form_of_address_is_masked() {
        assert_eq!(
            mask("找过王经理和李师傅，欧阳女士也来过", &[]),
            "找过某经理和某师傅，某某女士也来过"
        );
        assert_eq!(mask("张伟经理说下周来修", &[]), "某某经理说下周来修");
        // Not a name: no surname before the title.
        assert_eq!(mask("物业经理不接电话", &[]), "物业经理不接电话");
    }

    #[test]
    fn a_name_after_an_introduction_is_masked() {
        assert_eq!(mask("我叫刘德华，住在3号楼", &[]), "我叫某某某，住在0号楼");
        assert_eq!(mask("姓名：陈小春", &[]), "姓名：某某某");
    }

    #[test]
    fn emails_are_masked() {
        assert_eq!(
            mask("邮件 li.si@example.com 没人回", &[]),
            "邮件 邮箱 没人回"
        );
    }
}
