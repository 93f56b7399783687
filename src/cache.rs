//! What a build session keeps from one build for the next, behind one type.
//!
//! load keeps what it parsed per file, resolve what it found per source, render the source
//! pages it made. Each keeps it in a [`Memo`]: a one-off build's memo keeps nothing (a copy
//! of everything for a next build that never comes would only add to the peak memory), a
//! session's keeps every entry it is given. A stage asks the memo, not a flag of its own,
//! whether to keep.

use std::borrow::Borrow;
use std::hash::Hash;

use rustc_hash::FxHashMap;

/// Entries a stage keeps for its next run, by key; empty in a one-off build.
pub struct Memo<K, V> {
    keeping: bool,
    entries: FxHashMap<K, V>,
}

impl<K, V> Default for Memo<K, V> {
    /// A memo that keeps nothing (a one-off build).
    fn default() -> Self {
        Memo {
            keeping: false,
            entries: FxHashMap::default(),
        }
    }
}

impl<K: Eq + Hash, V> Memo<K, V> {
    /// A memo that keeps what it is given for the next run (a build session).
    pub fn keeping() -> Self {
        Memo {
            keeping: true,
            entries: FxHashMap::default(),
        }
    }

    /// Whether what is given is kept: without it there is no use making what would be kept
    /// (a copy, a file's stamp).
    pub fn keeps(&self) -> bool {
        self.keeping
    }

    /// What the last run kept under `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.entries.get(key)
    }

    /// Keeps `value` for the next run; a memo that keeps nothing drops it.
    pub fn insert(&mut self, key: K, value: V) {
        if self.keeping {
            self.entries.insert(key, value);
        }
    }

    /// Forgets what is under `key`.
    pub fn remove<Q>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        self.entries.remove(key);
    }

    /// Keeps only the entries `f` says to.
    pub fn retain(&mut self, f: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain(f);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn a_one_off_memo_keeps_nothing() {
        let mut m: Memo<String, u32> = Memo::default();
        m.insert("a".into(), 1);
        assert!(!m.keeps());
        assert_eq!(m.get("a"), None);
    }

    #[test]
    fn a_session_memo_keeps_what_it_is_given() {
        let mut m: Memo<String, u32> = Memo::keeping();
        m.insert("a".into(), 1);
        m.insert("b".into(), 2);
        m.retain(|k, _| k == "b");
        assert_eq!((m.get("a"), m.get("b")), (None, Some(&2)));
        m.remove("b");
        assert_eq!(m.get("b"), None);
    }
}
