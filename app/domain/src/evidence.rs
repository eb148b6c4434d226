//! Photo and video evidence attached to a complaint (rules.md "Intake": "附上照片或视频").
//!
//! What a file *is* comes from its first bytes, never from the name or the type the browser
//! claims; only common phone formats are accepted, each kind with its own size limit.

use serde::{Deserialize, Serialize};

use crate::fields::FieldError;

/// Photo or video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// JPEG, PNG, WebP, GIF, HEIC.
    Image,
    /// MP4, MOV (QuickTime), WebM.
    Video,
}

/// A recognised format: its kind and the MIME type it is served with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// Photo or video.
    pub kind: MediaKind,
    /// e.g. `image/jpeg`.
    pub mime: &'static str,
    /// e.g. `jpg`.
    pub extension: &'static str,
}

/// How much evidence one complaint takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceLimits {
    /// Largest photo, in bytes.
    pub max_image_bytes: u64,
    /// Largest video, in bytes.
    pub max_video_bytes: u64,
    /// Most files per complaint.
    pub max_files: usize,
}

impl Default for EvidenceLimits {
    fn default() -> Self {
        EvidenceLimits {
            max_image_bytes: 10 * 1024 * 1024,
            max_video_bytes: 50 * 1024 * 1024,
            max_files: 9,
        }
    }
}

impl EvidenceLimits {
    /// Largest file of any kind (the upload's body limit).
    pub fn max_any_bytes(&self) -> u64 {
        self.max_image_bytes.max(self.max_video_bytes)
    }
}

/// Recognises a file from its first bytes (at least 12 are needed).
pub fn sniff(head: &[u8]) -> Option<Format> {
    const fn f(kind: MediaKind, mime: &'static str, extension: &'static str) -> Option<Format> {
        Some(Format {
            kind,
            mime,
            extension,
        })
    }
    use MediaKind::{Image, Video};
    match head {
        [0xFF, 0xD8, 0xFF, ..] => f(Image, "image/jpeg", "jpg"),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => f(Image, "image/png", "png"),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => f(Image, "image/gif", "gif"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
            f(Image, "image/webp", "webp")
        }
        [0x1A, 0x45, 0xDF, 0xA3, ..] => f(Video, "video/webm", "webm"),
        [_, _, _, _, b'f', b't', b'y', b'p', brand @ ..] if brand.len() >= 4 => match &brand[..4] {
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis" => {
                f(Image, "image/heic", "heic")
            }
            b"qt  " => f(Video, "video/quicktime", "mov"),
            b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
            | b"M4V " | b"MSNV" | b"3gp4" | b"3gp5" | b"3gp6" | b"dash" => {
                f(Video, "video/mp4", "mp4")
            }
            _ => None,
        },
        _ => None,
    }
}

/// Checks one upload: a format we take, not empty, within its kind's limit, and room left.
pub fn check(
    head: &[u8],
    size: u64,
    already: usize,
    limits: &EvidenceLimits,
) -> Result<Format, FieldError> {
    if already >= limits.max_files {
        let max = limits.max_files;
        return Err(FieldError::new(
            "evidence",
            format!("每宗投诉最多{max}个文件"),
            format!("At most {max} files per complaint"),
        ));
    }
    if size == 0 {
        return Err(FieldError::new(
            "evidence",
            "请选择要上传的照片或视频",
            "Choose a photo or video to upload",
        ));
    }
    let Some(format) = sniff(head) else {
        return Err(FieldError::new(
            "evidence",
            "只支持照片（JPG、PNG、WebP、GIF、HEIC）和视频（MP4、MOV、WebM）",
            "Only photos (JPG, PNG, WebP, GIF, HEIC) and videos (MP4, MOV, WebM) can be attached",
        ));
    };
    let (max, zh_kind, en_kind) = match format.kind {
        MediaKind::Image => (limits.max_image_bytes, "照片", "Photos"),
        MediaKind::Video => (limits.max_video_bytes, "视频", "Videos"),
    };
    if size > max {
        let mb = max / (1024 * 1024);
        return Err(FieldError::new(
            "evidence",
            format!("{zh_kind}不能超过{mb}MB"),
            format!("{en_kind} are limited to {mb} MB"),
        ));
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_bytes() {
        assert_eq!(
            sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01").map(|f| f.mime),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").map(|f| f.mime),
            Some("image/png")
        );
        assert_eq!(
            sniff(b"RIFF\x10\0\0\0WEBPVP8 ").map(|f| f.mime),
            Some("image/webp")
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0").map(|f| f.mime),
            Some("image/heic")
        );
        assert_eq!(
            sniff(b"\0\0\0\x20ftypisom\0\0\x02\0").map(|f| f.kind),
            Some(MediaKind::Video)
        );
        assert_eq!(
            sniff(b"\0\0\0\x14ftypqt  \0\0\0\0").map(|f| f.mime),
            Some("video/quicktime")
        );
        assert_eq!(sniff(b"<script>alert(1)</script>"), None);
        assert_eq!(sniff(b"%PDF-1.7\n%abc"), None);
        assert_eq!(sniff(b"\xFF\xD8"), None, "too short to tell");
    }

    #[test]
    fn limits_by_kind_and_count() {
        let limits = EvidenceLimits::default();
        let jpeg = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01";
        let mp4 = b"\0\0\0\x20ftypisom\0\0\x02\0";
        assert!(check(jpeg, 2_000_000, 0, &limits).is_ok());
        assert!(
            check(jpeg, 11 * 1024 * 1024, 0, &limits).is_err(),
            "photos ≤ 10 MB"
        );
        assert!(
            check(mp4, 11 * 1024 * 1024, 0, &limits).is_ok(),
            "videos may be larger"
        );
        assert!(check(mp4, 51 * 1024 * 1024, 0, &limits).is_err());
        assert!(check(jpeg, 100, limits.max_files, &limits).is_err());
        assert!(check(jpeg, 0, 0, &limits).is_err());
        let refused = check(b"GIF-not-really-", 100, 0, &limits).unwrap_err();
        assert!(refused.message(crate::Lang::Zh).contains("只支持"));
    }
}
