//! Chinese text for search, shared by the catalog index and the search inside a resource's
//! rows so both cut and match text the same way: normalisation (traditional to simplified,
//! full-width to plain, lower case), jieba words with Kaifang's dictionary, character pairs
//! for words the dictionary does not know, pinyin keys, and highlighted passages.

mod highlight;
mod normalize;
mod pinyin_keys;
mod segment;

pub use highlight::highlight;
pub use normalize::{Normalized, is_han, normalize};
pub use pinyin_keys::pinyin_keys;
pub use segment::{QueryPiece, Word, han_bigrams, index_words, load_user_dictionary, query_pieces};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum WordsError {
    #[error("dictionary {path}, line {line}: {message}")]
    Dictionary {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("the user dictionary must be loaded once, before any text is cut")]
    AlreadyLoaded,
}
