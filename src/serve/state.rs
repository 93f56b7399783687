//! What the builder and the server share: the site being served, where the builds stand,
//! and the messages to the open pages.
//!
//! The server answers every request from one [`Served`] value, taken whole at the start of
//! the request: the site of one successful build, its number and the error of the last
//! build if it failed. The builder never changes a `Served` in place; it makes a new one and
//! swaps it in under a lock held only for the swap (as `ArcSwap` would), and tells the
//! pages only after that. So a request sees one build from its first byte to its last, a
//! later request never sees an older build than an earlier one, and a page told to reload
//! gets the build it was told of.

use std::sync::{Arc, Mutex};

use serde_json::json;
use tokio::sync::broadcast;

use super::site::Site;

/// What the builder and the server share.
pub struct Shared {
    /// The path the site lives under (`/`, or `/repo/` for a project-path base URL).
    pub base_path: String,
    /// The host names answered (lower case, without port), or `None` for any. See
    /// [`Shared::new`].
    pub hosts: Option<Vec<String>>,
    /// The briefing's folder, where the Cite button's requests read the source they quote
    /// (see [`super::cite`]); empty in tests that serve files only.
    pub root: std::path::PathBuf,
    served: Mutex<Arc<Served>>,
    /// Messages to every open page's socket (JSON text).
    tx: broadcast::Sender<String>,
    /// Tells this run's builds from a previous run's, so a page served by a server that was
    /// restarted reloads when its socket reconnects.
    run_tag: String,
}

/// Everything a request is answered from, as one immutable value.
#[derive(Debug, Default, Clone)]
pub struct Served {
    /// The site of the last successful build (empty before the first).
    pub site: Arc<Site>,
    /// The number of that build; `None` until a build succeeded.
    pub build: Option<u64>,
    /// The problems of the last build, when it failed, as the terminal shows them.
    pub error: Option<String>,
    /// True once the first build finished, good or bad.
    pub started: bool,
    /// The build's name in pages and messages (`none` before the first good build).
    pub build_id: String,
}

/// How a good build changed the site, for the open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Files any page may use changed: every page reloads.
    Reload,
    /// Only these pages changed (site paths of their files): the pages showing them reload.
    Pages(Vec<String>),
    /// Only stylesheets changed: swap them.
    Css,
    /// Nothing changed.
    Unchanged,
}

impl Shared {
    /// Shared state for serving under `base_path`. With `hosts`, only requests naming one of
    /// them (or any `*.localhost`) in their Host header are answered: a server on the
    /// loopback address is thereby out of reach of web pages elsewhere that point a name of
    /// theirs at 127.0.0.1 (DNS rebinding) to read an unpublished briefing.
    pub fn new(base_path: String, hosts: Option<Vec<String>>) -> Shared {
        let (tx, _) = broadcast::channel(64);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Shared {
            base_path,
            hosts,
            root: std::path::PathBuf::new(),
            served: Mutex::new(Arc::new(Served {
                build_id: "none".into(),
                ..Served::default()
            })),
            tx,
            run_tag: format!("{:x}{:x}", std::process::id(), nanos & 0xffff_ffff_ffff),
        }
    }

    /// This, reading the sources the Cite button quotes from the briefing in `root`.
    pub fn with_root(mut self, root: std::path::PathBuf) -> Shared {
        self.root = root;
        self
    }

    /// What is served now: one build, whole.
    pub fn served(&self) -> Arc<Served> {
        self.lock().clone()
    }

    /// The number of pages with an open live-reload socket.
    pub fn pages_open(&self) -> usize {
        self.tx.receiver_count()
    }

