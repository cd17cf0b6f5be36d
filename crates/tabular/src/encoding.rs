//! Deciding a text file's encoding over the whole file, in streaming passes.
//!
//! 1. A BOM decides (UTF-8, UTF-16LE, UTF-16BE); the rest must then decode cleanly.
//! 2. A NUL on every other byte of the head means UTF-16 without a BOM.
//! 3. Valid UTF-8 from the first byte to the last is UTF-8. (Delimited text checks this
//!    while parsing, see [`decide_lazily`]; a head full of control bytes is binary.)
//! 4. Otherwise one more pass decodes the whole file as GB18030, Big5 and windows-1252 at
//!    once, and feeds chardetng. A candidate is plausible when it decodes without a
//!    malformed sequence, private-use or control characters, and without mojibake marks
//!    (for CJK: kana, Greek, Cyrillic, box drawing, rare ideographs above 2% of the
//!    non-ASCII text; for windows-1252: runs of accented characters, as GBK text gives).
//!    chardetng's guess wins among the plausible; then GB18030, Big5, windows-1252.
//!    A guess outside that list (e.g. ISO-8859-7) gets its own pass.
//! 5. A file that is valid UTF-8 nearly everywhere is broken UTF-8, not a legacy encoding:
//!    it is refused, as is a file that nothing decodes plausibly, with the byte offset of
//!    the first bad byte under the best candidate.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::{DecoderResult, Encoding, UTF_8, UTF_16BE, UTF_16LE};

use crate::TabularError;
use crate::legacy::judge_legacy;

pub(crate) const CHUNK: usize = 1 << 16;

/// The decision: the encoding and the length of the BOM to skip.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextEncoding {
    pub(crate) encoding: &'static Encoding,
    pub(crate) bom: usize,
}

pub(crate) fn decide(path: &Path) -> Result<TextEncoding, TabularError> {
    Ok(decide_inner(path, false)?.unwrap_or(TextEncoding {
        encoding: UTF_8,
        bom: 0,
    }))
}

/// Like [`decide`], but when the file starts as valid UTF-8 without a BOM it answers
/// `None` at once: the caller reads the file as UTF-8 (validating every record, which
/// saves a pass) and calls [`decide`] if it meets an invalid byte.
pub(crate) fn decide_lazily(path: &Path) -> Result<Option<TextEncoding>, TabularError> {
    decide_inner(path, true)
}

fn decide_inner(path: &Path, lazy: bool) -> Result<Option<TextEncoding>, TabularError> {
    let mut head = vec![0u8; CHUNK];
    let n = read_full(&mut File::open(path)?, &mut head)?;
    head.truncate(n);
    if head.is_empty() {
        return Err(TabularError::Empty(
            "the file is empty (0 bytes)".to_owned(),
        ));
    }
    if let Some((encoding, bom)) = Encoding::for_bom(&head) {
        let found = TextEncoding { encoding, bom };
        check_clean(path, found)?;
        return Ok(Some(found));
    }
    if let Some(encoding) = utf16_by_nuls(&head) {
        let found = TextEncoding { encoding, bom: 0 };
        check_clean(path, found)?;
        return Ok(Some(found));
    }
    let head_utf8 = match std::str::from_utf8(&head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && n == CHUNK,
    };
    if head_utf8 {
        let controls = head.iter().filter(|b| is_control(**b)).count();
        if controls > 8 && controls * 100 > head.len() {
            return Err(binary());
        }
        if lazy {
            return Ok(None);
        }
    }
    if head_utf8 && utf8_valid(path)? {
        return Ok(Some(TextEncoding {
            encoding: UTF_8,
            bom: 0,
        }));
    }
    judge_legacy(path).map(Some)
}

fn binary() -> TabularError {
    TabularError::Unsupported(
        "the file looks binary (control bytes throughout), not delimited text".to_owned(),
    )
}

pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn utf16_by_nuls(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd * 10 > pairs * 3 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 > pairs * 3 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Validates UTF-8 over the whole file, stopping at the first invalid byte.
fn utf8_valid(path: &Path) -> Result<bool, TabularError> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; CHUNK + 4];
    let mut carry = 0usize;
    loop {
        let n = file.read(&mut buf[carry..])?;
        let end = carry + n;
        match std::str::from_utf8(&buf[..end]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() && n > 0 => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..end, 0);
                carry = end - valid;
                continue;
            }
            Err(_) => return Ok(false),
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

fn is_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Decodes the whole file after its BOM and fails at the first malformed sequence.
fn check_clean(path: &Path, found: TextEncoding) -> Result<(), TabularError> {
    let mut file = File::open(path)?;
    let mut decoder = found.encoding.new_decoder_without_bom_handling();
    let mut input = vec![0u8; CHUNK];
    let mut out = String::with_capacity(CHUNK * 3 + 16);
    let mut base = 0u64;
    let mut skip = found.bom;
    loop {
        let n = read_full(&mut file, &mut input)?;
        let last = n < input.len();
        let chunk = &input[skip.min(n)..n];
        let chunk_base = base + skip.min(n) as u64;
        skip = 0;
        let mut pos = 0;
        loop {
            out.clear();
            let (res, read) = decoder.decode_to_string_without_replacement(
                chunk.get(pos..).unwrap_or_default(),
                &mut out,
                last,
            );
            pos += read;
            match res {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let end = chunk_base + pos as u64;
                    // The bad bytes may have begun in the previous chunk.
                    let offset = end.saturating_sub(u64::from(bad) + u64::from(after));
                    return Err(TabularError::UndecidableEncoding { offset });
                }
            }
        }
        base += n as u64;
        if last {
            return Ok(());
        }
    }
}

/// Calls `f(chunk, offset, last, scratch)` over the whole file; the scratch buffer holds
/// the UTF-16 a chunk decodes to.
pub(crate) fn stream(
    path: &Path,
    mut f: impl FnMut(&[u8], u64, bool, &mut [u16]),
) -> Result<(), TabularError> {
    let mut file = File::open(path)?;
    let mut input = vec![0u8; CHUNK];
    let mut out = vec![0u16; CHUNK + 16];
    let mut base = 0u64;
    loop {
        let n = read_full(&mut file, &mut input)?;
        let last = n < input.len();
        f(&input[..n], base, last, &mut out);
        base += n as u64;
        if last {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_pattern_finds_utf16() {
        let le: Vec<u8> = "id,name\n1,a\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "id,name\n1,a\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(utf16_by_nuls(&le), Some(UTF_16LE));
        assert_eq!(utf16_by_nuls(&be), Some(UTF_16BE));
        assert_eq!(utf16_by_nuls(b"id,name\n1,a\n"), None);
    }
}
