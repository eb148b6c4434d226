//! Location data removed from uploaded photos.
//!
//! Photos taken on phones carry where they were taken: the EXIF GPS directory and, in XMP,
//! the same coordinates again (`exif:GPSLatitude`, ...). The portal removes them on upload so
//! that a file an owner attaches does not publish their home's position. Orientation and
//! everything else needed to display the photo stays.
//!
//! - EXIF (JPEG, PNG, WebP, HEIC): the GPS directory is emptied in place; its entries and the
//!   values they point to become zeros and its entry count 0. No length or offset changes, so
//!   IFD0 (with the orientation), the Exif directory and the thumbnail stay valid.
//! - XMP: removed as a whole where the container allows it (JPEG APP1, PNG text chunk, WebP
//!   `XMP ` chunk); in HEIC, where removing bytes would move boxes, the GPS values in the
//!   packet are overwritten with spaces of the same length.
//!
//! The input is whatever was uploaded, so every read is bounds-checked and a file this module
//! cannot parse is returned unchanged: never an error, never a panic.

use std::ops::Range;

/// What was removed, for the tests and the log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stripped {
    /// EXIF GPS directories emptied.
    pub gps_blocks: usize,
    /// XMP packets removed (HEIC: packets whose GPS values were overwritten in place).
    pub xmp_blocks: usize,
}

/// Removes location data from a photo of the given MIME type ("image/jpeg", "image/png",
/// "image/webp", "image/heic", "image/gif"); other types and anything it cannot parse are
/// returned unchanged (never an error, never a panic).
pub fn strip_location(bytes: Vec<u8>, mime: &str) -> (Vec<u8>, Stripped) {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "image/jpeg" | "image/jpg" => strip_jpeg(bytes),
        "image/png" => strip_png(bytes),
        "image/webp" => strip_webp(bytes),
        "image/heic" | "image/heif" => strip_heic(bytes),
        // GIF carries no EXIF; everything else is not a photo format we touch.
        _ => (bytes, Stripped::default()),
    }
}

/// The prefix of an EXIF payload in JPEG APP1 (and sometimes in PNG, WebP and HEIC).
const EXIF_PREFIX: &[u8] = b"Exif\0\0";

// ---------------------------------------------------------------------------------------
// TIFF (the structure inside every EXIF payload)
// ---------------------------------------------------------------------------------------

/// Byte order of a TIFF structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByteOrder {
    /// "II": little-endian.
    Little,
    /// "MM": big-endian.
    Big,
}

impl ByteOrder {
    /// Reads the byte order from a TIFF header ("II*\0" or "MM\0*").
    fn of_tiff(tiff: &[u8]) -> Option<Self> {
        match tiff.get(..4)? {
            [b'I', b'I', 0x2A, 0x00] => Some(Self::Little),
            [b'M', b'M', 0x00, 0x2A] => Some(Self::Big),
            _ => None,
        }
    }

    fn u16_at(self, buf: &[u8], at: usize) -> Option<u16> {
        let raw: [u8; 2] = buf.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(match self {
            Self::Little => u16::from_le_bytes(raw),
            Self::Big => u16::from_be_bytes(raw),
        })
    }

    fn u32_at(self, buf: &[u8], at: usize) -> Option<u32> {
        let raw: [u8; 4] = buf.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(match self {
            Self::Little => u32::from_le_bytes(raw),
            Self::Big => u32::from_be_bytes(raw),
        })
    }

    /// Reads a 32-bit offset as a `usize`.
    fn offset_at(self, buf: &[u8], at: usize) -> Option<usize> {
        usize::try_from(self.u32_at(buf, at)?).ok()
    }
}

/// Length of a TIFF header; no directory or value may start inside it.
const TIFF_HEADER_LEN: usize = 8;
/// Length of one IFD entry: tag, type, count, value or offset.
const IFD_ENTRY_LEN: usize = 12;
/// More entries than any real directory has: a larger count is taken as hostile.
const MAX_IFD_ENTRIES: usize = 1000;
/// The IFD0 tag whose value is the offset of the GPS directory.
const TAG_GPS_IFD: u16 = 0x8825;

/// A directory checked to lie within its buffer.
#[derive(Debug, Clone, Copy)]
struct Ifd {
    /// Offset of the entry count.
    offset: usize,
    /// Number of entries.
    count: usize,
}

impl Ifd {
    /// Reads the directory at `offset`, if its count and every entry lie within `tiff`.
    fn at(tiff: &[u8], order: ByteOrder, offset: usize) -> Option<Self> {
        if offset < TIFF_HEADER_LEN {
            return None;
        }
        let count = usize::from(order.u16_at(tiff, offset)?);
        if count > MAX_IFD_ENTRIES {
            return None;
        }
        let ifd = Self { offset, count };
        (ifd.entries_end()? <= tiff.len()).then_some(ifd)
    }

    /// Offset of the first entry.
    fn entries_start(self) -> Option<usize> {
        self.offset.checked_add(2)
    }

    /// Offset just past the last entry (where the next-IFD offset starts).
    fn entries_end(self) -> Option<usize> {
        self.entries_start()?
            .checked_add(self.count.checked_mul(IFD_ENTRY_LEN)?)
    }

    /// Offset of entry `index`.
    fn entry(self, index: usize) -> Option<usize> {
        self.entries_start()?
            .checked_add(index.checked_mul(IFD_ENTRY_LEN)?)
    }

    /// The bytes the directory occupies, including the next-IFD offset.
    fn span(self) -> Option<Range<usize>> {
        Some(self.offset..self.entries_end()?.checked_add(4)?)
    }
}

