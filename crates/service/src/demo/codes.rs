//! Identifier codes with real check characters: 统一社会信用代码 (GB 32100-2015) and its
//! embedded 组织机构代码 (GB 11714-1997). Rules from ../shared/domain/FACTS.md.

use rand::Rng;

use super::random::DemoRng;

/// GB 32100 alphabet: digits and capitals without I, O, Z, S, V.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Who issued the code and what kind of body holds it: the code's first two characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registrant {
    /// 91: registered by market supervision, an enterprise.
    Enterprise,
    /// 12: registered by the staffing office, a public institution (事业单位).
    PublicInstitution,
    /// 52: registered by civil affairs, a private non-enterprise unit (民办非企业单位).
    PrivateNonProfit,
}

impl Registrant {
    fn prefix(self) -> &'static str {
        match self {
            Self::Enterprise => "91",
            Self::PublicInstitution => "12",
            Self::PrivateNonProfit => "52",
        }
    }

    /// Organization codes assigned since the 2015 reform start with a letter pair naming the
    /// assigning authority: MA market supervision, MB staffing offices, MJ civil affairs.
    fn recent_org_prefix(self) -> &'static str {
        match self {
            Self::Enterprise => "MA",
            Self::PublicInstitution => "MB",
            Self::PrivateNonProfit => "MJ",
        }
    }
}

fn credit_value(c: char) -> Option<u32> {
    let byte = u8::try_from(c).ok()?;
    CREDIT_ALPHABET
        .iter()
        .position(|&a| a == byte)
        .and_then(|p| u32::try_from(p).ok())
}

/// The GB 32100 check character for the first 17 characters, or `None` if one is not in the
/// alphabet or the length is wrong.
pub fn credit_check(body: &str) -> Option<char> {
    let values: Vec<u32> = body.chars().map(credit_value).collect::<Option<_>>()?;
    if values.len() != CREDIT_WEIGHTS.len() {
        return None;
    }
    let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
    let index = (31 - sum % 31) % 31;
    CREDIT_ALPHABET
        .get(usize::try_from(index).ok()?)
        .map(|&b| char::from(b))
}

#[cfg(test)]
pub fn is_valid_credit_code(code: &str) -> bool {
    let mut chars: Vec<char> = code.chars().collect();
    match chars.pop() {
        Some(last) if chars.len() == 17 => {
            credit_check(&chars.iter().collect::<String>()) == Some(last)
        }
        _ => false,
    }
}

/// GB 11714 character value: digits as themselves, letters A=10 … Z=35.
fn org_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' | 'A'..='Z' => c.to_digit(36),
        _ => None,
    }
}

/// The GB 11714 check character of an 8-character organization code body.
pub fn org_check(body: &str) -> Option<char> {
    let values: Vec<u32> = body.chars().map(org_value).collect::<Option<_>>()?;
    if values.len() != ORG_WEIGHTS.len() {
        return None;
    }
    let sum: u32 = values.iter().zip(ORG_WEIGHTS).map(|(v, w)| v * w).sum();
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        digit => char::from_digit(digit, 10),
    }
}

/// A synthetic but valid code. `area` is the six-digit division code of the registering
/// authority; bodies registered since 2015 get the `MA…`-style organization codes.
pub fn credit_code(rng: &mut DemoRng, registrant: Registrant, area: &str, recent: bool) -> String {
    let org_body: String = if recent {
        // GB 32100 letters only, so the whole code stays inside the check alphabet.
        let tail: String = (0..6)
            .map(|_| char::from(CREDIT_ALPHABET[rng.random_range(0..CREDIT_ALPHABET.len())]))
            .collect();
        format!("{}{tail}", registrant.recent_org_prefix())
    } else {
        (0..8)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    };
    let org_check = org_check(&org_body).unwrap_or('0');
    let body = format!("{}{area}{org_body}{org_check}", registrant.prefix());
    let check = credit_check(&body).unwrap_or('0');
    format!("{body}{check}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::random::stream;

    #[test]
    fn credit_checker_agrees_with_the_facts_vectors() {
        assert!(is_valid_credit_code("91110108551385082Q"));
        assert_eq!(credit_check("91110108551385082"), Some('Q'));
        assert!(!is_valid_credit_code("91310115MA1H8R7C6D"));
        assert!(!is_valid_credit_code("91110108551385082"));
        assert!(!is_valid_credit_code("9111010855138508IQ"));
    }

    #[test]
    fn org_checker_agrees_with_hand_computations() {
        // 551385082 inside the FACTS vector: 5·3+5·7+1·9+3·10+8·5+5·8+0·4+8·2 = 185,
        // 185 mod 11 = 9, 11 − 9 = 2.
        assert_eq!(org_check("55138508"), Some('2'));
        // GB 11714's worked example D2143569-X: 13·3+2·7+1·9+4·10+3·5+5·8+6·4+9·2 = 199,
        // 199 mod 11 = 1, 11 − 1 = 10 → X.
        assert_eq!(org_check("D2143569"), Some('X'));
    }

    #[test]
    fn generated_codes_are_valid_and_well_formed() {
        let mut rng = stream("codes-test");
        for recent in [false, true] {
            for registrant in [
                Registrant::Enterprise,
                Registrant::PublicInstitution,
                Registrant::PrivateNonProfit,
            ] {
                let code = credit_code(&mut rng, registrant, "320214", recent);
                assert_eq!(code.chars().count(), 18, "{code}");
                assert!(code.starts_with(registrant.prefix()), "{code}");
                assert!(is_valid_credit_code(&code), "{code}");
                let org: String = code.chars().skip(8).take(8).collect();
                assert_eq!(org_check(&org), code.chars().nth(16), "{code}");
                assert_eq!(org.starts_with('M'), recent, "{code}");
            }
        }
    }
}
