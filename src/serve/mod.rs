//! `brief serve`: builds the briefing in memory, serves it on a local port, rebuilds when
//! its files change, and reloads the open pages.
//!
//! Three parts run side by side:
//!
//! - the **watcher** ([`watch`]) turns file events into batches: one burst of saves is one
//!   batch, editor temp files and reads never count;
//! - the **builder** ([`builder`]), one thread that owns the [`Session`](crate::Session),
//!   builds the whole site in memory after each batch and, only when all of it succeeded,
//!   swaps the new [`Site`](site::Site) in and tells the pages what changed: a reload of the
//!   open pages whose files changed, a stylesheet swap, or the error;
//! - the **server** ([`server`], axum on tokio) answers every request from the one site
//!   served when it arrived ([`state`]), finds its file ([`url`]), adds the live-reload
//!   script and error overlay to the HTML it sends ([`inject`]), and keeps a WebSocket open
//!   to every page.
//!
//! Nothing is written to disk: serving from memory is what makes every request see one
//! whole build (a folder written file by file would show a mix while it is written). A
//! failed build never stops serve: the last good site stays served and every page shows the
//! problems until a build succeeds.

mod builder;
mod cite;
mod inject;
mod log;
mod server;
mod site;
mod state;
mod url;
mod watch;

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::config;
use crate::diagnostics::Diagnostic;
use builder::Builder;
use log::Log;
use state::Shared;
use watch::Watch;

/// How `brief serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The briefing's folder (holding site.toml).
    pub root: PathBuf,
    /// The port to listen on; when it is taken the next free one is used. 0 lets the
    /// system choose.
    pub port: u16,
    /// The address to listen on: 127.0.0.1 unless the user opts into others.
    pub bind: IpAddr,
    /// Open the site in the browser once the first build is done.
    pub open: bool,
    /// Poll the files instead of relying on the system's change notifications.
    pub poll: bool,
    /// Overrides the base URL; by default the server's own address. A URL with a path
    /// (`http://127.0.0.1:1111/repo/`) serves the site under that path.
    pub base_url: Option<String>,
    /// How much to print.
    pub verbosity: Verbosity,
    /// Who the site is for: by default the editors (everything, internal parts marked);
    /// `--public` previews the public site.
    pub audience: crate::audience::Audience,
}

/// How much serve prints on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Problems only.
    Quiet,
    /// One line per rebuild, and problems in full.
    Normal,
    /// Also the files each rebuild changed and removed, and the time of each stage.
    Verbose,
}

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 50;

/// Why serve did not start.
#[derive(Debug)]
pub enum StartError {
    /// The folder is no briefing (it has no site.toml that can be read): the problem that
    /// `brief build` reports there, for the caller to print the same way.
    NoBriefing(Diagnostic),
    /// No port, no watcher, no runtime.
    Io(io::Error),
}

impl From<io::Error> for StartError {
    fn from(e: io::Error) -> StartError {
        StartError::Io(e)
    }
}

/// Runs the development server until Ctrl-C or SIGTERM. Returns an error only when serve
/// cannot start (no briefing there, no port, no watcher, no runtime); problems in the
/// briefing are shown, not returned.
pub fn run(options: ServeOptions) -> Result<(), StartError> {
    // Without a site.toml there is nothing to watch for: serving an error page would only
    // hide that brief was started in the wrong folder.
    crate::load::site_toml(&options.root).map_err(StartError::NoBriefing)?;
    Ok(serve(options)?)
}

