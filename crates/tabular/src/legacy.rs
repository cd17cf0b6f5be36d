//! Judging legacy encodings (GB18030, Big5, windows-1252, chardetng's guess) over the
//! whole file, for text that is not UTF-8. The rules are in [`crate::encoding`].

use std::path::Path;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, GBK, UTF_8, WINDOWS_1252};

use crate::TabularError;
use crate::encoding::{TextEncoding, stream};

/// One legacy encoding being tried over the whole file.
struct Candidate {
    encoding: &'static Encoding,
    decoder: encoding_rs::Decoder,
    /// Offset of the first malformed sequence, private-use or control character.
    dead_at: Option<u64>,
    first_odd: Option<u64>,
    non_ascii: u64,
    odd: u64,
    runs: u64,
    in_run: bool,
}

impl Candidate {
    fn new(encoding: &'static Encoding) -> Self {
        Self {
            encoding,
            decoder: encoding.new_decoder_without_bom_handling(),
            dead_at: None,
            first_odd: None,
            non_ascii: 0,
            odd: 0,
            runs: 0,
            in_run: false,
        }
    }

    fn cjk(&self) -> bool {
        self.encoding == GB18030 || self.encoding == BIG5
    }

    /// Decodes the next chunk; a candidate out of the running is not fed any more.
    /// (UTF-16 output: cheaper to produce and to scan than UTF-8 for CJK text.)
    fn feed(&mut self, chunk: &[u8], base: u64, last: bool, out: &mut [u16]) {
        let mut pos = 0;
        while self.competing() {
            let input = chunk.get(pos..).unwrap_or_default();
            let (res, read, written) = self
                .decoder
                .decode_to_utf16_without_replacement(input, out, last);
            self.scan(out.get(..written).unwrap_or_default(), base + pos as u64);
            pos += read;
            match res {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let end = base + pos as u64;
                    let at = end.saturating_sub(u64::from(bad) + u64::from(after));
                    self.dead_at.get_or_insert(at);
                }
            }
        }
    }

    fn scan(&mut self, units: &[u16], base: u64) {
        let cjk = self.cjk();
        let mut i = 0;
        while let Some(&u) = units.get(i) {
            let at = i;
            i += 1;
            if u < 0x80 {
                self.in_run = false;
                if u < 0x20 && !matches!(u, 0x09..=0x0D) {
                    self.mark_dead(units, at, base);
                }
                continue;
            }
            self.non_ascii += 1;
            if !self.in_run {
                self.runs += 1;
                self.in_run = true;
            }
            let mut c = u32::from(u);
            if (0xD800..=0xDBFF).contains(&u)
                && let Some(&low) = units.get(i)
            {
                // encoding_rs never splits a surrogate pair between calls.
                c = 0x10000 + ((c - 0xD800) << 10) + (u32::from(low).wrapping_sub(0xDC00) & 0x3FF);
                i += 1;
            }
            if (0xE000..=0xF8FF).contains(&c) || c >= 0xF0000 || (0x80..=0x9F).contains(&c) {
                self.mark_dead(units, at, base);
            } else if cjk && odd_for_cjk(c) {
                self.odd += 1;
                if self.first_odd.is_none() {
                    self.first_odd = Some(base + self.encoded_len(units, at));
                }
            }
        }
    }

    fn mark_dead(&mut self, units: &[u16], i: usize, base: u64) {
        if self.dead_at.is_none() {
            self.dead_at = Some(base + self.encoded_len(units, i));
        }
    }

    /// Bytes that `units[..i]` took in this encoding (for error offsets only).
    fn encoded_len(&self, units: &[u16], i: usize) -> u64 {
        let prefix = String::from_utf16_lossy(units.get(..i).unwrap_or_default());
        self.encoding.encode(&prefix).0.len() as u64
    }

    fn plausible(&self) -> bool {
        if self.dead_at.is_some() {
            return false;
        }
        if self.cjk() {
            self.odd * 50 <= self.non_ascii
        } else {
            // Latin text has lone accented letters; CJK bytes read as Latin come in runs.
            self.runs > 0 && self.non_ascii * 2 <= self.runs * 3
        }
    }

    /// Still a contender: clean so far, and plausible once there is enough text to judge.
    fn competing(&self) -> bool {
        self.dead_at.is_none() && (self.non_ascii < 4096 || self.plausible())
    }

    fn first_bad(&self) -> Option<u64> {
        self.dead_at.or(self.first_odd)
    }
}

/// Characters that GB18030 or Big5 give when fed the other's bytes (or binary).
fn odd_for_cjk(u: u32) -> bool {
    matches!(u,
        0x0370..=0x04FF        // Greek, Cyrillic
        | 0x1100..=0x11FF      // Hangul Jamo
        | 0x2500..=0x257F      // box drawing
        | 0x3040..=0x30FF      // kana
        | 0x3100..=0x318F      // bopomofo, Hangul compatibility
        | 0x3400..=0x4DBF      // CJK extension A
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // compatibility ideographs
        | 0x20000..            // supplementary ideographs
    )
}

