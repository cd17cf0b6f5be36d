//! A `Read` that yields UTF-8 from a file in the encoding [`crate::encoding`] decided.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use encoding_rs::{CoderResult, Decoder, UTF_8};

use crate::TabularError;
use crate::encoding::TextEncoding;

const BUF: usize = 1 << 16;

/// The file as UTF-8 bytes, its BOM skipped. UTF-8 files pass through untouched.
pub(crate) fn open_utf8(
    path: &Path,
    enc: TextEncoding,
) -> Result<Box<dyn Read + Send>, TabularError> {
    let mut file = BufReader::with_capacity(BUF, File::open(path)?);
    let mut bom = [0u8; 4];
    let bom = bom.get_mut(..enc.bom).unwrap_or_default();
    file.read_exact(bom)?;
    if enc.encoding == UTF_8 {
        return Ok(Box::new(file));
    }
    Ok(Box::new(DecodeReader {
        inner: file,
        decoder: enc.encoding.new_decoder_without_bom_handling(),
        input: vec![0; BUF],
        in_pos: 0,
        in_len: 0,
        eof: false,
        output: vec![0; BUF * 3 + 16],
        out_pos: 0,
        out_len: 0,
        done: false,
    }))
}

/// Decodes chunk by chunk, so memory stays flat whatever the file's size.
struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_pos: usize,
    in_len: usize,
    eof: bool,
    output: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    done: bool,
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out_len {
                let n = buf.len().min(self.out_len - self.out_pos);
                buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_pos == self.in_len && !self.eof {
                self.in_len = self.inner.read(&mut self.input)?;
                self.in_pos = 0;
                self.eof = self.in_len == 0;
            }
            let src = &self.input[self.in_pos..self.in_len];
            let (res, read, written, _) =
                self.decoder.decode_to_utf8(src, &mut self.output, self.eof);
            self.in_pos += read;
            self.out_pos = 0;
            self.out_len = written;
            if self.eof && res == CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}
