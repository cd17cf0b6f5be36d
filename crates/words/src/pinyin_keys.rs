//! Pinyin spellings of Chinese words, so `gongjiao` and `gj` find 公交. Each character takes
//! its most common reading; words whose reading depends on context (重庆) may be spelled
//! with the other reading.

use pinyin::ToPinyin;

use crate::normalize::is_han;
use crate::segment::index_words;

/// Full pinyin and initials of each word of `text`, of each pair of neighbouring words
/// (so `gongjiaoxianlu` finds 公交线路 however jieba cut it) and each syllable.
pub fn pinyin_keys(text: &str) -> Vec<String> {
    let words: Vec<String> = index_words(text)
        .into_iter()
        .map(|w| w.text)
        .filter(|w| w.chars().any(is_han))
        .collect();
    let mut keys = Vec::new();
    let mut push = |key: String| {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    };
    for (index, word) in words.iter().enumerate() {
        let syllables = syllables(word);
        for syllable in &syllables {
            push(syllable.clone());
        }
        push(syllables.concat());
        push(initials(&syllables));
        if let Some(next) = words.get(index + 1) {
            let pair: Vec<String> = syllables
                .iter()
                .cloned()
                .chain(self::syllables(next))
                .collect();
            push(pair.concat());
            push(initials(&pair));
        }
    }
    keys
}

/// The pinyin of each Chinese character of `word`; other letters and digits pass through.
fn syllables(word: &str) -> Vec<String> {
    word.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => Some(p.plain().to_owned()),
            None if c.is_alphanumeric() => Some(c.to_string()),
            None => None,
        })
        .collect()
}

fn initials(syllables: &[String]) -> String {
    syllables.iter().filter_map(|s| s.chars().next()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_pinyin_and_initials_of_each_word() {
        let keys = pinyin_keys("公交线路");
        for expected in [
            "gongjiao",
            "gj",
            "xianlu",
            "xl",
            "gongjiaoxianlu",
            "gjxl",
            "gong",
        ] {
            assert!(keys.iter().any(|k| k == expected), "{expected} in {keys:?}");
        }
    }

    #[test]
    fn text_without_chinese_has_no_keys() {
        assert!(pinyin_keys("GTFS 2024").is_empty());
    }
}
