//! Folding: the product's definition of "the same text".
//!
//! A quote in a briefing matches a source when both are equal after *folding*. Folding, in
//! order:
//!
//! 1. Unicode NFC, so that `e` + combining acute and the precomposed `é` are the same;
//! 2. lower case, with the Turkish dotted `İ` and dotless `ı` both becoming plain `i` (so
//!    "ÇIRAĞAN" matches "Çırağan"), and the Cyrillic `ё` becoming `е` (Russian print mostly
//!    leaves its dots off); other diacritics stay significant (`é` is not `e`, `й` not `и`,
//!    Ukrainian `ї` not `і`), and Cyrillic is never transliterated;
//! 3. typographic double quotes become `"`, single quotes and apostrophes `'` (the Ukrainian
//!    apostrophe `ʼ` U+02BC and its look-alikes `’ ' ` ′ ʹ ʻ` among them), dashes and
//!    minus signs `-`, and the ellipsis `…` becomes `...`;
//! 4. invisible characters (soft hyphen, zero-width space/joiners, word joiner, BOM) are
//!    dropped;
//! 5. every run of white space (including no-break spaces, tabs and newlines) becomes one
//!    ASCII space.
//!
//! [`Folded`] folds a whole source text and remembers where each folded byte came from, so a
//! match found in the folded text can be shown in the original. [`fold`] folds a needle (a
//! quote, a name) the same way and trims it.

use std::ops::Range;
use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, decompose_canonical};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The longest text that can be folded: offsets in the map are `u32`, which keeps the map at
/// four bytes per folded byte. Anything past this (4 GiB) is ignored rather than panicking.
const MAX_LEN: usize = u32::MAX as usize;

/// A folded copy of a text with a map from each folded byte back to the original.
///
/// The original is cut into *units*: usually a single character, but a character together
/// with the combining marks that NFC merges into it is one unit, and so is a character that
/// folds to several bytes (`…` → `...`). Every folded byte belongs to exactly one unit, and
/// [`Folded::original_range`] always widens a range to whole units, so the original text it
/// returns folds back to what was asked for.
///
/// For example `Talks in  ÇIRAĞAN — “soon”` folds to `talks in çirağan - "soon"`, and the
/// folded range of `çirağan` maps back to `ÇIRAĞAN` in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    /// The folded text.
    folded: String,
    /// For each byte of `folded`, the byte offset in the original of the unit it came from.
    map: Vec<u32>,
    /// Length in bytes of the (possibly truncated, see [`MAX_LEN`]) original.
    original_len: usize,
}

impl Folded {
    /// Folds `original`, keeping a map back to it. Runs in time linear in the text's length.
    ///
    /// Leading and trailing white space is kept (as one space each) so that every part of the
    /// original has a place in the map; [`fold`] is the trimmed variant for needles.
    pub fn new(original: &str) -> Folded {
        let original = &original[..original.floor_char_boundary(MAX_LEN)];
        let mut folder = Folder {
            out: String::with_capacity(original.len()),
            map: Vec::with_capacity(original.len()),
            in_space: false,
        };
        folder.push_text(original);
        Folded {
            folded: folder.out,
            map: folder.map,
            original_len: original.len(),
        }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.folded
    }

    /// Original byte range for a byte range of the folded text.
    ///
    /// The result always lies on char boundaries of the original and is widened to whole
    /// units (see [`Folded`]): a range that starts or ends inside a unit, or inside a
    /// multi-byte character of the folded text, takes in the whole unit. What left no trace
    /// in the folded text right after the range's end is included too: dropped invisible
    /// characters, and the rest of a white-space run when the range ends with its space. A
    /// reversed,
    /// empty or out-of-range input is clamped to the folded text and never panics; an empty
    /// range maps to an empty range at the corresponding original position.
    pub fn original_range(&self, folded: Range<usize>) -> Range<usize> {
        let len = self.folded.len();
        let start = folded.start.min(len);
        let end = folded.end.clamp(start, len);
        if start == end {
            let at = self.origin(start);
            return at..at;
        }
        self.origin(start)..self.unit_end(end - 1)
    }

