//! The JSON Schemas in schemas/ hold for what brief makes and reads: briefing.json of the
//! example and of every fixture, every collection file, every site.toml; and they refuse
//! what brief refuses (a field of another kind, an item without its name, an unknown key of
//! site.toml). Validated with Python's jsonschema (pinned in target/ci-python by
//! scripts/test.sh), which also checks each schema is valid draft 2020-12.

mod common;

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned Python packages with jsonschema, or `None` (with a note) when it is missing.
fn python_packages(test: &str) -> Option<PathBuf> {
    common::python_packages(test, "jsonschema")
}

/// Runs tests/schemas/validate.py: `schema` (a file of schemas/) against `files`.
fn validate(packages: &Path, schema: &str, files: &[PathBuf]) -> common::Run {
    let mut args = vec![root().join("schemas").join(schema)];
    args.extend(files.iter().cloned());
    let args: Vec<&Path> = args.iter().map(PathBuf::as_path).collect();
    common::python(packages, &root().join("tests/schemas/validate.py"), &args)
}

/// The one fixture that does not build as it is: tests/links.rs first adds the files its
/// links lead to.
const BUILDS_ONLY_WITH_ITS_TEST: &str = "links";

/// The fixture sites: the folders of tests/fixtures/ that hold a site.toml.
fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("site.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// The example (the repository's root) and every fixture site.
fn sites() -> Vec<PathBuf> {
    let mut all = vec![root().to_path_buf()];
    all.extend(fixtures());
    all
}

/// The sites whose briefing.json is checked: the example and every fixture that builds alone.
fn built_sites() -> Vec<PathBuf> {
    sites()
        .into_iter()
        .filter(|s| !s.ends_with(BUILDS_ONLY_WITH_ITS_TEST))
        .collect()
}

/// Writes `value` as JSON to `dir/name`, returning the path.
fn write_json(dir: &Path, name: &str, value: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(value).expect("json")).expect("write json");
    path
}

/// A collection file read as brief's YAML crate reads it, as JSON.
fn yaml_to_json(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).expect("YAML")
}

/// site.toml read as TOML, as JSON.
fn toml_to_json(text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(text).expect("TOML");
    serde_json::to_value(value).expect("TOML as JSON")
}

fn assert_valid(run: &common::Run) {
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
}

