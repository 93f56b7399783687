//! A build session reuses earlier work between builds (`brief serve`); whatever it reuses,
//! each build's files must equal those of a fresh build of the same content.

mod common;

use std::path::PathBuf;

use brief::Session;
use brief::output::{Contents, OutFile};
use common::Site;

fn bytes(files: &[OutFile]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|f| match &f.contents {
            Contents::Bytes(b) => (f.path.clone(), b.clone()),
            Contents::Copy(p) => (f.path.clone(), std::fs::read(p).unwrap()),
        })
        .collect()
}

/// Rebuilds in the session and from scratch, and compares.
fn same_as_fresh(session: &mut Session, site: &Site, changed: &[&str]) {
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let (files, report) = session.rebuild(&changed);
    let files = files.unwrap_or_else(|| panic!("{:?}", report.diagnostics));
    let (fresh, _) = Session::new(site.path(), None).rebuild(&[]);
    let (a, b) = (bytes(&files), bytes(&fresh.unwrap()));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs from a fresh build");
    }
}

#[test]
fn incremental_builds_equal_fresh_builds() {
    let site = Site::copy("basic");
    let mut session = Session::new(site.path(), None);
    same_as_fresh(&mut session, &site, &[]);

    // A source's text changes (a passage moves, a mention appears).
    site.edit(
        "content/sources/alpha.md",
        "Delegations from both sides",
        "Rustem Umerov said delegations from both sides",
    );
    same_as_fresh(&mut session, &site, &["content/sources/alpha.md"]);

    // An item is renamed: mentions in every source change.
    site.edit(
        "content/annotations/people.yaml",
        "name: Rustem Umerov",
        "name: Rustem Umerov Jr",
    );
    site.edit(
        "content/annotations/people.yaml",
        "    role: Defence minister",
        "    aliases: [Umerov]\n    role: Defence minister",
    );
    same_as_fresh(&mut session, &site, &["content/annotations/people.yaml"]);

    // A quote changes to another passage of the same source.
    site.edit(
        "content/annotations/people.yaml",
        "\"the memorandum was ready\"",
        "\"Medinsky told reporters\"",
    );
    same_as_fresh(&mut session, &site, &[]);

    // The boilerplate patterns change: sources split differently.
    site.edit("site.toml", "'^Advertisement$', ", "");
    same_as_fresh(&mut session, &site, &["site.toml"]);

    // A template is added.
    site.write("templates/404.html", "<p>gone</p>\n");
    same_as_fresh(&mut session, &site, &["templates/404.html"]);
}

#[test]
fn the_first_half_of_a_rebuild_makes_only_the_pages_asked_for() {
    let site = Site::copy("basic");
    let mut session = Session::new(site.path(), None);
    let (fresh, _) = Session::new(site.path(), None).rebuild(&[]);
    let fresh = bytes(&fresh.unwrap());

    // An item page, a source page (whose backlinks need every page that cites), and a page
    // the site does not have.
    let first: std::collections::HashSet<String> = [
        "people/vladimir-medinsky/index.html",
        "sources/alpha/index.html",
        "no/such/index.html",
    ]
    .map(String::from)
    .into();
    let (files, report) = session.rebuild_first(&[], &first);
    let files = bytes(&files.unwrap_or_else(|| panic!("{:?}", report.diagnostics)));
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "people/vladimir-medinsky/index.html",
            "sources/alpha/index.html"
        ]
    );
    let (rest, report) = session.rebuild_rest();
    let rest = bytes(&rest.unwrap_or_else(|| panic!("{:?}", report.diagnostics)));
    assert!(!rest.iter().any(|(p, _)| first.contains(p)));
    let mut all: Vec<_> = files.into_iter().chain(rest).collect();
    all.sort();
    assert_eq!(all.len(), fresh.len());
    for ((pa, ba), (pb, bb)) in all.iter().zip(&fresh) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs from a fresh build");
    }
    // Nothing is left to finish.
    let (none, report) = session.rebuild_rest();
    assert!(none.unwrap().is_empty() && report.stages.is_empty());
}

#[test]
fn links_are_checked_in_the_second_half() {
    let site = Site::copy("basic");
    site.edit(
        "content/annotations/people.yaml",
        "Will lead the Ukrainian team at the palace.",
        "Will lead the team at [the gone page](/gone/).",
    );
    let mut session = Session::new(site.path(), None);
    let first = ["people/rustem-umerov/index.html".to_string()].into();
    let (files, report) = session.rebuild_first(&[], &first);
    assert!(files.is_some(), "{:?}", report.diagnostics);
    let (rest, report) = session.rebuild_rest();
    assert!(rest.is_none());
    assert!(
        report.diagnostics.iter().any(|d| {
            // Met first on the page made in the first half, told where the YAML writes it.
            d.message.starts_with("the link `/gone/` is broken: there is no gone/index.html (on people/rustem-umerov/index.html")
                && d.location.as_ref().is_some_and(|l| l.file.ends_with("people.yaml") && l.line() == 29)
        }),
        "{:?}",
        report.diagnostics
    );
}