    /// Folded offset of the original byte offset `original`: the first folded byte that comes
    /// from `original` or after it (the folded length past the end). The map only grows, so
    /// this is a binary search; `brief quote` and the Cite button use it to find a passage
    /// of the original (a paragraph, a selection) in the folded text.
    pub(crate) fn folded_offset(&self, original: usize) -> usize {
        self.map.partition_point(|&o| (o as usize) < original)
    }

    /// Whether a match may start or end at byte `at` of the folded text: true at both ends of
    /// the text and between two units, false inside a unit (for example between the first and
    /// second `.` that `…` folds to, or inside a multi-byte character).
    pub(crate) fn is_unit_boundary(&self, at: usize) -> bool {
        match (
            at.checked_sub(1).and_then(|before| self.map.get(before)),
            self.map.get(at),
        ) {
            (Some(before), Some(here)) => before != here,
            _ => at <= self.map.len(),
        }
    }

    /// Original offset of the unit the folded byte `at` belongs to; the end of the original
    /// past the end of the folded text.
    fn origin(&self, at: usize) -> usize {
        self.map.get(at).map_or(self.original_len, |&o| o as usize)
    }

    /// Original offset just past the unit that folded byte `at` belongs to: where the next
    /// unit with folded bytes starts, or the end of the original. Units are a few bytes long,
    /// so the scan is short.
    fn unit_end(&self, at: usize) -> usize {
        let Some(&unit) = self.map.get(at) else {
            return self.original_len;
        };
        self.map[at..]
            .iter()
            .find(|&&o| o != unit)
            .map_or(self.original_len, |&o| o as usize)
    }
}

/// Folds a needle (a quote, a name) the same way as [`Folded::new`], trimmed at both ends:
/// `  “Ready” to\nresume…  ` folds to `"ready" to resume...`.
pub fn fold(s: &str) -> String {
    let folded = Folded::new(s).folded;
    let trimmed = folded.trim_matches(' ');
    if trimmed.len() == folded.len() {
        folded
    } else {
        trimmed.to_owned()
    }
}

/// Whether a segment (see [`Folder::push_text`]) may start at `c`.
///
/// NFC never reaches across a char whose canonical decomposition starts with a char of
/// combining class 0 and NFC quick check "Yes": nothing before it reorders past it, and it
/// never composes with what comes before it. So normalizing the pieces between such chars
/// one by one gives the same result as normalizing the whole text, which is what lets us keep
/// an offset map and stay linear.
pub(crate) fn starts_segment(c: char) -> bool {
    char_class(c) != CharClass::Inner
}

/// How a char takes part in segmentation, see [`starts_segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    /// Starts a segment and is in NFC on its own: the vast majority.
    Stable,
    /// Starts a segment but changes under NFC, like U+2000 EN QUAD → U+2002 EN SPACE.
    Starts,
    /// Belongs to the segment before it: combining marks, Hangul vowel jamo and the like.
    Inner,
}

/// [`CharClass`] of a char, fast.
///
/// Everything below the combining diacritics block (ASCII, Latin-1, Latin Extended, IPA,
/// spacing modifiers) is stable. The rest of the Basic Multilingual Plane is looked up in a
/// table computed once from the normalization tables, because several table lookups per char
/// made folding Cyrillic or Greek text several times slower than English.
fn char_class(c: char) -> CharClass {
    static BMP: OnceLock<Box<[CharClass]>> = OnceLock::new();
    if c < '\u{300}' {
        return CharClass::Stable;
    }
    let Ok(index) = u16::try_from(u32::from(c)) else {
        return char_class_uncached(c);
    };
    let table = BMP.get_or_init(|| {
        (0..=u16::MAX)
            .map(|code| char::from_u32(code.into()).map_or(CharClass::Inner, char_class_uncached))
            .collect()
    });
    table
        .get(usize::from(index))
        .copied()
        .unwrap_or(CharClass::Inner)
}