/// Size in bytes of one value of a TIFF field type; `None` for unknown types.
fn type_size(field_type: u16) -> Option<usize> {
    match field_type {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 => Some(8),
        _ => None,
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// What blanking the GPS directory of one TIFF will write: worked out before anything is
/// written, so a structure that turns out to be broken is left as it was.
#[derive(Debug)]
struct GpsBlanking {
    gps: Ifd,
    /// Out-of-line values of GPS entries.
    values: Vec<Range<usize>>,
}

fn plan_gps_blanking(tiff: &[u8]) -> Option<GpsBlanking> {
    let order = ByteOrder::of_tiff(tiff)?;
    let ifd0 = Ifd::at(tiff, order, order.offset_at(tiff, 4)?)?;
    let gps_offset = (0..ifd0.count).find_map(|index| {
        let entry = ifd0.entry(index)?;
        if order.u16_at(tiff, entry)? == TAG_GPS_IFD {
            order.offset_at(tiff, entry.checked_add(8)?)
        } else {
            None
        }
    })?;
    let gps = Ifd::at(tiff, order, gps_offset)?;
    if gps.count == 0 {
        return None;
    }
    // Never write over the header or IFD0 (where the orientation lives), whatever a hostile
    // file claims.
    let header = 0..TIFF_HEADER_LEN;
    let ifd0_span = ifd0.span()?;
    let gps_table = gps.offset..gps.entries_end()?;
    if overlaps(&gps_table, &ifd0_span) {
        return None;
    }
    let mut values = Vec::new();
    for index in 0..gps.count {
        let entry = gps.entry(index)?;
        let Some(size) = type_size(order.u16_at(tiff, entry.checked_add(2)?)?) else {
            continue;
        };
        let count = usize::try_from(order.u32_at(tiff, entry.checked_add(4)?)?).ok()?;
        let Some(len) = count.checked_mul(size) else {
            continue;
        };
        if len <= 4 {
            // Inline: it is part of the entry, which is zeroed as a whole.
            continue;
        }
        let start = order.offset_at(tiff, entry.checked_add(8)?)?;
        let Some(end) = start.checked_add(len) else {
            continue;
        };
        let value = start..end;
        if end <= tiff.len() && !overlaps(&value, &header) && !overlaps(&value, &ifd0_span) {
            values.push(value);
        }
    }
    Some(GpsBlanking { gps, values })
}

/// Empties the GPS directory of a TIFF structure (starting at its "II*\0" or "MM\0*" header)
/// in place: the values its entries point to and the entries become zeros and its count 0.
/// The GPSInfo entry in IFD0 stays and points at the now empty directory; nothing moves.
/// Returns whether a GPS directory was blanked.
fn blank_gps_in_tiff(tiff: &mut [u8]) -> bool {
    let Some(plan) = plan_gps_blanking(tiff) else {
        return false;
    };
    for value in plan.values {
        if let Some(bytes) = tiff.get_mut(value) {
            bytes.fill(0);
        }
    }
    let (Some(start), Some(end)) = (plan.gps.entries_start(), plan.gps.entries_end()) else {
        return false;
    };
    if let Some(entries) = tiff.get_mut(start..end) {
        entries.fill(0);
    }
    // The count is 0 in either byte order; the next-IFD offset a reader now expects right
    // after the count is the first zeroed entry.
    if let Some(count) = tiff.get_mut(plan.gps.offset..start) {
        count.fill(0);
    }
    true
}

/// Blanks GPS in an EXIF payload that is either a bare TIFF or "Exif\0\0" + TIFF.
fn blank_gps_in_exif_payload(payload: &mut [u8]) -> bool {
    let tiff = if payload.starts_with(EXIF_PREFIX) {
        payload.get_mut(EXIF_PREFIX.len()..)
    } else {
        Some(payload)
    };
    tiff.is_some_and(blank_gps_in_tiff)
}

// ---------------------------------------------------------------------------------------
// Rebuilding a container without some of its parts
// ---------------------------------------------------------------------------------------

/// What to do with one segment or chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Copied unchanged.
    Keep,
    /// Copied after blanking GPS in the EXIF payload at this range.
    Exif(Range<usize>),
    /// Left out (XMP).
    Drop,
}

/// A container parsed into parts: `head` is kept, then each part, then everything from `rest`.
#[derive(Debug)]
struct Layout {
    head: Range<usize>,
    parts: Vec<(Range<usize>, Part)>,
    rest: usize,
}

impl Layout {
    fn dropped(&self) -> usize {
        self.parts.iter().filter(|(_, p)| *p == Part::Drop).count()
    }

    fn dropped_bytes(&self) -> usize {
        self.parts
            .iter()
            .filter(|(_, p)| *p == Part::Drop)
            .map(|(r, _)| r.len())
            .sum()
    }

    /// Copies everything but the dropped parts.
    fn rebuild(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len().saturating_sub(self.dropped_bytes()));
        out.extend_from_slice(bytes.get(self.head.clone()).unwrap_or_default());
        for (range, part) in &self.parts {
            if *part != Part::Drop {
                out.extend_from_slice(bytes.get(range.clone()).unwrap_or_default());
            }
        }
        out.extend_from_slice(bytes.get(self.rest..).unwrap_or_default());
        out
    }
}

/// Blanks GPS in every EXIF part; returns how many GPS directories were blanked.
fn blank_exif_parts(bytes: &mut [u8], layout: &Layout) -> usize {
    let mut blanked = 0;
    for (_, part) in &layout.parts {
        if let Part::Exif(payload) = part {
            if bytes
                .get_mut(payload.clone())
                .is_some_and(blank_gps_in_exif_payload)
            {
                blanked += 1;
            }
        }
    }
    blanked
}

// ---------------------------------------------------------------------------------------
// JPEG
// ---------------------------------------------------------------------------------------

const XMP_NAMESPACE: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENSION_NAMESPACE: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";