    /// A new socket's subscription to the messages for the pages.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.tx.subscribe()
    }

    /// Serves `site`, a whole successful build whose difference from the site served until
    /// now is `outcome`, and then tells the open pages.
    pub fn built(&self, site: Arc<Site>, outcome: Outcome) {
        let message = {
            let mut served = self.lock();
            let mut next = Served::clone(&served);
            let had_error = next.error.take().is_some();
            let first = !next.started || next.build.is_none();
            next.started = true;
            next.site = site;
            // A build that changed nothing keeps its number, so no page takes it for news.
            if first || outcome != Outcome::Unchanged {
                next.build = Some(next.build.map_or(1, |n| n + 1));
                next.build_id = format!("{}.{}", self.run_tag, next.build.unwrap_or(0));
            }
            let message = self.message(&next, first, had_error, outcome);
            *served = Arc::new(next);
            message
        };
        if let Some(message) = message {
            let _ = self.tx.send(message);
        }
    }

    /// What to tell the pages about a good build, if anything.
    fn message(
        &self,
        next: &Served,
        first: bool,
        had_error: bool,
        outcome: Outcome,
    ) -> Option<String> {
        let build = &next.build_id;
        Some(
            match outcome {
                // The first build reloads everything, whatever changed.
                _ if first => json!({"type": "reload", "build": build}),
                Outcome::Reload => json!({"type": "reload", "build": build}),
                Outcome::Pages(pages) => {
                    // As the pages know themselves: `location.pathname`, either way.
                    let mut urls = Vec::new();
                    for p in pages {
                        let url = format!("{}{p}", self.base_path);
                        if let Some(dir) = url.strip_suffix("index.html") {
                            urls.push(dir.to_string());
                        }
                        urls.push(url);
                    }
                    json!({"type": "reload", "build": build, "pages": urls})
                }
                Outcome::Css => json!({"type": "css", "build": build}),
                Outcome::Unchanged if had_error => json!({"type": "ok", "build": build}),
                Outcome::Unchanged => return None,
            }
            .to_string(),
        )
    }

    /// Records a failed build (the last good site stays served) and shows its problems on
    /// the open pages.
    pub fn failed(&self, text: String) {
        {
            let mut served = self.lock();
            let mut next = Served::clone(&served);
            next.started = true;
            next.error = Some(text.clone());
            *served = Arc::new(next);
        }
        let _ = self
            .tx
            .send(json!({"type": "error", "text": text}).to_string());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Arc<Served>> {
        // The lock guards one assignment; a panic elsewhere cannot leave it half done.
        self.served.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(rx: &mut broadcast::Receiver<String>) -> serde_json::Value {
        serde_json::from_str(&rx.try_recv().unwrap()).unwrap()
    }

    #[test]
    fn builds_are_numbered_only_when_files_changed() {
        let s = Shared::new("/".into(), None);
        let mut rx = s.subscribe();
        let site = || Arc::new(Site::default());
        s.failed("error: a.yaml:1:1: bad".into());
        assert_eq!(next(&mut rx)["type"], "error");
        assert_eq!(s.served().build_id, "none");

        // The first good build is always news, even when it wrote nothing new.
        s.built(site(), Outcome::Unchanged);
        let m = next(&mut rx);
        assert_eq!(m["type"], "reload");
        let first = s.served().build_id.clone();
        assert_eq!(m["build"], first.as_str());

        s.built(site(), Outcome::Unchanged);
        assert!(rx.try_recv().is_err(), "nothing to say");
        assert_eq!(s.served().build_id, first);

        s.built(site(), Outcome::Css);
        assert_eq!(next(&mut rx)["type"], "css");
        assert_ne!(s.served().build_id, first);

        s.failed("error: x".into());
        let _ = rx.try_recv();
        s.built(site(), Outcome::Unchanged);
        assert_eq!(
            next(&mut rx)["type"],
            "ok",
            "mending the error clears the overlay"
        );
        assert!(s.served().error.is_none());
    }

    #[test]
    fn changed_pages_are_named_as_the_browser_knows_them() {
        let s = Shared::new("/repo/".into(), None);
        let mut rx = s.subscribe();
        let site = || Arc::new(Site::default());
        // The first build reloads everything, whatever changed.
        s.built(site(), Outcome::Pages(vec!["a/index.html".into()]));
        let m = next(&mut rx);
        assert!(m.get("pages").is_none(), "{m}");
        let before = s.served().build_id.clone();
        s.built(
            site(),
            Outcome::Pages(vec!["print/index.html".into(), "404.html".into()]),
        );
        let m = next(&mut rx);
        assert_eq!(m["type"], "reload");
        assert_eq!(
            m["pages"],
            serde_json::json!(["/repo/print/", "/repo/print/index.html", "/repo/404.html"])
        );
        assert_ne!(m["build"], before.as_str());
        assert_eq!(m["build"], s.served().build_id.as_str());
    }

    #[test]
    fn a_request_keeps_the_build_it_started_with() {
        let s = Shared::new("/".into(), None);
        let files = |text: &str| {
            vec![crate::output::OutFile {
                path: "index.html".into(),
                contents: crate::output::Contents::Bytes(text.as_bytes().to_vec()),
            }]
        };
        let (one, _) = Site::new(files("one"), &Site::default()).unwrap();
        s.built(Arc::new(one), Outcome::Reload);
        let during = s.served();
        let (two, _) = Site::new(files("two"), &during.site).unwrap();
        s.built(Arc::new(two), Outcome::Reload);
        s.failed("error: later".into());
        assert_eq!(during.site.get("index.html").unwrap(), "one");
        assert!(during.error.is_none());
        let now = s.served();
        assert_eq!(now.site.get("index.html").unwrap(), "two");
        assert_eq!(now.error.as_deref(), Some("error: later"));
    }
}
