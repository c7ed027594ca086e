//! `/people/`: per GitHub login, the KEPs they shepherd, own, liaise for or
//! are assigned to, as the tracking issues declare.
//!
//! Not who is missing (findings are on `/health/`); this file lists who is
//! named.

use super::rows::{count_of, KepLink};
use super::{At, SiteCtx};
use crate::declared::Owner;
use crate::domain::{KepNumber, Login};
use crate::site::urls::{person_anchor, PagePath};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One person and the KEPs they are named for.
#[derive(Debug, Serialize)]
pub struct PersonView {
    /// The login as first written.
    pub login: String,
    /// The row's anchor ([`crate::site::urls::person_anchor`]).
    pub anchor: String,
    /// Their GitHub profile.
    pub github: String,
    /// KEPs they shepherd.
    pub shepherd: Vec<KepLink>,
    /// KEPs they own.
    pub owner: Vec<KepLink>,
    /// KEPs they liaise for.
    pub liaison: Vec<KepLink>,
    /// KEPs whose tracking issue is assigned to them.
    pub assignee: Vec<KepLink>,
}

/// The context of `people.html`.
#[derive(Debug, Serialize)]
pub struct PeoplePage {
    /// The site context.
    pub site: SiteCtx,
    /// The page title.
    pub title: String,
    /// The page's summary, for `<meta name="description">` and link previews.
    pub description: String,
    /// Most shepherding first, then by login.
    pub people: Vec<PersonView>,
}

/// `/people/`: who is named for which KEP.
pub fn page(c: &At) -> PeoplePage {
    #[derive(Default)]
    struct Roles {
        shepherd: BTreeSet<KepNumber>,
        owner: BTreeSet<KepNumber>,
        liaison: BTreeSet<KepNumber>,
        assignee: BTreeSet<KepNumber>,
    }
    // Keyed by login without case: the first spelling seen is shown.
    let mut by_login: BTreeMap<Login, Roles> = BTreeMap::new();
    for k in c.keps_with_pages() {
        for i in c.model.tracking_issues(k) {
            let p = &i.parsed;
            let mut add = |l: &Login, pick: fn(&mut Roles) -> &mut BTreeSet<KepNumber>| {
                pick(by_login.entry(l.clone()).or_default()).insert(k.number);
            };
            p.shepherds.iter().for_each(|l| add(l, |r| &mut r.shepherd));
            p.liaisons.iter().for_each(|l| add(l, |r| &mut r.liaison));
            i.assignees.iter().for_each(|l| add(l, |r| &mut r.assignee));
            for o in &p.owners {
                if let Owner::Person(l) = o {
                    add(l, |r| &mut r.owner);
                }
            }
        }
    }
    let links = |set: &BTreeSet<KepNumber>| -> Vec<KepLink> {
        set.iter()
            .map(|n| KepLink {
                number: n.get(),
                url: c.link(&PagePath::kep(*n)),
                title: c
                    .model
                    .keps
                    .get(n)
                    .map(|k| k.title(c.model).to_string())
                    .unwrap_or_default(),
            })
            .collect()
    };
    let mut people: Vec<PersonView> = by_login
        .into_iter()
        .map(|(login, r)| PersonView {
            github: c.model.links.user(&login),
            anchor: person_anchor(&login),
            shepherd: links(&r.shepherd),
            owner: links(&r.owner),
            liaison: links(&r.liaison),
            assignee: links(&r.assignee),
            login: login.to_string(),
        })
        .collect();
    // Those carrying the most shepherding first: the page is about load.
    people.sort_by(|a, b| {
        b.shepherd
            .len()
            .cmp(&a.shepherd.len())
            .then_with(|| a.anchor.cmp(&b.anchor))
    });
    PeoplePage {
        site: c.site(),
        description: format!(
            "Who shepherds, liaises for and owns the KEPs containerd tracks: {}.",
            count_of(people.len(), "person", "people")
        ),
        title: "People".into(),
        people,
    }
}
