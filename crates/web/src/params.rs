//! Query strings as ordered key/value pairs. Axum's own rejection would answer with a plain
//! text body; here a malformed query string is a JSON 400 like every other bad parameter.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::ApiError;

pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// For routes that take no parameter except `lang`: anything else is a mistake worth
    /// telling the caller about rather than ignoring.
    pub fn expect_none(&self) -> Result<(), ApiError> {
        self.expect_only(&[])
    }

    /// Every parameter is one of `known` (or `lang`).
    pub fn expect_only(&self, known: &[&str]) -> Result<(), ApiError> {
        let unknown = |key: &String| key != "lang" && !known.contains(&key.as_str());
        match self.0.iter().find(|(key, _)| unknown(key)) {
            Some((key, _)) => Err(ApiError::bad(key, "unknown parameter")),
            None => Ok(()),
        }
    }

    /// The one value of `key`, if given; given twice is an error.
    pub fn single(&self, key: &str) -> Result<Option<String>, ApiError> {
        single(&self.0, key).map(|v| v.map(str::to_owned))
    }
}

/// The one value of `key`, if given; given twice is an error.
pub fn single<'a>(params: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, ApiError> {
    let mut values = params
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    match values.next() {
        Some(_) => Err(ApiError::bad(key, "given more than once")),
        None => Ok(first),
    }
}

/// A path segment naming an object. Axum's own rejection of a malformed one (say `%FF`)
/// is plain text; this makes it the same JSON 400 as any other bad parameter.
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(Self(id)),
            Err(rejection) => Err(ApiError::bad("id", rejection.body_text())),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let mut pairs = Vec::new();
        for piece in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            let key =
                decode(key).ok_or_else(|| ApiError::bad(key, "not valid percent-encoded UTF-8"))?;
            let value = decode(value)
                .ok_or_else(|| ApiError::bad(&key, "not valid percent-encoded UTF-8"))?;
            pairs.push((key, value));
        }
        Ok(Self(pairs))
    }
}

/// Strict form decoding: a `%` not followed by two hex digits is an error, not a literal.
fn decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    for (i, byte) in bytes.iter().enumerate() {
        if *byte == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
        }
    }
    let spaced = raw.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_form_encoding_and_refuses_broken_utf8() {
        assert_eq!(decode("%E6%B5%A6%E4%B8%9C+x").as_deref(), Some("浦东 x"));
        assert_eq!(decode("a%2Bb").as_deref(), Some("a+b"));
        assert_eq!(decode("%E6%B5"), None);
        assert_eq!(decode("%ZZ"), None);
        assert_eq!(decode("100%"), None);
    }
}
