//! The comparison of two [`Snapshot`]s: what an edition added, changed and removed.
//!
//! Claims are matched by their item's id and their stable claim id (src/load/claim.rs): a
//! claim with an `id:` whose text is edited is *changed*; a claim without one takes a new id
//! from its new text, so it shows as one removed and one added, as its permalink does.

use std::collections::{HashMap, HashSet};

use super::snapshot::{ClaimSnap, ItemSnap, PositionSnap, Snapshot, SourceSnap};

/// What changed between a baseline and this edition, in this edition's order (removed
/// things in the baseline's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// What the baseline was (`HEAD~1 (3f2a9c1)`, `old/briefing.json`), for the page.
    pub baseline: String,
    /// The baseline's `edition`, when it named one.
    pub baseline_edition: Option<String>,
    /// Claims of this edition whose item and id the baseline did not have (a new item's
    /// claims too).
    pub claims_added: Vec<ClaimChange>,
    /// Claims of both whose text, date or `cite:` list differ.
    pub claims_changed: Vec<ClaimChange>,
    /// Claims of the baseline that this edition does not have (a removed item's claims too).
    pub claims_removed: Vec<ClaimChange>,
    pub items_added: Vec<ItemRef>,
    pub items_removed: Vec<ItemRef>,
    pub sources_added: Vec<SourceSnap>,
    pub sources_removed: Vec<SourceSnap>,
    /// Disputes of both whose positions differ.
    pub disputes_changed: Vec<DisputeChange>,
    /// The mark of each claim of this edition that is new or changed, by item and claim id.
    marks: HashMap<(String, String), Mark>,
    /// The ids of the items new in this edition.
    new_items: HashSet<String>,
    /// The ids of the disputes whose positions changed.
    changed_disputes: HashSet<String>,
}

/// A claim added, changed or removed: its item and what it said before and says now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimChange {
    pub item: ItemRef,
    pub claim: String,
    /// The claim in the baseline (`None` for an added claim).
    pub old: Option<ClaimSnap>,
    /// The claim in this edition (`None` for a removed claim).
    pub new: Option<ClaimSnap>,
}

/// An item, by what names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub id: String,
    pub collection: String,
    pub name: String,
}

/// A dispute whose positions changed: before and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeChange {
    pub item: ItemRef,
    pub old: Vec<PositionSnap>,
    pub new: Vec<PositionSnap>,
}

/// How a claim of this edition differs from the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The baseline did not have it.
    New,
    /// Its text, date or citations differ.
    Changed,
}

impl Mark {
    /// The mark's name: the class and the word on the page.
    pub fn name(self) -> &'static str {
        match self {
            Mark::New => "new",
            Mark::Changed => "changed",
        }
    }
}

impl ItemRef {
    fn of(it: &ItemSnap) -> ItemRef {
        ItemRef {
            id: it.id.clone(),
            collection: it.collection.clone(),
            name: it.name.clone(),
        }
    }
}

/// Whether two claims of one id differ: in text (when both record it), date or citations.
fn claim_differs(old: &ClaimSnap, new: &ClaimSnap) -> bool {
    let text = match (&old.text, &new.text) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    };
    text || old.date != new.date || old.cites != new.cites
}