/// [`char_class`] straight from the normalization tables.
fn char_class_uncached(c: char) -> CharClass {
    let is_nfc = |c: char| is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
    let mut first = None;
    decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    let first = first.unwrap_or(c);
    if canonical_combining_class(first) != 0 || !is_nfc(first) {
        CharClass::Inner
    } else if is_nfc(c) {
        CharClass::Stable
    } else {
        CharClass::Starts
    }
}

/// The lower case of a char of the Basic Multilingual Plane from a table computed once;
/// `None` for other chars, and for the few whose lower case is not a single BMP char.
///
/// `char::to_lowercase` searches a table on every call, which was the larger half of the
/// time spent folding non-Latin text.
fn lower_bmp(c: char) -> Option<char> {
    /// Marks "not a single BMP char: ask `to_lowercase`". U+FFFF is a noncharacter whose lower
    /// case is itself, so answering `None` for it is still right.
    const ASK: u16 = u16::MAX;
    static LOWER: OnceLock<Box<[u16]>> = OnceLock::new();
    let index = usize::from(u16::try_from(u32::from(c)).ok()?);
    let table = LOWER.get_or_init(|| {
        (0..=u16::MAX)
            .map(|code| {
                let Some(c) = char::from_u32(code.into()) else {
                    return ASK;
                };
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => u16::try_from(u32::from(l)).unwrap_or(ASK),
                    _ => ASK,
                }
            })
            .collect()
    });
    match table.get(index) {
        Some(&ASK) | None => None,
        Some(&lower) => char::from_u32(lower.into()),
    }
}

/// The folding state machine: appends folded text and its map.
struct Folder {
    out: String,
    map: Vec<u32>,
    /// The last thing written was a space, so further white space is swallowed. Dropped
    /// invisible characters leave it alone, so "a \u{200B} b" still folds to "a b".
    in_space: bool,
}