fn assert_invalid(run: &common::Run, why: &str) {
    assert!(!run.ok, "expected invalid ({why}): {}", run.stdout);
    assert!(
        run.stdout.contains("invalid "),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn briefing_json_of_the_example_and_every_fixture_follows_its_schema() {
    let Some(py) = python_packages("briefing_json_follows_its_schema") else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for (n, site) in built_sites().iter().enumerate() {
        let public = out.path().join(format!("public-{n}"));
        let run = common::brief(
            site,
            &["build", "--output", public.to_str().expect("utf-8 path")],
        );
        assert!(run.ok, "{}: {}", site.display(), run.stderr);
        let json = public.join("briefing.json");
        let text = std::fs::read_to_string(&json).expect("briefing.json");
        let first = format!(
            "{{\"$schema\":{},\"version\":{},",
            serde_json::to_string(&brief::schemas::url(brief::schemas::BRIEFING)).expect("json"),
            brief::schemas::BRIEFING_FORMAT_VERSION
        );
        assert!(
            text.starts_with(&first),
            "{}: {}",
            site.display(),
            &text[..120]
        );
        files.push(json);
    }
    assert_valid(&validate(&py, "briefing.schema.json", &files));
}

#[test]
fn every_collection_file_follows_the_annotations_schema() {
    let Some(py) = python_packages("collection_files_follow_their_schema") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for site in sites() {
        let Ok(entries) = std::fs::read_dir(site.join("content/annotations")) else {
            continue;
        };
        let mut yamls: Vec<PathBuf> = entries
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        yamls.sort();
        for yaml in yamls {
            let value = yaml_to_json(&std::fs::read_to_string(&yaml).expect("yaml"));
            files.push(write_json(
                tmp.path(),
                &format!("{}.json", files.len()),
                &value,
            ));
        }
    }
    assert!(files.len() > 6, "the example's and the fixtures' files");
    assert_valid(&validate(&py, "annotations.schema.json", &files));
}

#[test]
fn the_example_and_the_scaffold_collection_files_name_their_schema_first() {
    let line = brief::schemas::yaml_modeline();
    let dir = root().join("content/annotations");
    for entry in std::fs::read_dir(&dir).expect("content/annotations") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("yaml");
        assert_eq!(
            text.lines().next(),
            Some(line.as_str()),
            "{}",
            path.display()
        );
    }
    let out = tempfile::tempdir().expect("temp dir");
    let new = out.path().join("new");
    let run = common::brief(out.path(), &["init", new.to_str().expect("utf-8 path")]);
    assert!(run.ok, "{}", run.stderr);
    let text = std::fs::read_to_string(new.join("content/annotations/people.yaml")).expect("yaml");
    assert_eq!(text.lines().next(), Some(line.as_str()));
}

#[test]
fn every_site_toml_follows_the_site_schema() {
    let Some(py) = python_packages("site_toml_follows_its_schema") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for site in sites() {
        let value = toml_to_json(&std::fs::read_to_string(site.join("site.toml")).expect("toml"));
        files.push(write_json(
            tmp.path(),
            &format!("{}.json", files.len()),
            &value,
        ));
    }
    let scaffold = toml_to_json(brief::init::SCAFFOLD[0].1);
    files.push(write_json(tmp.path(), "scaffold.json", &scaffold));
    assert_valid(&validate(&py, "site.schema.json", &files));
}

#[test]
fn the_schemas_refuse_what_brief_refuses() {
    let Some(py) = python_packages("the_schemas_refuse_what_brief_refuses") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let wrong_kind = yaml_to_json(
        "title: People\nkind: person\nitems:\n  - id: a\n    name: A\n    city: Istanbul\n",
    );
    let file = write_json(tmp.path(), "wrong-kind.json", &wrong_kind);
    assert_invalid(
        &validate(&py, "annotations.schema.json", &[file]),
        "a venue's field on a person",
    );
    let no_name = yaml_to_json("title: People\nkind: person\nitems:\n  - id: a\n");
    let file = write_json(tmp.path(), "no-name.json", &no_name);
    assert_invalid(
        &validate(&py, "annotations.schema.json", &[file]),
        "an item without its name",
    );
    let unknown = toml_to_json("title = \"T\"\nbase_url = \"https://example.org/\"\ncolour = 1\n");
    let file = write_json(tmp.path(), "unknown-key.json", &unknown);
    assert_invalid(
        &validate(&py, "site.schema.json", &[file]),
        "an unknown key of site.toml",
    );
    // And brief itself refuses each of them.
    let site = common::Site::copy("basic");
    site.write(
        "content/annotations/extra.yaml",
        "title: Extra\nkind: person\nitems:\n  - id: extra-a\n    name: A\n    city: Istanbul\n",
    );
    assert!(!site.run(&["check"]).ok);
}

#[test]
fn each_schema_is_identified_by_its_url_in_the_code() {
    use brief::schemas::{ANNOTATIONS, BRIEFING, SITE, url};
    for file in [BRIEFING, ANNOTATIONS, SITE] {
        let text = std::fs::read_to_string(root().join("schemas").join(file)).expect(file);
        let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
        assert_eq!(schema["$id"], url(file).as_str(), "{file}");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

#[test]
fn reviewed_follows_the_schemas_on_claims_items_positions_and_in_site_toml() {
    let Some(py) = python_packages("reviewed_follows_the_schemas") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let people = yaml_to_json(
        "title: People\nkind: person\nitems:\n  - id: a\n    name: A\n    reviewed: { no-claims: \"Named once; no claim yet\" }\n  - id: b\n    name: B\n    claims:\n      - text: Said so.\n        reviewed:\n          single-source: \"Only Reuters had it; checked by phone\"\n          no-quote: \"The whole statement\"\n        cite:\n          - source: s\n",
    );
    let disputes = yaml_to_json(
        "title: D\nkind: dispute\nitems:\n  - id: d\n    question: Q?\n    reviewed: { one-sided-dispute: \"The other side said nothing\" }\n    positions:\n      - text: Yes.\n        cite: [{ source: s }]\n      - text: No.\n        reviewed: { position-uncited: \"Unsourced on purpose\" }\n",
    );
    let files = [
        write_json(tmp.path(), "people.json", &people),
        write_json(tmp.path(), "disputes.json", &disputes),
    ];
    assert_valid(&validate(&py, "annotations.schema.json", &files));
    let misspelt = yaml_to_json(
        "title: People\nkind: person\nitems:\n  - id: a\n    name: A\n    reviewed: { no-claim: \"x\" }\n",
    );
    let file = write_json(tmp.path(), "misspelt.json", &misspelt);
    assert_invalid(
        &validate(&py, "annotations.schema.json", &[file]),
        "a `reviewed:` name that is no kind of finding",
    );
    let site = toml_to_json(
        "title = \"T\"\nbase_url = \"https://example.org/\"\n[review]\nstale_after_days = 180\nname_min_sources = 3\n[review.names]\n\"Black Sea\" = \"A place named in passing\"\n",
    );
    let file = write_json(tmp.path(), "site.json", &site);
    assert_valid(&validate(&py, "site.schema.json", &[file]));
}
