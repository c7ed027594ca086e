//! kepboard: builds the public status site for containerd's work on
//! Kubernetes SIG-Node KEPs.
//!
//! One pipeline, one direction: `fetch` (GitHub) or [`import`] (files in
//! GitHub's JSON shapes) produce a [`snapshot::Snapshot`] of raw facts;
//! [`model`] joins those facts into KEPs with their tracking issues;
//! [`check`] derives process findings; `site` renders the static site.
//! Only `fetch` touches the network.

#![warn(missing_docs, clippy::too_many_lines)]

pub mod archive;
pub mod calendar;
pub mod changes;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod declared;
pub mod domain;
pub mod fetch;
pub mod fsutil;
pub mod gates;
pub mod github;
pub mod import;
pub mod kep;
pub mod links;
pub mod model;
pub mod serve;
pub mod shipping;
pub mod site;
pub mod snapshot;
pub mod support;
pub mod tracking;
