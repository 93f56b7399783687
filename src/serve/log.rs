//! What serve prints on the terminal, and how much.

use super::Verbosity;
use crate::diagnostics::Diagnostics;

/// The terminal: everything goes to stderr, like `brief build`'s output.
#[derive(Clone)]
pub struct Log {
    verbosity: Verbosity,
    color: bool,
}

impl Log {
    pub fn new(verbosity: Verbosity) -> Log {
        Log {
            verbosity,
            color: crate::diagnostics::color_on_stderr(),
        }
    }

    /// A line of progress: not with --quiet.
    pub fn info(&self, line: &str) {
        if self.verbosity != Verbosity::Quiet {
            eprintln!("{line}");
        }
    }

    /// Only with -v.
    pub fn verbose(&self, line: &str) {
        if self.verbosity == Verbosity::Verbose {
            eprintln!("{line}");
        }
    }

    /// Something the user must know even with --quiet (the port changed).
    pub fn notice(&self, line: &str) {
        eprintln!("{line}");
    }

    pub fn warn(&self, line: &str) {
        eprintln!("warning: {line}");
    }

    pub fn failure(&self, line: &str) {
        eprintln!("{line}");
    }

    /// Every problem in full, as `brief build` prints them.
    pub fn problems(&self, diags: &Diagnostics) {
        // Nothing to do if standard error is gone.
        let _ = crate::diagnostics::print(&mut std::io::stderr().lock(), diags, self.color);
    }
}
