//! Where webhooks may go. An administrator's endpoint must be a public address: loopback,
//! private (RFC 1918, unique-local), link-local (with the cloud metadata address
//! 169.254.169.254), CGNAT, multicast and unspecified addresses are refused unless the
//! endpoint was explicitly allowed to reach them. The check runs when the endpoint is saved
//! and again before every delivery, on every address the name resolves to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The host of a URL, for showing (`hooks.example.com`).
pub fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// Not an address on the public internet.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return private_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link local
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) // AWS metadata (v6)
        }
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240
}

/// Why a webhook URL is refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub zh: String,
    pub en: String,
}

/// Checks a webhook URL: http(s), a host, and (unless `allow_private`) only public addresses.
pub async fn check(url: &str, allow_private: bool) -> Result<reqwest::Url, Refused> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| Refused {
        zh: "地址格式不正确，应为 https://… 开头的完整网址".to_owned(),
        en: "Not a valid URL: give a full address starting with https://".to_owned(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || !parsed.username().is_empty() {
        return Err(Refused {
            zh: "只支持 http:// 或 https:// 地址，且不能含账号密码".to_owned(),
            en: "Only http:// or https:// addresses, without credentials".to_owned(),
        });
    }
    let Some(host) = parsed.host_str().map(str::to_owned) else {
        return Err(Refused {
            zh: "地址缺少主机名".to_owned(),
            en: "The address has no host".to_owned(),
        });
    };
    if allow_private {
        return Ok(parsed);
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<IpAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map(|it| it.map(|a| a.ip()).collect())
            .map_err(|_| Refused {
                zh: format!("无法解析主机名 {host}"),
                en: format!("Cannot resolve {host}"),
            })?,
    };
    if addrs.is_empty() || addrs.iter().any(|ip| is_private(*ip)) {
        return Err(Refused {
            zh: format!("{host} 指向内网或本机地址，出于安全考虑不能作为推送地址（如确需，请勾选“允许内网地址”）"),
            en: format!("{host} points to a private or local address and is refused (tick “allow private addresses” if you really mean it)"),
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_metadata_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["1.1.1.1", "114.114.114.114", "2400:3200::1"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }
}
