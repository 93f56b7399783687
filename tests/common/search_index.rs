//! Reading the search index a build wrote: the manifest (`search-index.js`) and its chunks
//! (`search/terms/*.js`, `search/docs/*.js`), each a script around one JSON literal; and the
//! whole index put back together in the shape of the single index brief wrote before it was
//! split (`items`, `sources`, `docs`, `terms`, `postings`), which the tests read as one.

use std::path::Path;

use serde_json::{Map, Value, json};

/// The JSON literal of a script that sets a global or calls a function with it.
pub fn literal(js: &str) -> Value {
    let start = js.find('{').expect("a JSON object");
    let end = js.rfind('}').expect("its end") + 1;
    serde_json::from_str(&js[start..end]).expect("the script's JSON")
}

/// The manifest and its chunks, in order: `(manifest, term chunks, doc chunks)`.
pub fn parts(out: &Path) -> (Value, Vec<Value>, Vec<Value>) {
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let manifest = literal(&read("search-index.js"));
    let chunks = |dir: &str, n: usize, key: &str| -> Vec<Value> {
        (0..n)
            .map(|k| {
                let c = literal(&read(&format!("{dir}{k}.js")));
                assert_eq!(c[key], k, "{dir}{k}.js names itself");
                c
            })
            .collect()
    };
    let terms = chunks(
        manifest["term_chunks"].as_str().expect("term_chunks"),
        manifest["terms"].as_array().expect("terms").len(),
        "terms",
    );
    let docs = chunks(
        manifest["doc_chunks"].as_str().expect("doc_chunks"),
        manifest["docs"].as_array().expect("docs").len(),
        "docs",
    );
    (manifest, terms, docs)
}

/// The whole index as one value, as the single index had it: `items` and `sources` (every
/// one, by number), `docs`, `terms` (one a line) and `postings`. Asserts that the chunks
/// join up: each where the manifest says it starts, and nothing missing.
pub fn whole(out: &Path) -> Value {
    let (manifest, term_chunks, doc_chunks) = parts(out);
    let mut terms: Vec<String> = Vec::new();
    let mut postings: Vec<Value> = Vec::new();
    for (k, c) in term_chunks.iter().enumerate() {
        let list: Vec<&str> = c["list"].as_str().expect("list").split('\n').collect();
        assert_eq!(manifest["terms"][k], list[0], "chunk {k}'s first term");
        let p = c["postings"].as_array().expect("postings");
        assert_eq!(list.len(), p.len());
        terms.extend(list.iter().map(|t| t.to_string()));
        postings.extend(p.iter().cloned());
    }
    let mut docs: Vec<Value> = Vec::new();
    let mut items = Map::new();
    let mut sources = Map::new();
    for (k, c) in doc_chunks.iter().enumerate() {
        assert_eq!(
            manifest["docs"][k],
            docs.len(),
            "chunk {k}'s first document"
        );
        assert_eq!(c["first"], docs.len());
        docs.extend(c["list"].as_array().expect("list").iter().cloned());
        for (key, to) in [("items", &mut items), ("sources", &mut sources)] {
            for (n, row) in c[key].as_object().expect("table") {
                to.insert(n.clone(), row.clone());
            }
        }
    }
    assert_eq!(manifest["count"], docs.len());
    let by_number = |m: Map<String, Value>| -> Vec<Value> {
        let mut rows: Vec<(usize, Value)> = m
            .into_iter()
            .map(|(n, v)| (n.parse().expect("a number"), v))
            .collect();
        rows.sort_by_key(|(n, _)| *n);
        for (k, (n, _)) in rows.iter().enumerate() {
            assert_eq!(k, *n, "every item and source is in a chunk");
        }
        rows.into_iter().map(|(_, v)| v).collect()
    };
    json!({
        "v": 1,
        "items": by_number(items),
        "sources": by_number(sources),
        "docs": docs,
        "terms": terms.join("\n"),
        "postings": postings,
    })
}

/// Every file of the index, joined: for what the index holds, wherever it is.
pub fn text(out: &Path) -> String {
    let mut all = std::fs::read_to_string(out.join("search-index.js")).expect("search-index.js");
    for dir in ["search/terms", "search/docs"] {
        let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            all.push_str(&std::fs::read_to_string(f).expect("chunk"));
        }
    }
    all
}
