//! Query strings as ordered key/value pairs. Axum's own rejection would answer with a plain
//! text body; here a malformed query string is a JSON 400 like every other bad parameter.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::ApiError;

pub struct Params(pub Vec<(String, String)>);

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

fn decode(raw: &str) -> Option<String> {
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
    }
}