impl Folder {
    /// Folds a whole text.
    ///
    /// The text is cut into *segments* that can be normalized on their own: each starts at a
    /// char for which [`starts_segment`] holds (or at the start of the text) and runs up to
    /// the next one. In most text nearly every segment is a single char, and runs of ASCII
    /// take a fast path, which is what makes folding cheap enough to run on every source.
    fn push_text(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // ASCII followed by ASCII (or the end) is a segment of its own that needs no
            // normalization. The last ASCII byte before a non-ASCII char is not: combining
            // marks may follow it, so it goes the general way below.
            let ascii_end = at + ascii_prefix_len(&bytes[at..]);
            let run_end = if ascii_end == bytes.len() {
                ascii_end
            } else {
                ascii_end.saturating_sub(1).max(at)
            };
            if run_end > at {
                self.push_ascii_run(&text[at..run_end], at);
                at = run_end;
            }
            if at < bytes.len() {
                at = self.push_segment_at(text, at);
            }
        }
    }

    /// Folds the segment of `text` that starts at byte `at` and returns where it ends.
    fn push_segment_at(&mut self, text: &str, at: usize) -> usize {
        let Some(c) = text[at..].chars().next() else {
            return text.len();
        };
        let mut end = at + c.len_utf8();
        while let Some(next) = text[end..].chars().next()
            && !starts_segment(next)
        {
            end += next.len_utf8();
        }
        if end == at + c.len_utf8() && char_class(c) == CharClass::Stable {
            self.push_char(c, at);
        } else {
            self.push_segment(at, &text[at..end]);
        }
        end
    }

    /// Folds one segment that starts at byte `start` of the original.
    fn push_segment(&mut self, start: usize, segment: &str) {
        let mut chars = segment.chars();
        if let Some(first) = chars.next()
            && first.is_whitespace()
            && !chars.as_str().is_empty()
        {
            // Stray combining marks after white space: white space never composes with what
            // follows it, and needles are trimmed of it, so it must stay a unit of its own
            // or a quote starting with the marks could never match.
            for c in std::iter::once(first).nfc() {
                self.push_char(c, start);
            }
            return self.push_normalized(start + first.len_utf8(), chars.as_str());
        }
        self.push_normalized(start, segment);
    }

    /// Normalizes and folds a piece of text that starts at byte `start` of the original.
    fn push_normalized(&mut self, start: usize, segment: &str) {
        if is_nfc_quick(segment.chars()) == IsNormalized::Yes {
            // Already normalized (the common case): every char is a unit of its own, which
            // keeps the map as fine-grained as possible.
            for (at, c) in segment.char_indices() {
                self.push_char(c, start + at);
            }
        } else {
            // Normalization may merge or reorder chars, so the whole segment is one unit.
            for c in segment.nfc() {
                self.push_char(c, start);
            }
        }
    }

    /// Folds a run of ASCII text that starts at byte `origin` of the original: the same as
    /// [`Folder::push_ascii`] byte by byte, in bulk.
    ///
    /// Most of a source is such runs, and most of their bytes fold to themselves in lower
    /// case, each mapped to its own offset: those are copied a stretch at a time. Only the
    /// bytes that fold otherwise (see [`first_unplain`]) go one by one.
    fn push_ascii_run(&mut self, run: &str, origin: usize) {
        self.out.reserve(run.len());
        self.map.reserve(run.len());
        let bytes = run.as_bytes();
        let mut from = 0;
        while let Some(at) = first_unplain(bytes, from, self.in_space) {
            self.push_plain(&run[from..at], origin + from);
            self.push_ascii(bytes[at], origin + at);
            from = at + 1;
        }
        self.push_plain(&run[from..], origin + from);
    }

    /// Appends `plain`, ASCII text in which every byte folds to its own lower case (see
    /// [`first_unplain`]), each byte mapped to its own offset from `origin` on.
    fn push_plain(&mut self, plain: &str, origin: usize) {
        if plain.is_empty() {
            return;
        }
        let from = self.out.len();
        self.out.push_str(plain);
        self.out[from..].make_ascii_lowercase();
        self.map
            .extend(to_u32(origin)..to_u32(origin + plain.len()));
        self.in_space = plain.ends_with(' ');
    }

    /// Folds one ASCII char that came from byte `origin` of the original.
    fn push_ascii(&mut self, b: u8, origin: usize) {
        let origin = to_u32(origin);
        match b {
            _ if is_ascii_space(b) => self.push_space(origin),
            b'`' => self.push_byte(b'\'', origin),
            _ => self.push_byte(b.to_ascii_lowercase(), origin),
        }
    }

    /// Folds one (normalized) char that came from the unit at `origin` in the original.
    fn push_char(&mut self, c: char, origin: usize) {
        if let Ok(b) = u8::try_from(c)
            && b.is_ascii()
        {
            return self.push_ascii(b, origin);
        }
        let origin = to_u32(origin);
        match c {
            '“' | '”' | '„' | '‟' | '«' | '»' | '〝' | '〞' | '＂' | '″' => {
                self.push_str("\"", origin)
            }
            // The Ukrainian apostrophe is U+02BC, typed as any of these.
            '‘' | '’' | '‚' | '‛' | '′' | '´' | 'ʼ' | 'ʹ' | 'ʻ' | '＇' | 'ꞌ' => {
                self.push_str("'", origin)
            }
            '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹘' | '﹣' | '－' => {
                self.push_str("-", origin)
            }
            '…' => self.push_str("...", origin),
            '\u{AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            // `'İ'.to_lowercase()` is "i" + combining dot above; Turkish text wants plain "i".
            'İ' | 'ı' => self.push_str("i", origin),
            // Russian print mostly leaves the dots off ё: "еще" and "ещё" are one word. NFC
            // has made a decomposed е + U+0308 into ё before this. Other Cyrillic letters
            // (Ukrainian і, ї, є, ґ, the short й) stay themselves: they tell words apart.
            'ё' | 'Ё' => self.push_str("е", origin),
            _ if c.is_whitespace() => self.push_space(origin),
            _ => {
                let mut buf = [0; 4];
                match lower_bmp(c) {
                    Some(lower) => self.push_str(lower.encode_utf8(&mut buf), origin),
                    None => {
                        for lower in c.to_lowercase() {
                            self.push_str(lower.encode_utf8(&mut buf), origin);
                        }
                    }
                }
            }
        }
    }

    fn push_space(&mut self, origin: u32) {
        if !self.in_space {
            self.push_byte(b' ', origin);
            self.in_space = true;
        }
    }

    fn push_byte(&mut self, b: u8, origin: u32) {
        self.out.push(char::from(b));
        self.map.push(origin);
        self.in_space = false;
    }

    fn push_str(&mut self, s: &str, origin: u32) {
        self.out.push_str(s);
        self.map.extend(std::iter::repeat_n(origin, s.len()));
        self.in_space = false;
    }
}

