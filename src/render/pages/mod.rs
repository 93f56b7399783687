//! The page types, one file each: what each page shows, as a [`PageOut`] for its template.
//! A page type is a [`PageJob`] variant, planned in `plan.rs` and dispatched in
//! `page.rs` ([`crate::render::Renderer::make`]).
//!
//! [`PageOut`]: super::page::PageOut
//! [`PageJob`]: super::plan::PageJob

pub(super) mod changes;
pub(super) mod collection;
pub(super) mod free;
pub(super) mod index;
pub(super) mod item;
pub(super) mod network;
pub(super) mod not_found;
pub(super) mod print;
pub(super) mod search;
pub(super) mod source;
pub(super) mod sources;
pub(super) mod timeline;