/// Splits a JPEG into its segments up to the first SOS (start of scan) or EOI.
fn jpeg_layout(bytes: &[u8]) -> Option<Layout> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut parts = Vec::new();
    let mut pos = 2;
    while pos < bytes.len() {
        let start = pos;
        if *bytes.get(pos)? != 0xFF {
            return None;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        let mut at = pos.checked_add(1)?;
        while *bytes.get(at)? == 0xFF {
            at = at.checked_add(1)?;
        }
        let marker = *bytes.get(at)?;
        let after_marker = at.checked_add(1)?;
        match marker {
            // Start of scan or end of image: the rest is copied as it is.
            0xDA | 0xD9 => {
                return Some(Layout {
                    head: 0..2,
                    parts,
                    rest: start,
                })
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                parts.push((start..after_marker, Part::Keep));
                pos = after_marker;
            }
            0x00 | 0xD8 => return None,
            _ => {
                let length_end = after_marker.checked_add(2)?;
                let length = bytes.get(after_marker..length_end)?;
                let length = usize::from(u16::from_be_bytes([*length.first()?, *length.get(1)?]));
                if length < 2 {
                    return None;
                }
                let end = after_marker.checked_add(length)?;
                let payload = bytes.get(length_end..end)?;
                let part = if marker != 0xE1 {
                    Part::Keep
                } else if payload.starts_with(EXIF_PREFIX) {
                    Part::Exif(length_end.checked_add(EXIF_PREFIX.len())?..end)
                } else if payload.starts_with(XMP_NAMESPACE)
                    || payload.starts_with(XMP_EXTENSION_NAMESPACE)
                {
                    Part::Drop
                } else {
                    Part::Keep
                };
                parts.push((start..end, part));
                pos = end;
            }
        }
    }
    Some(Layout {
        head: 0..2,
        parts,
        rest: pos,
    })
}

fn strip_jpeg(mut bytes: Vec<u8>) -> (Vec<u8>, Stripped) {
    let Some(layout) = jpeg_layout(&bytes) else {
        return (bytes, Stripped::default());
    };
    let stripped = Stripped {
        gps_blocks: blank_exif_parts(&mut bytes, &layout),
        xmp_blocks: layout.dropped(),
    };
    if stripped.xmp_blocks > 0 {
        bytes = layout.rebuild(&bytes);
    }
    (bytes, stripped)
}

// ---------------------------------------------------------------------------------------
// PNG
// ---------------------------------------------------------------------------------------

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// The keyword of the text chunk that carries XMP.
const PNG_XMP_KEYWORD: &[u8] = b"XML:com.adobe.xmp";

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let raw: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_be_bytes(raw))
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as PNG chunks use it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFF_u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// Splits a PNG into its chunks up to and including IEND.
fn png_layout(bytes: &[u8]) -> Option<Layout> {
    if bytes.get(..8)? != PNG_SIGNATURE {
        return None;
    }
    let mut parts = Vec::new();
    let mut pos = PNG_SIGNATURE.len();
    while pos < bytes.len() {
        let length = be_u32(bytes, pos)?;
        if length > 0x7FFF_FFFF {
            return None;
        }
        let type_start = pos.checked_add(4)?;
        let data_start = pos.checked_add(8)?;
        let chunk_type = bytes.get(type_start..data_start)?;
        let data_end = data_start.checked_add(usize::try_from(length).ok()?)?;
        let end = data_end.checked_add(4)?;
        let data = bytes.get(data_start..data_end)?;
        if end > bytes.len() {
            return None;
        }
        let part = match chunk_type {
            b"eXIf" => Part::Exif(data_start..data_end),
            b"iTXt" | b"tEXt" | b"zTXt" if text_keyword(data) == Some(PNG_XMP_KEYWORD) => {
                Part::Drop
            }
            _ => Part::Keep,
        };
        let is_end = chunk_type == b"IEND";
        parts.push((pos..end, part));
        pos = end;
        if is_end {
            break;
        }
    }
    Some(Layout {
        head: 0..PNG_SIGNATURE.len(),
        parts,
        rest: pos,
    })
}

/// The keyword of a PNG text chunk: the bytes before the first NUL.
fn text_keyword(data: &[u8]) -> Option<&[u8]> {
    data.get(..data.iter().position(|&b| b == 0)?)
}

fn strip_png(mut bytes: Vec<u8>) -> (Vec<u8>, Stripped) {
    let Some(layout) = png_layout(&bytes) else {
        return (bytes, Stripped::default());
    };
    let mut gps_blocks = 0;
    for (chunk, part) in &layout.parts {
        let Part::Exif(data) = part else {
            continue;
        };
        if !bytes
            .get_mut(data.clone())
            .is_some_and(blank_gps_in_exif_payload)
        {
            continue;
        }
        gps_blocks += 1;
        // The CRC covers the chunk type and data.
        let crc = chunk
            .start
            .checked_add(4)
            .and_then(|type_start| bytes.get(type_start..data.end))
            .map(crc32);
        let crc_slot = data
            .end
            .checked_add(4)
            .and_then(|crc_end| bytes.get_mut(data.end..crc_end));
        if let (Some(crc), Some(slot)) = (crc, crc_slot) {
            slot.copy_from_slice(&crc.to_be_bytes());
        }
    }
    let stripped = Stripped {
        gps_blocks,
        xmp_blocks: layout.dropped(),
    };
    if stripped.xmp_blocks > 0 {
        bytes = layout.rebuild(&bytes);
    }
    (bytes, stripped)
}

// ---------------------------------------------------------------------------------------
// WebP
// ---------------------------------------------------------------------------------------

/// The VP8X flag saying the file has an XMP chunk.
const VP8X_XMP_FLAG: u8 = 0x04;

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let raw: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(raw))
}

/// A WebP split into chunks, with where the VP8X flags byte is.
struct WebpLayout {
    layout: Layout,
    riff_size: u32,
    vp8x_flags: Option<usize>,
}

/// Splits a WebP into the chunks of its RIFF container.
fn webp_layout(bytes: &[u8]) -> Option<WebpLayout> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let riff_size = le_u32(bytes, 4)?;
    let riff_end = usize::try_from(riff_size).ok()?.checked_add(8)?;
    if riff_end < 12 || riff_end > bytes.len() {
        return None;
    }
    let mut parts = Vec::new();
    let mut vp8x_flags = None;
    let mut pos = 12;
    while pos < riff_end {
        let fourcc = bytes.get(pos..pos.checked_add(4)?)?;
        let size = le_u32(bytes, pos.checked_add(4)?)?;
        let data_start = pos.checked_add(8)?;
        let data_end = data_start.checked_add(usize::try_from(size).ok()?)?;
        if data_end > riff_end {
            return None;
        }
        // Chunks are padded to an even length; tolerate a missing pad at the very end.
        let end = data_end
            .checked_add(usize::from(size % 2 == 1))?
            .min(riff_end);
        let part = match fourcc {
            b"EXIF" => Part::Exif(data_start..data_end),
            b"XMP " => Part::Drop,
            b"VP8X" => {
                if vp8x_flags.is_none() && size >= 1 {
                    vp8x_flags = Some(data_start);
                }
                Part::Keep
            }
            _ => Part::Keep,
        };
        parts.push((pos..end, part));
        pos = end;
    }
    Some(WebpLayout {
        layout: Layout {
            head: 0..12,
            parts,
            rest: riff_end,
        },
        riff_size,
        vp8x_flags,
    })
}

