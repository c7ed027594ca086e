//! Loading a site: reads the snapshot and the frozen archives and builds
//! each one's model and findings, once, into a [`SiteInput`].
//!
//! The one file of the site that sees the snapshot: everything after it
//! (pages, templates, rendering) sees the built [`crate::model::Model`]
//! only, so what a page shows cannot depend on how the data was stored.

use super::{Built, SiteInput};
use crate::archive;
use crate::changes::ChangeLog;
use crate::model::Model;
use crate::snapshot::Snapshot;
use anyhow::Result;
use std::path::Path;

/// Reads `snapshot`, every archive in `archives` (oldest release first)
/// and the change log `changes` (missing: none recorded), and builds them.
pub fn load(snapshot: &Path, archives: &Path, changes: Option<&Path>) -> Result<SiteInput> {
    let live = Built::new(Model::build(&Snapshot::read(snapshot)?));
    let archives = archive::load_all(archives)?
        .into_iter()
        .map(|a| (a.release, Built::new(Model::build(&a.snapshot))))
        .collect();
    let changes = match changes {
        Some(p) => ChangeLog::read(p)?,
        None => ChangeLog::default(),
    };
    Ok(SiteInput {
        live,
        archives,
        changes,
        refresh_failed_at: None,
    })
}
