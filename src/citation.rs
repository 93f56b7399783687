//! PROVISIONAL: replaced by the real parser.
use std::ops::Range;
#[derive(Debug, Clone, PartialEq)]
pub struct CiteGroup {
    pub range: Range<usize>,
    pub cites: Vec<Cite>,
}
#[derive(Debug, Clone, PartialEq)]
pub struct Cite {
    pub source: String,
    pub source_range: Range<usize>,
    pub quote: Option<String>,
    pub quote_range: Option<Range<usize>>,
}
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
}
pub fn parse(text: &str) -> (Vec<CiteGroup>, Vec<SyntaxError>) {
    let mut groups = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("[@") {
        let start = at + i;
        let Some(j) = text[start..].find(']') else {
            break;
        };
        let end = start + j + 1;
        let inner = &text[start + 1..end - 1];
        let mut cites = Vec::new();
        let mut off = start + 1;
        for part in inner.split(';') {
            let p = part.trim();
            let lead = part.len() - part.trim_start().len();
            let p = p.strip_prefix('@').unwrap_or(p);
            let (id, q) = match p.find(|c: char| c.is_whitespace()) {
                Some(k) => (&p[..k], Some(p[k..].trim())),
                None => (p, None),
            };
            let sstart = off + lead + 1;
            let quote = q.map(|q| {
                q.trim_matches(|c| c == '"' || c == '“' || c == '”')
                    .to_string()
            });
            let qr = quote.as_ref().and_then(|qq| {
                text[sstart..end]
                    .find(qq.as_str())
                    .map(|k| sstart + k..sstart + k + qq.len())
            });
            cites.push(Cite {
                source: id.to_string(),
                source_range: sstart..sstart + id.len(),
                quote,
                quote_range: qr,
            });
            off += part.len() + 1;
        }
        groups.push(CiteGroup {
            range: start..end,
            cites,
        });
        at = end;
    }
    (groups, Vec::new())
}