impl Changes {
    /// What `new` added, changed and removed since `old`; `baseline` says what `old` was.
    pub fn between(old: &Snapshot, new: &Snapshot, baseline: String) -> Changes {
        let mut c = Changes {
            baseline,
            baseline_edition: old.edition.clone(),
            ..Changes::default()
        };
        let old_items: HashMap<&str, &ItemSnap> =
            old.items.iter().map(|it| (it.id.as_str(), it)).collect();
        let new_items: HashMap<&str, &ItemSnap> =
            new.items.iter().map(|it| (it.id.as_str(), it)).collect();
        for it in &new.items {
            let item = ItemRef::of(it);
            let before = old_items.get(it.id.as_str()).copied();
            if before.is_none() {
                c.new_items.insert(it.id.clone());
                c.items_added.push(item.clone());
            }
            let old_claims: HashMap<&str, &ClaimSnap> = before
                .map(|b| b.claims.iter().map(|k| (k.id.as_str(), k)).collect())
                .unwrap_or_default();
            for claim in &it.claims {
                let key = (it.id.clone(), claim.id.clone());
                match old_claims.get(claim.id.as_str()) {
                    None => {
                        c.marks.insert(key, Mark::New);
                        c.claims_added.push(ClaimChange {
                            item: item.clone(),
                            claim: claim.id.clone(),
                            old: None,
                            new: Some(claim.clone()),
                        });
                    }
                    Some(was) if claim_differs(was, claim) => {
                        c.marks.insert(key, Mark::Changed);
                        c.claims_changed.push(ClaimChange {
                            item: item.clone(),
                            claim: claim.id.clone(),
                            old: Some((*was).clone()),
                            new: Some(claim.clone()),
                        });
                    }
                    Some(_) => {}
                }
            }
            if let Some(before) = before
                && let (Some(was), Some(now)) = (&before.positions, &it.positions)
                && was != now
            {
                c.changed_disputes.insert(it.id.clone());
                c.disputes_changed.push(DisputeChange {
                    item: item.clone(),
                    old: was.clone(),
                    new: now.clone(),
                });
            }
        }
        for it in &old.items {
            let after = new_items.get(it.id.as_str()).copied();
            if after.is_none() {
                c.items_removed.push(ItemRef::of(it));
            }
            let kept: HashSet<&str> = after
                .map(|a| a.claims.iter().map(|k| k.id.as_str()).collect())
                .unwrap_or_default();
            for claim in it.claims.iter().filter(|k| !kept.contains(k.id.as_str())) {
                // A removed claim links to its item when the item is still there.
                let item = after.map_or_else(|| ItemRef::of(it), ItemRef::of);
                c.claims_removed.push(ClaimChange {
                    item,
                    claim: claim.id.clone(),
                    old: Some(claim.clone()),
                    new: None,
                });
            }
        }
        let ids =
            |s: &Snapshot| -> HashSet<String> { s.sources.iter().map(|s| s.id.clone()).collect() };
        let (old_sources, new_sources) = (ids(old), ids(new));
        c.sources_added = new
            .sources
            .iter()
            .filter(|s| !old_sources.contains(&s.id))
            .cloned()
            .collect();
        c.sources_removed = old
            .sources
            .iter()
            .filter(|s| !new_sources.contains(&s.id))
            .cloned()
            .collect();
        c
    }

    /// How the claim `claim` of the item `item` differs from the baseline, if it does.
    pub fn mark(&self, item: &str, claim: &str) -> Option<Mark> {
        self.marks
            .get(&(item.to_string(), claim.to_string()))
            .copied()
    }

    /// Whether the item `id` is new in this edition.
    pub fn is_new_item(&self, id: &str) -> bool {
        self.new_items.contains(id)
    }

    /// Whether the positions of the dispute `id` changed in this edition.
    pub fn dispute_changed(&self, id: &str) -> bool {
        self.changed_disputes.contains(id)
    }

