//! SHA-256 digests of texts: of each source's text (in briefing.json and brief.lock) and of
//! each cited passage (in brief.lock), so anyone can check them with `sha256sum`.

use std::fmt;

/// The SHA-256 of a text's UTF-8 bytes, written as 64 lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Sha256(pub [u8; 32]);

impl Sha256 {
    /// The digest of `text`.
    pub fn of(text: &str) -> Sha256 {
        use sha2::Digest;
        Sha256(sha2::Sha256::digest(text.as_bytes()).into())
    }

    /// The digest of any bytes (a kept original as retrieved).
    pub fn of_bytes(bytes: &[u8]) -> Sha256 {
        use sha2::Digest;
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// Reads 64 hex digits (either case); `None` for anything else.
    pub fn from_hex(hex: &str) -> Option<Sha256> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(Sha256(out))
    }
}

/// Lower-case hex, as `sha256sum` prints it.
impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl serde::Serialize for Sha256 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Sha256 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sha256, D::Error> {
        let hex = String::deserialize(d)?;
        Sha256::from_hex(&hex).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{hex}` is not a SHA-256: it is written as 64 hex digits"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sha256sums() {
        // `printf 'abc' | sha256sum`
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(Sha256::of("abc").to_string(), abc);
        assert_eq!(Sha256::from_hex(abc), Some(Sha256::of("abc")));
        assert_eq!(
            Sha256::from_hex(&abc.to_uppercase()),
            Some(Sha256::of("abc"))
        );
        for bad in [
            "",
            "abc",
            &abc[1..],
            &format!("{}g", &abc[1..]),
            "é".repeat(32).as_str(),
        ] {
            assert_eq!(Sha256::from_hex(bad), None, "{bad}");
        }
    }
}
