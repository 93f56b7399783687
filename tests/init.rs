//! `brief init`: a new briefing that builds at once without a warning, never written over an
//! existing one, with a GitHub Pages workflow of the right shape.

mod common;

use common::{brief, snapshot};
use serde_json::Value;

#[test]
fn init_then_build_works_in_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = brief(dir.path(), &["init", "my-briefing"]);
    assert!(run.ok, "init failed:\n{}", run.stderr);
    let site = dir.path().join("my-briefing");
    for f in [
        "site.toml",
        "content/index.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ] {
        assert!(site.join(f).is_file(), "{f} was not written");
    }
    assert!(
        std::fs::read_dir(site.join("content/sources"))
            .unwrap()
            .count()
            >= 1
    );
    assert!(
        std::fs::read_dir(site.join("content/annotations"))
            .unwrap()
            .count()
            >= 1
    );
    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(
        gitignore.lines().any(|l| l.trim() == "/public/"),
        "{gitignore}"
    );
    // The editors' site (`brief build --internal`) holds internal material: never committed.
    assert!(
        gitignore.lines().any(|l| l.trim() == "/internal/"),
        "{gitignore}"
    );

    let run = brief(&site, &["build"]);
    assert!(run.ok, "build failed:\n{}", run.stderr);
    // The one warning is that base_url is still the placeholder (tests/first_hour.rs).
    assert!(
        run.stderr
            .lines()
            .filter(|l| l.contains("warning"))
            .all(
                |l| l.contains("base_url is still https://example.org/") || l.starts_with("built ")
            ),
        "build warned:\n{}",
        run.stderr
    );
    assert!(site.join("public/index.html").is_file());
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        index.contains("class=\"cite\""),
        "the example cites its source"
    );

    // Every quote verifies, and nothing is even worth a warning.
    let run = brief(&site, &["check", "--deny-warnings"]);
    assert!(run.ok, "{}", run.stderr);
}

#[test]
fn init_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = brief(dir.path(), &["init"]);
    assert!(run.ok, "{}", run.stderr);
    assert!(dir.path().join("site.toml").is_file());
    let run = brief(dir.path(), &["build"]);
    assert!(run.ok, "{}", run.stderr);
}

#[test]
fn a_second_init_refuses_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert!(brief(dir.path(), &["init"]).ok);
    // The user's edits must survive.
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"Mine\"\nbase_url = \"https://example.org/\"\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    let run = brief(dir.path(), &["init"]);
    assert!(!run.ok, "a second init succeeded");
    assert!(run.stderr.contains("site.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("already"), "{}", run.stderr);
    assert_eq!(snapshot(dir.path()), before, "init changed files");
}

#[test]
fn init_refuses_a_folder_with_content_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/sources")).unwrap();
    std::fs::write(dir.path().join("content/sources/a.txt"), "A\nText.\n").unwrap();
    let before = snapshot(dir.path());
    let run = brief(dir.path(), &["init", "."]);
    assert!(!run.ok);
    assert!(run.stderr.contains("content"), "{}", run.stderr);
    assert_eq!(snapshot(dir.path()), before);
    assert!(!dir.path().join("site.toml").exists());
}

#[test]
fn init_adds_to_an_existing_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "notes/").unwrap();
    let run = brief(dir.path(), &["init"]);
    assert!(run.ok, "{}", run.stderr);
    let gitignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert!(gitignore.starts_with("notes/\n"), "{gitignore}");
    assert!(gitignore.lines().any(|l| l == "/public/"), "{gitignore}");
    assert!(gitignore.lines().any(|l| l == "/internal/"), "{gitignore}");
}