fn strip_webp(mut bytes: Vec<u8>) -> (Vec<u8>, Stripped) {
    let Some(webp) = webp_layout(&bytes) else {
        return (bytes, Stripped::default());
    };
    let layout = &webp.layout;
    let stripped = Stripped {
        gps_blocks: blank_exif_parts(&mut bytes, layout),
        xmp_blocks: layout.dropped(),
    };
    if stripped.xmp_blocks == 0 {
        return (bytes, stripped);
    }
    let removed = u32::try_from(layout.dropped_bytes()).ok();
    let Some(new_size) = removed.and_then(|removed| webp.riff_size.checked_sub(removed)) else {
        return (bytes, stripped);
    };
    if let Some(flags) = webp.vp8x_flags.and_then(|at| bytes.get_mut(at)) {
        *flags &= !VP8X_XMP_FLAG;
    }
    let mut out = layout.rebuild(&bytes);
    if let Some(size) = out.get_mut(4..8) {
        size.copy_from_slice(&new_size.to_le_bytes());
    }
    (out, stripped)
}

// ---------------------------------------------------------------------------------------
// HEIC (ISO-BMFF): everything in place, so no box offset changes
// ---------------------------------------------------------------------------------------

const HEIC_EXIF_PATTERNS: [&[u8]; 2] = [b"Exif\0\0II*\0", b"Exif\0\0MM\0*"];
const XMP_START: &[u8] = b"<x:xmpmeta";
const XMP_END: &[u8] = b"</x:xmpmeta>";
const XMP_GPS_PREFIX: &[u8] = b"exif:GPS";

/// Position of the first `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .and_then(|found| found.checked_add(from))
}

fn strip_heic(mut bytes: Vec<u8>) -> (Vec<u8>, Stripped) {
    let mut stripped = Stripped::default();
    for pattern in HEIC_EXIF_PATTERNS {
        let mut from = 0;
        while let Some(found) = find(&bytes, pattern, from) {
            let tiff = found
                .checked_add(EXIF_PREFIX.len())
                .and_then(|start| bytes.get_mut(start..));
            if tiff.is_some_and(blank_gps_in_tiff) {
                stripped.gps_blocks += 1;
            }
            let Some(next) = found.checked_add(1) else {
                break;
            };
            from = next;
        }
    }
    stripped.xmp_blocks = blank_xmp_gps_values(&mut bytes);
    (bytes, stripped)
}

/// Overwrites, in every XMP packet in `bytes`, the values of the `exif:GPS...` attributes and
/// elements with spaces. Returns how many packets had any.
fn blank_xmp_gps_values(bytes: &mut [u8]) -> usize {
    let mut packets = 0;
    let mut from = 0;
    while let Some(start) = find(bytes, XMP_START, from) {
        let end = find(bytes, XMP_END, start)
            .and_then(|end| end.checked_add(XMP_END.len()))
            .unwrap_or(bytes.len());
        if let Some(packet) = bytes.get_mut(start..end) {
            if blank_gps_in_packet(packet) > 0 {
                packets += 1;
            }
        }
        from = end.max(start.saturating_add(1));
    }
    packets
}

/// Whether `byte` can be part of an XML name.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.' | b':')
}

/// Overwrites the GPS values in one XMP packet; returns how many were overwritten.
fn blank_gps_in_packet(packet: &mut [u8]) -> usize {
    let mut blanked = 0;
    let mut from = 0;
    while let Some(at) = find(packet, XMP_GPS_PREFIX, from) {
        let mut next = at.saturating_add(XMP_GPS_PREFIX.len());
        let name_end = packet
            .get(at..)
            .and_then(|tail| tail.iter().position(|&b| !is_name_byte(b)))
            .and_then(|len| at.checked_add(len))
            .unwrap_or(packet.len());
        let before = at.checked_sub(1).and_then(|i| packet.get(i)).copied();
        let value = match before {
            Some(b'<') => element_content(packet, at, name_end),
            Some(byte) if byte.is_ascii_whitespace() => attribute_value(packet, name_end),
            _ => None,
        };
        if let Some(value) = value {
            next = next.max(value.end);
            if blank_text(packet, value) {
                blanked += 1;
            }
        }
        from = next;
    }
    blanked
}

/// The quoted value of the attribute whose name ends at `name_end` (`name = "value"`).
fn attribute_value(packet: &[u8], name_end: usize) -> Option<Range<usize>> {
    let skip_space = |mut at: usize| {
        while packet.get(at).is_some_and(u8::is_ascii_whitespace) {
            at = at.checked_add(1)?;
        }
        Some(at)
    };
    let equals = skip_space(name_end)?;
    if *packet.get(equals)? != b'=' {
        return None;
    }
    let open = skip_space(equals.checked_add(1)?)?;
    let quote = *packet.get(open)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let start = open.checked_add(1)?;
    let len = packet.get(start..)?.iter().position(|&b| b == quote)?;
    Some(start..start.checked_add(len)?)
}