/// ASCII white space as `char::is_whitespace` sees it: unlike `u8::is_ascii_whitespace`, it
/// counts the vertical tab.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C')
}

/// Bytes that [`first_unplain`] checks at a time.
const BLOCK: usize = 32;

/// The first byte of ASCII `bytes` at or after `from` that does not fold to itself in lower
/// case: a backtick, white space other than a space, or a space after white space.
/// `after_space`: whether the byte before `from` folded to (or into) a space.
fn first_unplain(bytes: &[u8], from: usize, mut after_space: bool) -> Option<usize> {
    let mut at = from;
    while let Some(block) = bytes.get(at..at + BLOCK)
        && let Ok(block) = <&[u8; BLOCK]>::try_from(block)
        && is_plain_block(block, after_space)
    {
        after_space = block[BLOCK - 1] == b' ';
        at += BLOCK;
    }
    for (i, &b) in bytes.get(at..)?.iter().enumerate() {
        if b == b'`' || (is_ascii_space(b) && (b != b' ' || after_space)) {
            return Some(at + i);
        }
        after_space = b == b' ';
    }
    None
}

/// Whether every byte of `block` folds to itself in lower case (see [`first_unplain`]).
/// Without early exits or branches, so that the compiler checks many bytes at once.
fn is_plain_block(block: &[u8; BLOCK], after_space: bool) -> bool {
    let mut rough = after_space & (block[0] == b' ');
    for (&a, &b) in block.iter().zip(&block[1..]) {
        rough |= (a == b' ') & (b == b' ');
    }
    for &b in block {
        rough |= (b == b'`') | (b.wrapping_sub(b'\t') <= b'\r' - b'\t');
    }
    !rough
}

/// The length of the ASCII prefix of `bytes`.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    // Eight bytes at a time: sources are mostly long stretches of ASCII.
    let (words, _) = bytes.as_chunks::<8>();
    let whole = words
        .iter()
        .position(|w| u64::from_ne_bytes(*w) & 0x8080_8080_8080_8080 != 0)
        .unwrap_or(words.len());
    let from = whole * 8;
    from + bytes[from..].iter().take_while(|b| b.is_ascii()).count()
}

