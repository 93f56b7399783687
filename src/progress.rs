//! Progress of long work. The library never prints: the command line shows progress bars on
//! a terminal through this trait, and everything else passes [`Silent`].

/// Told how far a build is, from several threads at once.
pub trait Progress: Sync {
    /// A stage begins (`reading sources`, `anchoring quotes`, `writing pages`) with this many
    /// steps.
    fn start(&self, stage: &'static str, steps: usize);
    /// One step of the current stage is done.
    fn step(&self);
    /// The current stage is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _stage: &'static str, _steps: usize) {}
    fn step(&self) {}
    fn finish(&self) {}
}