/// The content of the element whose name starts at `name_start`, up to its closing tag
/// (or, without one, up to the next tag).
fn element_content(packet: &[u8], name_start: usize, name_end: usize) -> Option<Range<usize>> {
    let name = packet.get(name_start..name_end)?;
    let tag_end = name_end.checked_add(packet.get(name_end..)?.iter().position(|&b| b == b'>')?)?;
    if tag_end > 0 && packet.get(tag_end.checked_sub(1)?) == Some(&b'/') {
        // Self-closing: no content.
        return None;
    }
    let start = tag_end.checked_add(1)?;
    let mut closing = Vec::with_capacity(name.len().saturating_add(3));
    closing.extend_from_slice(b"</");
    closing.extend_from_slice(name);
    closing.push(b'>');
    let end = match find(packet, &closing, start) {
        Some(end) => end,
        None => start.checked_add(packet.get(start..)?.iter().position(|&b| b == b'<')?)?,
    };
    Some(start..end)
}

/// Overwrites the text in `range` with spaces, leaving any markup inside it (nested elements)
/// as it is. Returns whether anything but whitespace was overwritten.
fn blank_text(packet: &mut [u8], range: Range<usize>) -> bool {
    let Some(text) = packet.get_mut(range) else {
        return false;
    };
    let mut in_tag = false;
    let mut changed = false;
    for byte in text {
        match *byte {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if in_tag => {}
            b if b.is_ascii_whitespace() => {}
            _ => {
                *byte = b' ';
                changed = true;
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- Builders ------------------------------------------------------------------------

    /// Latitude 31° 14' 12.34" as three RATIONALs.
    const LATITUDE: [(u32, u32); 3] = [(31, 1), (14, 1), (1234, 100)];
    /// Longitude 121° 28' 56.78" as three RATIONALs.
    const LONGITUDE: [(u32, u32); 3] = [(121, 1), (28, 1), (5678, 100)];

    /// Where the test TIFF puts things.
    const IFD0: usize = 8;
    const GPS_IFD: usize = 8 + 2 + 2 * 12 + 4; // 38
    const GPS_ENTRIES: usize = 4;
    const LATITUDE_AT: usize = GPS_IFD + 2 + GPS_ENTRIES * 12 + 4; // 92
    const LONGITUDE_AT: usize = LATITUDE_AT + 24;
    const TIFF_LEN: usize = LONGITUDE_AT + 24;

    fn put16(out: &mut Vec<u8>, big: bool, v: u16) {
        out.extend_from_slice(&if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        });
    }

    fn put32(out: &mut Vec<u8>, big: bool, v: u32) {
        out.extend_from_slice(&if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        });
    }

    fn rationals(big: bool, values: [(u32, u32); 3]) -> Vec<u8> {
        let mut out = Vec::new();
        for (n, d) in values {
            put32(&mut out, big, n);
            put32(&mut out, big, d);
        }
        out
    }

    /// An entry whose value fits in the 4 value bytes, left-aligned.
    fn inline_entry(out: &mut Vec<u8>, big: bool, tag: u16, ty: u16, count: u32, value: [u8; 4]) {
        put16(out, big, tag);
        put16(out, big, ty);
        put32(out, big, count);
        out.extend_from_slice(&value);
    }

    fn offset_entry(out: &mut Vec<u8>, big: bool, tag: u16, ty: u16, count: u32, offset: u32) {
        put16(out, big, tag);
        put16(out, big, ty);
        put32(out, big, count);
        put32(out, big, offset);
    }

    /// A TIFF with IFD0 (Orientation = 6, GPSInfo pointer) and a GPS IFD with latitude and
    /// longitude (refs inline, RATIONALs out of line).
    fn tiff(big: bool) -> Vec<u8> {
        let mut t = Vec::new();
        t.extend_from_slice(if big { b"MM\0*" } else { b"II*\0" });
        put32(&mut t, big, IFD0 as u32);
        // IFD0
        put16(&mut t, big, 2);
        let six = if big { [0, 6, 0, 0] } else { [6, 0, 0, 0] };
        inline_entry(&mut t, big, 0x0112, 3, 1, six);
        offset_entry(&mut t, big, 0x8825, 4, 1, GPS_IFD as u32);
        put32(&mut t, big, 0);
        assert_eq!(t.len(), GPS_IFD);
        // GPS IFD
        put16(&mut t, big, GPS_ENTRIES as u16);
        inline_entry(&mut t, big, 1, 2, 2, *b"N\0\0\0");
        offset_entry(&mut t, big, 2, 5, 3, LATITUDE_AT as u32);
        inline_entry(&mut t, big, 3, 2, 2, *b"E\0\0\0");
        offset_entry(&mut t, big, 4, 5, 3, LONGITUDE_AT as u32);
        put32(&mut t, big, 0);
        assert_eq!(t.len(), LATITUDE_AT);
        t.extend_from_slice(&rationals(big, LATITUDE));
        t.extend_from_slice(&rationals(big, LONGITUDE));
        assert_eq!(t.len(), TIFF_LEN);
        t
    }

    const XMP_PACKET: &str = concat!(
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>\n",
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
        "  <rdf:Description rdf:about=\"\" xmlns:exif=\"http://ns.adobe.com/exif/1.0/\"\n",
        "   exif:GPSLatitude=\"31,14.2057N\"\n",
        "   exif:DateTimeOriginal=\"2024-05-01T10:00:00\">\n",
        "   <exif:GPSLongitude>121,28.9463E</exif:GPSLongitude>\n",
        "  </rdf:Description>\n",
        " </rdf:RDF>\n",
        "</x:xmpmeta>\n",
        "<?xpacket end='w'?>"
    );

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn exif_payload(big: bool) -> Vec<u8> {
        let mut p = EXIF_PREFIX.to_vec();
        p.extend_from_slice(&tiff(big));
        p
    }

    /// The scan: SOS header, entropy-coded bytes (with a stuffed 0xFF and a restart marker),
    /// EOI.
    fn scan() -> Vec<u8> {
        let mut out = segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]);
        out.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0x78, 0xFF, 0xD9]);
        out
    }

    fn jfif() -> Vec<u8> {
        segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
    }

    fn jpeg(big: bool) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8];
        out.extend(segment(0xE1, &exif_payload(big)));
        out.extend(jfif());
        let mut xmp = XMP_NAMESPACE.to_vec();
        xmp.extend_from_slice(XMP_PACKET.as_bytes());
        out.extend(segment(0xE1, &xmp));
        out.extend(scan());
        out
    }

    fn chunk(ty: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(ty);
        out.extend_from_slice(data);
        let crc = crc32(&out[4..]);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    fn png(big: bool) -> Vec<u8> {
        let mut out = PNG_SIGNATURE.to_vec();
        out.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        out.extend(chunk(b"eXIf", &tiff(big)));
        let mut itxt = PNG_XMP_KEYWORD.to_vec();
        itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
        itxt.extend_from_slice(XMP_PACKET.as_bytes());
        out.extend(chunk(b"iTXt", &itxt));
        out.extend(chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0x60, 0x00, 0x00]));
        out.extend(chunk(b"IEND", &[]));
        out
    }

    fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = fourcc.to_vec();
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    fn webp(big: bool, exif_prefix: bool) -> Vec<u8> {
        let mut body = b"WEBP".to_vec();
        body.extend(riff_chunk(
            b"VP8X",
            &[0x04 | 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ));
        body.extend(riff_chunk(b"VP8L", &[0x2F, 0, 0, 0, 0x10]));
        let exif = if exif_prefix {
            exif_payload(big)
        } else {
            tiff(big)
        };
        body.extend(riff_chunk(b"EXIF", &exif));
        // An odd length, so the chunk is padded.
        let packet = format!("{XMP_PACKET} ");
        assert_eq!(packet.len() % 2, 1);
        body.extend(riff_chunk(b"XMP ", packet.as_bytes()));
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    /// Where the TIFF starts in [`heic`].
    const HEIC_TIFF_AT: usize = 24 + 8 + 4 + 6;

    fn heic() -> Vec<u8> {
        let mut out = 24u32.to_be_bytes().to_vec();
        out.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        let mut item = vec![0, 0, 0, 6];
        item.extend_from_slice(&exif_payload(true));
        item.extend_from_slice(XMP_PACKET.as_bytes());
        item.extend_from_slice(&[0xAB; 16]);
        out.extend_from_slice(&((item.len() + 8) as u32).to_be_bytes());
        out.extend_from_slice(b"mdat");
        assert_eq!(out.len() + 4 + 6, HEIC_TIFF_AT);
        out.extend(item);
        out
    }

    // --- Readers -------------------------------------------------------------------------

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        find(haystack, needle, 0).is_some()
    }

    /// The value of a SHORT tag in IFD0.
    fn ifd0_short(tiff: &[u8], tag: u16) -> Option<u16> {
        let order = ByteOrder::of_tiff(tiff)?;
        let ifd0 = Ifd::at(tiff, order, order.offset_at(tiff, 4)?)?;
        (0..ifd0.count).find_map(|i| {
            let e = ifd0.entry(i)?;
            (order.u16_at(tiff, e)? == tag).then(|| order.u16_at(tiff, e + 8))?
        })
    }

    /// Checks a TIFF after stripping: orientation kept, GPS IFD empty, coordinates gone.
    fn assert_tiff_stripped(tiff: &[u8], big: bool) {
        let order = ByteOrder::of_tiff(tiff).expect("TIFF header kept");
        assert_eq!(ifd0_short(tiff, 0x0112), Some(6), "orientation kept");
        // The GPSInfo pointer stays and points at an empty directory.
        let gps = (0..2)
            .find_map(|i| {
                let e = IFD0 + 2 + i * 12;
                (order.u16_at(tiff, e)? == 0x8825).then(|| order.offset_at(tiff, e + 8))?
            })
            .expect("GPSInfo entry kept");
        assert_eq!(gps, GPS_IFD);
        assert_eq!(order.u16_at(tiff, GPS_IFD), Some(0), "GPS IFD count");
        assert_eq!(order.u32_at(tiff, GPS_IFD + 2), Some(0), "next IFD");
        assert!(tiff[GPS_IFD..GPS_IFD + 2 + GPS_ENTRIES * 12]
            .iter()
            .all(|&b| b == 0));
        assert!(tiff[LATITUDE_AT..LATITUDE_AT + 24].iter().all(|&b| b == 0));
        assert!(tiff[LONGITUDE_AT..LONGITUDE_AT + 24]
            .iter()
            .all(|&b| b == 0));
        assert!(!contains(tiff, &rationals(big, LATITUDE)));
        assert!(!contains(tiff, &rationals(big, LONGITUDE)));
    }

    /// JPEG segments before SOS: (marker, payload).
    fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
        let layout = jpeg_layout(bytes).expect("parses");
        layout
            .parts
            .iter()
            .map(|(r, _)| (bytes[r.start + 1], bytes[r.start + 4..r.end].to_vec()))
            .collect()
    }

    fn png_chunks(bytes: &[u8]) -> Vec<([u8; 4], Vec<u8>, u32)> {
        let mut out = Vec::new();
        let mut pos = 8;
        while pos < bytes.len() {
            let len = be_u32(bytes, pos).unwrap() as usize;
            let ty: [u8; 4] = bytes[pos + 4..pos + 8].try_into().unwrap();
            let data = bytes[pos + 8..pos + 8 + len].to_vec();
            let crc = be_u32(bytes, pos + 8 + len).unwrap();
            out.push((ty, data, crc));
            pos += 12 + len;
        }
        out
    }

    fn riff_chunks(bytes: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        let mut out = Vec::new();
        let mut pos = 12;
        while pos < bytes.len() {
            let ty: [u8; 4] = bytes[pos..pos + 4].try_into().unwrap();
            let len = le_u32(bytes, pos + 4).unwrap() as usize;
            out.push((ty, bytes[pos + 8..pos + 8 + len].to_vec()));
            pos += 8 + len + len % 2;
        }
        out
    }

    // --- Tests ---------------------------------------------------------------------------

    #[test]
    fn crc32_matches_the_standard_check_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn blank_gps_in_tiff_empties_the_gps_directory_in_both_byte_orders() {
        for big in [false, true] {
            let mut t = tiff(big);
            assert!(contains(&t, &rationals(big, LATITUDE)));
            assert!(blank_gps_in_tiff(&mut t));
            assert_eq!(t.len(), TIFF_LEN);
            assert_tiff_stripped(&t, big);
            // IFD0 is byte-identical.
            assert_eq!(t[..GPS_IFD], tiff(big)[..GPS_IFD]);
            // Nothing left to blank the second time.
            assert!(!blank_gps_in_tiff(&mut t));
        }
    }

    #[test]
    fn blank_gps_in_tiff_refuses_broken_structures() {
        // GPS pointer beyond the end.
        let mut t = tiff(false);
        t[IFD0 + 2 + 12 + 8..IFD0 + 2 + 12 + 12].copy_from_slice(&9999u32.to_le_bytes());
        let before = t.clone();
        assert!(!blank_gps_in_tiff(&mut t));
        assert_eq!(t, before);
        // GPS pointer at IFD0 itself: IFD0 must survive.
        let mut t = tiff(false);
        t[IFD0 + 2 + 12 + 8..IFD0 + 2 + 12 + 12].copy_from_slice(&(IFD0 as u32).to_le_bytes());
        let before = t.clone();
        assert!(!blank_gps_in_tiff(&mut t));
        assert_eq!(t, before);
        // A GPS value that claims to live in IFD0 is not zeroed there.
        let mut t = tiff(true);
        let lat_offset = GPS_IFD + 2 + 12 + 8;
        t[lat_offset..lat_offset + 4].copy_from_slice(&(IFD0 as u32).to_be_bytes());
        assert!(blank_gps_in_tiff(&mut t));
        assert_eq!(ifd0_short(&t, 0x0112), Some(6));
        // No TIFF at all.
        assert!(!blank_gps_in_tiff(&mut []));
        assert!(!blank_gps_in_tiff(&mut b"II*\0".to_vec()));
    }

    #[test]
    fn jpeg_loses_xmp_and_gps_but_keeps_orientation_and_the_scan() {
        for big in [false, true] {
            let input = jpeg(big);
            let (out, stripped) = strip_location(input.clone(), "image/jpeg");
            assert_eq!(
                stripped,
                Stripped {
                    gps_blocks: 1,
                    xmp_blocks: 1
                }
            );
            let segments = jpeg_segments(&out);
            assert_eq!(segments.len(), 2, "Exif APP1 and JFIF APP0 remain");
            assert!(!segments.iter().any(|(_, p)| p.starts_with(XMP_NAMESPACE)));
            assert!(!contains(&out, b"exif:GPSLatitude"));
            assert!(!contains(&out, b"31,14.2057N"));
            let (marker, exif) = &segments[0];
            assert_eq!(*marker, 0xE1);
            assert_eq!(
                exif.len(),
                exif_payload(big).len(),
                "Exif APP1 keeps its length"
            );
            assert!(exif.starts_with(EXIF_PREFIX));
            assert_tiff_stripped(&exif[6..], big);
            assert!(!contains(&out, &rationals(big, LATITUDE)));
            // From SOS on, byte for byte.
            assert!(out.ends_with(&scan()));
            assert_eq!(
                out.len(),
                input.len() - (4 + XMP_NAMESPACE.len() + XMP_PACKET.len())
            );
        }
    }

    #[test]
    fn jpeg_extended_xmp_is_removed_too() {
        let mut input = vec![0xFF, 0xD8];
        let mut ext = XMP_EXTENSION_NAMESPACE.to_vec();
        ext.extend_from_slice(b"0123456789ABCDEF0123456789ABCDEF\0\0\x01\0\0\0\0\0<x:xmpmeta/>");
        input.extend(segment(0xE1, &ext));
        input.extend(jfif());
        input.extend(scan());
        let (out, stripped) = strip_location(input, "image/jpeg");
        assert_eq!(stripped.xmp_blocks, 1);
        let mut expected = vec![0xFF, 0xD8];
        expected.extend(jfif());
        expected.extend(scan());
        assert_eq!(out, expected);
    }

    #[test]
    fn png_exif_is_blanked_with_a_valid_crc_and_xmp_text_removed() {
        for big in [false, true] {
            let (out, stripped) = strip_location(png(big), "image/png");
            assert_eq!(
                stripped,
                Stripped {
                    gps_blocks: 1,
                    xmp_blocks: 1
                }
            );
            let chunks = png_chunks(&out);
            let types: Vec<&[u8; 4]> = chunks.iter().map(|(t, _, _)| t).collect();
            assert_eq!(types, [b"IHDR", b"eXIf", b"IDAT", b"IEND"]);
            for (ty, data, crc) in &chunks {
                let mut covered = ty.to_vec();
                covered.extend_from_slice(data);
                assert_eq!(crc32(&covered), *crc, "CRC of {:?}", ty);
            }
            let exif = &chunks[1].1;
            assert_eq!(exif.len(), TIFF_LEN);
            assert_tiff_stripped(exif, big);
            assert!(!contains(&out, b"XML:com.adobe.xmp"));
        }
    }

    #[test]
    fn webp_loses_the_xmp_chunk_and_flag_and_keeps_a_correct_riff_size() {
        for big in [false, true] {
            for prefix in [false, true] {
                let input = webp(big, prefix);
                let (out, stripped) = strip_location(input.clone(), "image/webp");
                assert_eq!(
                    stripped,
                    Stripped {
                        gps_blocks: 1,
                        xmp_blocks: 1
                    }
                );
                assert_eq!(le_u32(&out, 4), Some(out.len() as u32 - 8), "RIFF size");
                let chunks = riff_chunks(&out);
                let types: Vec<&[u8; 4]> = chunks.iter().map(|(t, _)| t).collect();
                assert_eq!(types, [b"VP8X", b"VP8L", b"EXIF"]);
                assert_eq!(chunks[0].1[0], 0x08, "XMP flag cleared, EXIF flag kept");
                let exif = &chunks[2].1;
                let tiff = if prefix { &exif[6..] } else { &exif[..] };
                assert_tiff_stripped(tiff, big);
                assert!(!contains(&out, b"x:xmpmeta"));
                assert_eq!(out.len(), input.len() - 8 - (XMP_PACKET.len() + 2));
            }
        }
    }

    #[test]
    fn heic_is_blanked_in_place_with_the_same_length() {
        let input = heic();
        let (out, stripped) = strip_location(input.clone(), "image/heic");
        assert_eq!(
            stripped,
            Stripped {
                gps_blocks: 1,
                xmp_blocks: 1
            }
        );
        assert_eq!(out.len(), input.len());
        assert_tiff_stripped(&out[HEIC_TIFF_AT..HEIC_TIFF_AT + TIFF_LEN], true);
        let expected_xmp = XMP_PACKET
            .replace("\"31,14.2057N\"", &format!("\"{}\"", " ".repeat(11)))
            .replace(
                ">121,28.9463E<",
                &format!(">{}<", " ".repeat("121,28.9463E".len())),
            );
        assert_ne!(expected_xmp, XMP_PACKET);
        assert!(contains(&out, expected_xmp.as_bytes()));
        assert!(contains(
            &out,
            b"exif:DateTimeOriginal=\"2024-05-01T10:00:00\""
        ));
        // Everything outside the TIFF's GPS parts and the two XMP values is unchanged.
        let differing = input.iter().zip(&out).filter(|(a, b)| a != b).count();
        assert!(differing <= 2 + GPS_ENTRIES * 12 + 48 + 11 + 12);
        assert_eq!(
            out[..HEIC_TIFF_AT + GPS_IFD],
            input[..HEIC_TIFF_AT + GPS_IFD]
        );
    }

    #[test]
    fn xmp_gps_values_in_other_shapes_are_blanked() {
        let mut packet = b"<x:xmpmeta><rdf:Description exif:GPSAltitude = '12/1' \
              exif:GPSVersionID=\"2.3\"><exif:GPSTimeStamp rdf:parseType=\"x\">\
              <rdf:li>2024</rdf:li></exif:GPSTimeStamp><exif:GPSMapDatum/>\
              <dc:title>exif:GPS in text</dc:title></rdf:Description></x:xmpmeta>"
            .to_vec();
        let len = packet.len();
        assert_eq!(blank_xmp_gps_values(&mut packet), 1);
        let text = String::from_utf8(packet).unwrap();
        assert_eq!(text.len(), len);
        assert!(text.contains("exif:GPSAltitude = '    '"));
        assert!(text.contains("exif:GPSVersionID=\"   \""));
        assert!(text.contains("<rdf:li>    </rdf:li>"));
        assert!(text.contains("<dc:title>exif:GPS in text</dc:title>"));
    }

    #[test]
    fn files_without_metadata_are_returned_byte_identical() {
        let mut plain_jpeg = vec![0xFF, 0xD8];
        plain_jpeg.extend(jfif());
        plain_jpeg.extend(scan());
        let mut plain_png = PNG_SIGNATURE.to_vec();
        plain_png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        plain_png.extend(chunk(b"IEND", &[]));
        let mut plain_webp = b"RIFF\x0e\0\0\0WEBP".to_vec();
        plain_webp.extend(riff_chunk(b"VP8L", &[0x2F, 0, 0, 0, 0x10]));
        let gif = b"GIF89a\x01\0\x01\0\0\0\0;".to_vec();
        let cases: [(&[u8], &str); 7] = [
            (&plain_jpeg, "image/jpeg"),
            (&plain_png, "image/png"),
            (&plain_webp, "image/webp"),
            (&heic()[..32], "image/heic"),
            (&gif, "image/gif"),
            (&jpeg(false), "video/mp4"),
            (b"not an image", "image/jpeg"),
        ];
        for (input, mime) in cases {
            let (out, stripped) = strip_location(input.to_vec(), mime);
            assert_eq!(out, input, "{mime}");
            assert_eq!(stripped, Stripped::default(), "{mime}");
        }
    }

    #[test]
    fn mime_parameters_and_case_are_ignored() {
        let (_, stripped) = strip_location(jpeg(false), "Image/JPEG; charset=binary");
        assert_eq!(stripped.gps_blocks, 1);
    }

    #[test]
    fn stripping_twice_changes_nothing_more() {
        let cases = [
            (jpeg(true), "image/jpeg"),
            (png(false), "image/png"),
            (webp(true, true), "image/webp"),
            (heic(), "image/heic"),
        ];
        for (input, mime) in cases {
            let (once, _) = strip_location(input, mime);
            let (twice, stripped) = strip_location(once.clone(), mime);
            assert_eq!(twice, once, "{mime}");
            assert_eq!(stripped, Stripped::default(), "{mime}");
        }
    }

    #[test]
    fn a_jpeg_cut_before_the_scan_is_returned_unchanged() {
        // A JPEG cut inside a segment before the scan cannot be parsed: unchanged.
        let input = jpeg(false);
        let cut = input[..40].to_vec();
        assert_eq!(strip_location(cut.clone(), "image/jpeg").0, cut);
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn hostile_input_never_panics() {
        let samples = [
            (jpeg(false), "image/jpeg"),
            (jpeg(true), "image/jpeg"),
            (png(true), "image/png"),
            (webp(false, true), "image/webp"),
            (webp(true, false), "image/webp"),
            (heic(), "image/heic"),
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for (input, mime) in &samples {
            for len in 0..=input.len() {
                let _ = strip_location(input[..len].to_vec(), mime);
            }
            for _ in 0..3000 {
                let mut bytes = input.clone();
                for _ in 0..1 + rng.below(6) {
                    let at = rng.below(bytes.len());
                    bytes[at] = match rng.below(4) {
                        0 => 0,
                        1 => 0xFF,
                        _ => rng.next() as u8,
                    };
                }
                if rng.below(4) == 0 {
                    bytes.truncate(rng.below(bytes.len() + 1));
                }
                let (out, _) = strip_location(bytes.clone(), mime);
                // Stripping never grows a file; only JPEG, PNG and WebP may shrink it.
                assert!(out.len() <= bytes.len());
                if *mime == "image/heic" {
                    assert_eq!(out.len(), bytes.len());
                }
            }
        }
    }
}