    /// What changed, in one line for the terminal: `since HEAD~1 (3f2a9c1): 2 claims
    /// added, 1 changed; 1 source added`.
    pub fn summary(&self) -> String {
        // `2 claims added, 1 changed`: the noun after the first number, as it counts.
        let group = |noun: &str, parts: [(usize, &str); 3]| -> Option<String> {
            let mut said = parts.iter().filter(|p| p.0 > 0);
            let &(n, what) = said.next()?;
            let plural = if n == 1 { "" } else { "s" };
            let mut line = format!("{n} {noun}{plural} {what}");
            for &(n, what) in said {
                line.push_str(&format!(", {n} {what}"));
            }
            Some(line)
        };
        let groups: Vec<String> = [
            group(
                "claim",
                [
                    (self.claims_added.len(), "added"),
                    (self.claims_changed.len(), "changed"),
                    (self.claims_removed.len(), "removed"),
                ],
            ),
            group(
                "item",
                [
                    (self.items_added.len(), "added"),
                    (0, ""),
                    (self.items_removed.len(), "removed"),
                ],
            ),
            group(
                "source",
                [
                    (self.sources_added.len(), "added"),
                    (0, ""),
                    (self.sources_removed.len(), "removed"),
                ],
            ),
            group(
                "dispute",
                [(0, ""), (self.disputes_changed.len(), "changed"), (0, "")],
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        let what = if groups.is_empty() {
            "nothing changed".to_string()
        } else {
            groups.join("; ")
        };
        format!("since {}: {what}", self.baseline)
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.claims_added.is_empty()
            && self.claims_changed.is_empty()
            && self.claims_removed.is_empty()
            && self.items_added.is_empty()
            && self.items_removed.is_empty()
            && self.sources_added.is_empty()
            && self.sources_removed.is_empty()
            && self.disputes_changed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::super::snapshot::CiteSnap;
    use super::*;

    fn claim(id: &str, text: &str) -> ClaimSnap {
        ClaimSnap {
            id: id.into(),
            text: Some(text.into()),
            date: None,
            cites: vec![CiteSnap {
                source: "a".into(),
                quote: Some("q".into()),
            }],
        }
    }

    fn item(id: &str, claims: Vec<ClaimSnap>) -> ItemSnap {
        ItemSnap {
            id: id.into(),
            collection: "people".into(),
            kind: "person".into(),
            name: id.to_uppercase(),
            claims,
            positions: Some(Vec::new()),
        }
    }

    #[test]
    fn claims_are_matched_by_item_and_id() {
        let old = Snapshot {
            edition: Some("No. 1".into()),
            sources: vec![],
            items: vec![
                item(
                    "x",
                    vec![
                        claim("kept", "K"),
                        claim("edited", "old"),
                        claim("gone", "G"),
                    ],
                ),
                item("y", vec![claim("c", "Y")]),
            ],
        };
        let new = Snapshot {
            edition: Some("No. 2".into()),
            sources: vec![],
            items: vec![
                item(
                    "x",
                    vec![
                        claim("edited", "new"),
                        claim("kept", "K"),
                        claim("fresh", "F"),
                    ],
                ),
                item("z", vec![claim("c", "Z")]),
            ],
        };
        let c = Changes::between(&old, &new, "base".into());
        let ids = |v: &[ClaimChange]| -> Vec<String> {
            v.iter()
                .map(|c| format!("{}/{}", c.item.id, c.claim))
                .collect()
        };
        assert_eq!(ids(&c.claims_added), ["x/fresh", "z/c"]);
        assert_eq!(ids(&c.claims_changed), ["x/edited"]);
        assert_eq!(ids(&c.claims_removed), ["x/gone", "y/c"]);
        assert_eq!(c.items_added[0].id, "z");
        assert_eq!(c.items_removed[0].id, "y");
        assert_eq!(c.mark("x", "edited"), Some(Mark::Changed));
        assert_eq!(c.mark("x", "fresh"), Some(Mark::New));
        assert_eq!(c.mark("x", "kept"), None);
        assert!(c.is_new_item("z") && !c.is_new_item("x"));
        assert_eq!(c.baseline_edition.as_deref(), Some("No. 1"));
        assert_eq!(
            c.summary(),
            "since base: 2 claims added, 1 changed, 2 removed; 1 item added, 1 removed"
        );
        // Reordering alone changes nothing.
        let same = Changes::between(&new, &new, "same".into());
        assert!(same.is_empty());
        assert_eq!(same.summary(), "since same: nothing changed");
    }

    #[test]
    fn a_text_the_baseline_did_not_record_is_not_compared() {
        let mut old = item("x", vec![claim("c", "whatever")]);
        old.claims[0].text = None;
        let new = item("x", vec![claim("c", "now")]);
        let snap = |it: ItemSnap| Snapshot {
            items: vec![it],
            ..Snapshot::default()
        };
        let c = Changes::between(&snap(old.clone()), &snap(new.clone()), "b".into());
        assert!(c.is_empty(), "{c:?}");
        old.claims[0].date = Some("2025".into());
        let c = Changes::between(&snap(old), &snap(new), "b".into());
        assert_eq!(c.claims_changed.len(), 1);
    }
}