/// The steps of all jobs, in order.
fn steps(workflow: &Value) -> Vec<(String, Value)> {
    let jobs = workflow["jobs"].as_object().expect("jobs");
    jobs.iter()
        .flat_map(|(job, j)| {
            j["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .map(move |s| (job.clone(), s.clone()))
        })
        .collect()
}

fn uses(step: &Value) -> &str {
    step["uses"].as_str().unwrap_or("")
}

/// The workflow is checked by its structure (actionlint cannot be installed from the
/// registries this project reaches): triggers, permissions, concurrency, the official
/// Pages actions, and the build passing the base URL that configure-pages reports.
#[test]
fn the_workflow_builds_with_the_pages_base_url_and_deploys() {
    let dir = tempfile::tempdir().unwrap();
    assert!(brief(dir.path(), &["init"]).ok);
    let text = std::fs::read_to_string(dir.path().join(".github/workflows/pages.yml")).unwrap();
    let mut options = serde_saphyr::Options::default();
    // As GitHub reads it: `on` is a key, not a boolean.
    options.strict_booleans = true;
    let w: Value = serde_saphyr::from_str_with_options(&text, options).expect("valid YAML");

    let branches = &w["on"]["push"]["branches"];
    assert!(
        branches.as_array().unwrap().iter().any(|b| b == "main"),
        "{branches}"
    );
    assert!(w["on"].get("workflow_dispatch").is_some(), "manual runs");
    // No rights at the top; each job asks for its own.
    assert_eq!(
        w["permissions"],
        serde_json::json!({}),
        "no rights by default"
    );
    assert_eq!(w["concurrency"]["group"], "pages");
    // The exact version of brief that wrote the workflow, and no placeholder.
    assert_eq!(w["env"]["BRIEF_VERSION"], env!("CARGO_PKG_VERSION"));
    assert_eq!(w["env"]["BRIEF_CRATE"], env!("CARGO_PKG_NAME"));
    assert_eq!(w["env"]["BRIEF_GIT_URL"], "", "git is a fork's choice only");
    assert!(!text.contains("OWNER"), "{text}");
    assert!(
        !text.replace("${{", "").contains("{{"),
        "a placeholder is left"
    );

    let steps = steps(&w);
    let position = |f: &dyn Fn(&Value) -> bool| {
        steps
            .iter()
            .position(|(_, s)| f(s))
            .unwrap_or_else(|| panic!("a step is missing; steps: {steps:?}"))
    };
    let checkout = position(&|s| uses(s).starts_with("actions/checkout@"));
    let configure = position(&|s| uses(s).starts_with("actions/configure-pages@"));
    assert_eq!(steps[configure].1["id"], "pages");
    let install = position(&|s| {
        s["run"].as_str().is_some_and(|r| {
            r.contains("cargo binstall")
                && r.contains("\"$BRIEF_CRATE@$BRIEF_VERSION\"")
                && r.contains(
                    "cargo install --locked \"$BRIEF_CRATE\" --version \"$BRIEF_VERSION\"",
                )
        })
    });
    let cache = position(&|s| uses(s).starts_with("actions/cache@"));
    assert_eq!(steps[cache].1["with"]["path"], "~/.cargo/bin/brief");
    assert!(cache < install);
    // The base URL reaches the shell through the environment, never expanded inside `run:`.
    let build = position(&|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.contains("brief build --base-url \"$BASE_URL\""))
    });
    assert_eq!(
        steps[build].1["env"]["BASE_URL"],
        "${{ steps.pages.outputs.base_url }}"
    );
    for (_, s) in &steps {
        if let Some(run) = s["run"].as_str() {
            assert!(!run.contains("${{"), "an expression inside run: {run}");
        }
    }
    assert_eq!(
        steps[checkout].1["with"]["persist-credentials"], false,
        "the token is not left in .git"
    );
    let upload = position(&|s| uses(s).starts_with("actions/upload-pages-artifact@"));
    assert_eq!(steps[upload].1["with"]["path"], "public");
    let deploy = position(&|s| uses(s).starts_with("actions/deploy-pages@"));
    assert!(checkout < configure && configure < build && install < build && build < upload);
    assert_eq!(
        steps[checkout].0, steps[build].0,
        "checked out where it builds"
    );
    assert_eq!(steps[build].0, steps[upload].0);

    // Deploying is its own job, after the build, in the github-pages environment.
    let deploy_job = &steps[deploy].0;
    assert_ne!(deploy_job, &steps[upload].0);
    let job = &w["jobs"][deploy_job];
    let needs = &job["needs"];
    assert!(
        needs == &steps[upload].0
            || needs
                .as_array()
                .is_some_and(|a| a.iter().any(|n| n == &steps[upload].0)),
        "{needs}"
    );
    assert_eq!(job["environment"]["name"], "github-pages");
    // Only deploy may publish; build only reads.
    assert_eq!(
        job["permissions"],
        serde_json::json!({"pages": "write", "id-token": "write"})
    );
    assert_eq!(
        w["jobs"][&steps[build].0]["permissions"],
        serde_json::json!({"contents": "read"})
    );
    assert_eq!(steps[deploy].1["id"], "deployment");
    assert_eq!(
        job["environment"]["url"],
        "${{ steps.deployment.outputs.page_url }}"
    );

    // Every action is pinned to a full commit.
    for (_, s) in &steps {
        if !uses(s).is_empty() {
            let rev = uses(s).split_once('@').map_or("", |(_, r)| r);
            assert!(
                rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}",
                uses(s)
            );
        }
    }
}

#[test]
fn init_refuses_a_file_and_names_a_folder_it_cannot_make() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let run = brief(dir.path(), &["init", "notes.txt"]);
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("error[init-not-a-folder]: notes.txt exists and is not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );

    // /proc takes no new folders, even from root.
    #[cfg(target_os = "linux")]
    {
        let run = brief(dir.path(), &["init", "/proc/brief-init-test"]);
        assert!(!run.ok);
        assert!(
            run.stderr
                .contains("error[init-write]: cannot write /proc/brief-init-test"),
            "{}",
            run.stderr
        );
    }
}