/// [`run`], once the folder is known to be a briefing.
fn serve(options: ServeOptions) -> io::Result<()> {
    let log = Log::new(options.verbosity);
    let root = std::fs::canonicalize(&options.root).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot serve {}: {e}", options.root.display()),
        )
    })?;

    let listener = bind(options.bind, options.port)?;
    let addr = listener.local_addr()?;
    if options.port != 0 && addr.port() != options.port {
        log.notice(&format!(
            "port {} is in use; serving on port {} instead",
            options.port,
            addr.port()
        ));
    }
    let base_url = match &options.base_url {
        Some(url) => config::normalize_base_url(url),
        None => format!("http://{}/", display_addr(addr)),
    };
    let base_path = config::base_path_of(&base_url);
    let url = format!("http://{}{base_path}", display_addr(addr));

    // On the loopback address, answer only to local names (and the base URL's host, which
    // may be a name the user mapped to it); anywhere else the user chose to be reachable.
    let hosts = addr.ip().is_loopback().then(|| {
        let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).into();
        if let Some(authority) = base_url.split_once("://").map(|(_, rest)| rest) {
            let authority = authority.split('/').next().unwrap_or_default();
            hosts.push(server::host_name(authority));
        }
        hosts
    });
    let shared = Arc::new(Shared::new(base_path, hosts).with_root(root.clone()));

    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let watch = match Watch::start(&root, options.poll, events_tx.clone()) {
        Ok(w) => w,
        Err(e) if !options.poll => {
            log.warn(&format!(
                "cannot watch the files with the system's notifications ({e}); polling instead"
            ));
            Watch::start(&root, true, events_tx).map_err(io::Error::other)?
        }
        Err(e) => return Err(io::Error::other(format!("cannot watch the files: {e}"))),
    };

    log.info(&format!("serving the briefing at {url}  (Ctrl-C to stop)"));
    if addr.ip().is_unspecified() {
        log.warn(&format!(
            "listening on every network interface ({}): anyone on your network can read this briefing",
            addr.ip()
        ));
    }
    log.verbose(&format!(
        "building in memory; watching content/, templates/, static/ and site.toml{}",
        if options.poll { " by polling" } else { "" }
    ));

    let builder = Builder::new(
        root,
        base_url,
        options.audience,
        shared.clone(),
        log.clone(),
    );
    let open = options.open.then(|| url.clone());
    let open_log = log.clone();
    std::thread::Builder::new()
        .name("brief-builder".into())
        .spawn(move || {
            builder.run(watch, events_rx, || {
                if let Some(url) = open {
                    open_browser(url, open_log);
                }
            })
        })?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tokio::select! {
            r = axum::serve(listener, server::router(shared)) => r,
            () = shutdown_signal() => Ok(()),
        }
    });

    // A build still underway writes nothing, so there is nothing to wait for.
    runtime.shutdown_timeout(Duration::from_millis(200));
    log.info("stopped");
    served
}

/// Binds the port, or the next free one when it is taken.
fn bind(ip: IpAddr, port: u16) -> io::Result<TcpListener> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    let mut taken = None;
    for p in port..=last {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => taken = Some(e),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)),
                ));
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AddrInUse,
        format!(
            "ports {port} to {last} on {ip} are all in use ({}); choose another with --port",
            taken.map(|e| e.to_string()).unwrap_or_default()
        ),
    ))
}

/// The address for URLs: the loopback address when listening everywhere, brackets around
/// IPv6.
fn display_addr(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port()).to_string()
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Opens the site in the browser; a failure is only a warning.
fn open_browser(url: String, log: Log) {
    std::thread::spawn(move || {
        #[cfg(target_os = "macos")]
        let mut cmd = std::process::Command::new("open");
        #[cfg(windows)]
        let mut cmd = {
            let mut c = std::process::Command::new("cmd");
            c.args(["/C", "start", ""]);
            c
        };
        #[cfg(all(unix, not(target_os = "macos")))]
        let mut cmd = std::process::Command::new("xdg-open");
        cmd.arg(&url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        match cmd.status() {
            Ok(s) if s.success() => {}
            Ok(s) => log.warn(&format!(
                "could not open a browser ({s}); open {url} yourself"
            )),
            Err(e) => log.warn(&format!(
                "could not open a browser ({e}); open {url} yourself"
            )),
        }
    });
}
