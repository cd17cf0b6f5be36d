#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    #[error("could not read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("unsupported or unrecognised file: {0}")]
    Unsupported(String),
    /// No encoding decodes the whole file to plausible text.
    #[error(
        "cannot decide the text encoding: invalid or implausible bytes at byte offset {offset}"
    )]
    UndecidableEncoding { offset: u64 },
    #[error("the file holds no table: {0}")]
    Empty(String),
    #[error("malformed {format} at {location}: {message}")]
    Malformed {
        format: &'static str,
        location: String,
        message: String,
    },
}