/// Counts UTF-8 sequences to tell broken UTF-8 from a legacy encoding.
#[derive(Default)]
struct Utf8Stats {
    valid_multibyte: u64,
    invalid: u64,
    first_invalid: Option<u64>,
    carry: Vec<u8>,
}

impl Utf8Stats {
    fn feed(&mut self, chunk: &[u8], base: u64, last: bool) {
        if self.invalid > 1024 && self.invalid * 20 >= self.valid_multibyte {
            return; // settled: not UTF-8
        }
        let mut buf = std::mem::take(&mut self.carry);
        let start = base - buf.len() as u64;
        buf.extend_from_slice(chunk);
        let mut pos = 0;
        while pos < buf.len() {
            match std::str::from_utf8(&buf[pos..]) {
                Ok(s) => {
                    self.count(s.as_bytes());
                    pos = buf.len();
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.count(&buf[pos..pos + valid]);
                    pos += valid;
                    match e.error_len() {
                        Some(bad) => {
                            self.invalid += 1;
                            self.first_invalid.get_or_insert(start + pos as u64);
                            pos += bad;
                        }
                        None if !last => {
                            self.carry = buf[pos..].to_vec();
                            return;
                        }
                        None => {
                            self.invalid += 1;
                            self.first_invalid.get_or_insert(start + pos as u64);
                            return;
                        }
                    }
                }
            }
        }
    }

    fn count(&mut self, valid: &[u8]) {
        self.valid_multibyte += valid.iter().filter(|b| **b >= 0xC2).count() as u64;
    }

    /// Valid multi-byte text with a few bad bytes: UTF-8, damaged.
    fn broken_utf8(&self) -> bool {
        self.invalid > 0 && self.valid_multibyte >= 8 && self.invalid * 20 < self.valid_multibyte
    }
}

pub(crate) fn judge_legacy(path: &Path) -> Result<TextEncoding, TabularError> {
    let mut cands: Vec<Candidate> = [GB18030, BIG5, WINDOWS_1252]
        .into_iter()
        .map(Candidate::new)
        .collect();
    // chardetng is slow (tens of MB/s): it is fed only while it may be needed, that is
    // while two candidates still decode cleanly; otherwise it gets a pass of its own.
    let mut detector = Some(EncodingDetector::new(Iso2022JpDetection::Deny));
    let mut utf8 = Utf8Stats::default();
    stream(path, |chunk, base, last, out| {
        if cands.iter().filter(|c| c.competing()).count() < 2 {
            detector = None;
        }
        if let Some(d) = detector.as_mut() {
            d.feed(chunk, last);
        }
        utf8.feed(chunk, base, last);
        for c in &mut cands {
            c.feed(chunk, base, last, out);
        }
    })?;
    if utf8.broken_utf8() {
        let offset = utf8.first_invalid.unwrap_or(0);
        return Err(TabularError::UndecidableEncoding { offset });
    }
    let plausible = cands.iter().filter(|c| c.plausible()).count();
    let detector = match detector {
        Some(d) => d,
        None if plausible == 1 => EncodingDetector::new(Iso2022JpDetection::Deny),
        None => {
            let mut d = EncodingDetector::new(Iso2022JpDetection::Deny);
            stream(path, |chunk, _, last, _| {
                d.feed(chunk, last);
            })?;
            d
        }
    };
    let guess = match detector.guess(None, Utf8Detection::Deny) {
        g if g == GBK || g == GB18030 => GB18030,
        g => g,
    };
    tracing::debug!(guess = guess.name(), "legacy encoding candidates judged");
    if let Some(c) = cands.iter().find(|c| c.encoding == guess && c.plausible()) {
        return Ok(TextEncoding {
            encoding: c.encoding,
            bom: 0,
        });
    }
    let odd_per_mille = |c: &&Candidate| (c.odd * 1000).checked_div(c.non_ascii).unwrap_or(0);
    let best_plausible = cands
        .iter()
        .filter(|c| c.plausible())
        .min_by_key(odd_per_mille);
    if let Some(c) = best_plausible {
        return Ok(TextEncoding {
            encoding: c.encoding,
            bom: 0,
        });
    }
    if !cands.iter().any(|c| c.encoding == guess) && guess != UTF_8 {
        // A guess we do not try by default (ISO-8859-7, Shift_JIS…): one more pass.
        let mut other = Candidate::new(guess);
        stream(path, |chunk, base, last, out| {
            other.feed(chunk, base, last, out)
        })?;
        if other.dead_at.is_none() {
            return Ok(TextEncoding {
                encoding: guess,
                bom: 0,
            });
        }
        cands.push(other);
    }
    let best = cands
        .iter()
        .find(|c| c.encoding == guess)
        .or_else(|| cands.iter().max_by_key(|c| c.first_bad().unwrap_or(0)));
    let offset = best
        .and_then(Candidate::first_bad)
        .or(utf8.first_invalid)
        .unwrap_or(0);
    Err(TabularError::UndecidableEncoding { offset })
}