/// Offsets stay below [`MAX_LEN`], so this never saturates; saturating keeps it panic-free.
fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lower_cases_and_keeps_diacritics() {
        assert_eq!(fold("Élysée PALACE"), "élysée palace");
        assert_ne!(fold("résumé"), fold("resume"));
    }

    #[test]
    fn turkish_dotted_and_dotless_i_fold_to_plain_i() {
        assert_eq!(fold("ÇIRAĞAN"), fold("Çırağan"));
        assert_eq!(fold("ÇIRAĞAN"), "çirağan");
        assert_eq!(fold("İstanbul"), "istanbul");
        // A decomposed dotted capital I (I + combining dot above) is İ after NFC.
        assert_eq!(fold("I\u{307}stanbul"), "istanbul");
    }

    #[test]
    fn cyrillic_yo_folds_to_ye_and_other_letters_stay_apart() {
        assert_eq!(fold("ещё"), fold("еще"));
        assert_eq!(fold("ЁЛКА"), "елка");
        // A decomposed ё (е + combining diaeresis) too.
        assert_eq!(fold("е\u{308}лка"), "елка");
        // Ukrainian letters are not Russian ones, nor Latin; й is not и.
        for (a, b) in [
            ("і", "и"),
            ("ї", "і"),
            ("є", "е"),
            ("ґ", "г"),
            ("й", "и"),
            ("Київ", "Kyiv"),
            ("і", "i"),
            ("мої", "мои"),
        ] {
            assert_ne!(fold(a), fold(b), "{a} {b}");
        }
        assert_eq!(fold("ЇЖАК Ґанок ЄВРОПА"), "їжак ґанок європа");
        // Mapped back to the original letters.
        let text = "Ещё раз";
        let folded = Folded::new(text);
        assert_eq!(folded.as_str(), "еще раз");
        assert_eq!(&text[folded.original_range(0..6)], "Ещё");
    }

    #[test]
    fn ukrainian_apostrophe_and_its_look_alikes_are_one() {
        let forms = [
            "Мар\u{2BC}їнка",
            "Мар\u{2019}їнка",
            "Мар'їнка",
            "Мар`їнка",
            "Мар\u{2032}їнка",
            "Мар\u{2B9}їнка",
            "Мар\u{2018}їнка",
            "Мар\u{B4}їнка",
            "Мар\u{FF07}їнка",
        ];
        for f in forms {
            assert_eq!(fold(f), "мар'їнка", "{f:?}");
        }
    }

    #[test]
    fn nfc_merges_combining_marks() {
        assert_eq!(fold("Cafe\u{301}"), fold("Café"));
        let folded = Folded::new("cafe\u{301} x");
        assert_eq!(folded.as_str(), "café x");
        // The folded "é" maps back to both original chars.
        let at = folded.as_str().find('é').unwrap();
        assert_eq!(folded.original_range(at..at + 'é'.len_utf8()), 3..6);
        assert!(!folded.is_unit_boundary(at + 1));
    }

    #[test]
    fn typographic_quotes_apostrophes_and_dashes() {
        assert_eq!(
            fold("“a” „b‟ «c» 〝d〞 ＂e＂ 5″"),
            "\"a\" \"b\" \"c\" \"d\" \"e\" 5\""
        );
        assert_eq!(fold("‘a’ ‚b‛ 5′ `c´ Kyivʼs"), "'a' 'b' 5' 'c' kyiv's");
        assert_eq!(fold("a‐b‑c‒d–e—f―g−h﹘i﹣j－k"), "a-b-c-d-e-f-g-h-i-j-k");
        assert_eq!(fold("wait…"), "wait...");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(
            fold("Me\u{AD}din\u{200B}sky\u{200C}\u{200D}\u{2060}\u{FEFF}"),
            "medinsky"
        );
        assert_eq!(fold("a \u{200B} b"), "a b");
    }

    #[test]
    fn white_space_runs_collapse_across_lines() {
        assert_eq!(
            fold("ready\u{a0}to\n\n  resume\t\r\ntalks"),
            "ready to resume talks"
        );
        assert_eq!(fold("\u{2003} padded \u{3000}"), "padded");
        assert_eq!(Folded::new("  a  ").as_str(), " a ");
    }

    #[test]
    fn chars_that_change_under_nfc_start_units() {
        // U+2000 EN QUAD is U+2002 EN SPACE after NFC; it must not glue itself to the "a".
        let folded = Folded::new("a\u{2000}b");
        assert_eq!(folded.as_str(), "a b");
        assert!(folded.is_unit_boundary(1));
        // U+212B ANGSTROM SIGN is Å.
        assert_eq!(fold("5\u{212B}"), "5å");
        // Combining marks after white space stay apart from it.
        let folded = Folded::new("a \u{301}b");
        assert_eq!(folded.as_str(), "a \u{301}b");
        assert!(folded.is_unit_boundary(2));
    }

    #[test]
    fn empty_and_blank() {
        assert_eq!(fold(""), "");
        assert_eq!(fold(" \n\u{AD} "), "");
        let folded = Folded::new("");
        assert_eq!(folded.as_str(), "");
        assert_eq!(folded.original_range(0..5), 0..0);
    }

    #[test]
    fn original_range_maps_expansions_and_multibyte_text() {
        let text = "Так… «Да»";
        let folded = Folded::new(text);
        assert_eq!(folded.as_str(), "так... \"да\"");
        // Part of the "..." widens to the whole "…".
        let dots = folded.as_str().find("..").unwrap();
        assert_eq!(&text[folded.original_range(dots + 1..dots + 2)], "…");
        let da = folded.as_str().find("да").unwrap();
        assert_eq!(&text[folded.original_range(da..da + 4)], "Да");
        // Mid-char offsets widen to the whole char.
        assert_eq!(&text[folded.original_range(1..3)], "Та");
    }

    #[test]
    fn original_range_clamps_bad_input() {
        let text = "héllo wörld";
        let folded = Folded::new(text);
        let len = folded.as_str().len();
        assert_eq!(
            folded.original_range(len + 3..len + 9),
            text.len()..text.len()
        );
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = folded.original_range(5..2);
        assert_eq!(reversed, 5..5);
        assert_eq!(folded.original_range(0..usize::MAX), 0..text.len());
    }

    #[test]
    fn collapsed_white_space_maps_to_the_whole_run() {
        let text = "a \n\t b";
        let folded = Folded::new(text);
        assert_eq!(folded.as_str(), "a b");
        assert_eq!(folded.original_range(1..2), 1..5);
        assert_eq!(folded.original_range(0..3), 0..text.len());
    }

    /// Folding a few MB of mixed text must stay well under 100 ms per 5 MB in release builds.
    /// Debug builds are much slower, so this only prints the speed; run
    /// `cargo test --release fold_speed -- --nocapture` to see it.
    #[test]
    fn fold_speed() {
        let paragraph = "Russia is ready to resume talks in Istanbul, Medinsky said on \
            Tuesday — “we are open”… Çırağan Palace hosted the second round; \
            Мединский заявил, что Россия готова. ";
        let text = paragraph.repeat(5_000_000 / paragraph.len());
        let started = std::time::Instant::now();
        let folded = Folded::new(&text);
        let elapsed = started.elapsed();
        assert!(folded.as_str().len() >= text.len() * 9 / 10);
        println!(
            "folded {:.1} MB in {:?} ({:.1} ms per 5 MB)",
            text.len() as f64 / 1e6,
            elapsed,
            elapsed.as_secs_f64() * 1e3 * 5e6 / text.len() as f64
        );
    }

    /// [`Folded::new`] with every ASCII byte folded on its own, as before runs of ASCII were
    /// folded in bulk: the reference for [`Folder::push_ascii_run`].
    fn folded_byte_by_byte(text: &str) -> Folded {
        let mut folder = Folder {
            out: String::new(),
            map: Vec::new(),
            in_space: false,
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            if b.is_ascii() && bytes.get(at + 1).is_none_or(u8::is_ascii) {
                folder.push_ascii(b, at);
                at += 1;
            } else {
                at = folder.push_segment_at(text, at);
            }
        }
        Folded {
            folded: folder.out,
            map: folder.map,
            original_len: text.len(),
        }
    }

    #[test]
    fn ascii_runs_fold_like_single_bytes() {
        for text in [
            "",
            " ",
            "`",
            "Plain ASCII text that is longer than one block of thirty-two bytes.",
            "Two  spaces, a tab\tand\r\nlines\x0b\x0c,   `ticks` and a space at the end ",
            "  Leading white space and a run of them                                   here",
            "A long run of ASCII before a mark that belongs to its last char: cafe\u{301}",
            "A long run of ASCII before a no-break space, then more \u{a0} white space",
        ] {
            assert_eq!(Folded::new(text), folded_byte_by_byte(text), "{text:?}");
        }
    }

    /// ASCII-heavy strings with runs longer than a block: mostly letters and single spaces,
    /// some other white space and backticks, and a few non-ASCII chars that fold to white
    /// space, are dropped, or join the char before them.
    fn mostly_ascii_string() -> impl Strategy<Value = String> {
        let char = prop_oneof![
            12 => prop::sample::select(vec!['a', 'b', 'Z', '.', '\'']),
            3 => Just(' '),
            1 => prop::sample::select(vec!['\t', '\n', '\r', '\x0B', '\x0C', '`']),
            1 => prop::sample::select(vec!['é', '\u{301}', '\u{a0}', '\u{200B}', '…']),
        ];
        prop::collection::vec(char, 0..300).prop_map(|v| v.into_iter().collect())
    }

    /// The first unit boundary at or after `at`.
    fn snap(folded: &Folded, mut at: usize) -> usize {
        while !folded.is_unit_boundary(at) {
            at += 1;
        }
        at
    }

    #[test]
    fn lookup_tables_agree_with_the_unicode_tables() {
        for c in (0..=0xFFFF).filter_map(char::from_u32) {
            assert_eq!(char_class(c), char_class_uncached(c), "{c:?}");
            if let Some(lower) = lower_bmp(c) {
                assert_eq!(c.to_lowercase().collect::<String>(), lower.to_string());
            }
        }
        assert_eq!(char_class('\u{301}'), CharClass::Inner);
        assert_eq!(char_class('\u{2000}'), CharClass::Starts);
        assert_eq!(char_class('Å'), CharClass::Stable);
        assert_eq!(lower_bmp('Д'), Some('д'));
        assert_eq!(lower_bmp('😀'), None);
    }

    /// Strings drawn from characters that exercise every folding rule.
    fn tricky_string() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a',
            'B',
            'i',
            'I',
            'İ',
            'ı',
            'ß',
            'ẞ',
            'é',
            'e',
            '\u{301}',
            '\u{308}',
            '\u{323}',
            'ç',
            'Ç',
            ' ',
            '\n',
            '\t',
            '\u{a0}',
            '\u{AD}',
            '\u{200B}',
            '“',
            '”',
            '"',
            '’',
            '\'',
            '—',
            '-',
            '…',
            '.',
            'Ω',
            'Ω',
            'K',
            'Å',
            'ᄀ',
            'ᅡ',
            'ᆨ',
            '가',
            '😀',
            '👍',
            '\u{1F3FD}',
            'Д',
            'д',
            'ǅ',
            'ﬁ',
            '한',
        ]);
        prop_oneof![
            prop::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect()),
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn original_range_is_in_bounds_and_on_char_boundaries(
            text in tricky_string(),
            a in 0usize..200,
            b in 0usize..200,
        ) {
            let folded = Folded::new(&text);
            let range = folded.original_range(a..b);
            prop_assert!(range.start <= range.end && range.end <= text.len());
            prop_assert!(text.is_char_boundary(range.start));
            prop_assert!(text.is_char_boundary(range.end));
        }

        #[test]
        fn ascii_runs_fold_like_single_bytes_in_any_text(text in mostly_ascii_string()) {
            prop_assert_eq!(Folded::new(&text), folded_byte_by_byte(&text));
        }

        #[test]
        fn map_has_one_entry_per_folded_byte(text in tricky_string()) {
            let folded = Folded::new(&text);
            prop_assert_eq!(folded.map.len(), folded.as_str().len());
            prop_assert!(folded.map.windows(2).all(|w| w[0] <= w[1]));
            prop_assert!(folded.map.iter().all(|&o| text.is_char_boundary(o as usize)));
        }

        #[test]
        fn fold_is_trimmed_folded_text(text in tricky_string()) {
            let folded = Folded::new(&text);
            prop_assert_eq!(fold(&text), folded.as_str().trim_matches(' '));
        }

        /// Cutting the original between units and folding each piece gives the folded whole.
        #[test]
        fn whole_units_fold_back(
            text in tricky_string(),
            a in any::<prop::sample::Index>(),
            b in any::<prop::sample::Index>(),
        ) {
            let folded = Folded::new(&text);
            let len = folded.as_str().len();
            let (a, b) = (snap(&folded, a.index(len + 1)), snap(&folded, b.index(len + 1)));
            let (a, b) = (a.min(b), a.max(b));
            let piece = folded.as_str()[a..b].trim_matches(' ');
            let range = folded.original_range(a..b);
            prop_assert_eq!(fold(&text[range]), piece);
        }
    }
}
