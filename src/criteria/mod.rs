//! Assessment: the four legal relocation criteria, per factory.
//!
//! 1. Scope: a factory outside the origin area, or inside any park polygon, is `out_of_scope`.
//! 2. C1 construction, C2 environment, C3 fire safety, C4 land use — one module each — give a
//!    finding with its basis (inspection record or spatial screening) and an evidence sentence.
//! 3. Verdict: `must_relocate` if any criterion holds, else `encouraged`, else `may_stay`.

use serde::Serialize;

use crate::model::Inputs;
use crate::scenario::Settings;

/// The four criteria, in the order DESIGN.md numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Criterion {
    C1Construction,
    C2Environment,
    C3FireSafety,
    C4LandUse,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [
        Criterion::C1Construction,
        Criterion::C2Environment,
        Criterion::C3FireSafety,
        Criterion::C4LandUse,
    ];

    /// "C1".."C4", as in the `criteria` field.
    pub fn code(self) -> &'static str {
        match self {
            Criterion::C1Construction => "C1",
            Criterion::C2Environment => "C2",
            Criterion::C3FireSafety => "C3",
            Criterion::C4LandUse => "C4",
        }
    }

    /// The output field name: `c1_construction`, `c2_environment`, `c3_fire`, `c4_land_use`.
    pub fn field(self) -> &'static str {
        match self {
            Criterion::C1Construction => "c1_construction",
            Criterion::C2Environment => "c2_environment",
            Criterion::C3FireSafety => "c3_fire",
            Criterion::C4LandUse => "c4_land_use",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    MustRelocate,
    Encouraged,
    MayStay,
    OutOfScope,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::MustRelocate => "must_relocate",
            Verdict::Encouraged => "encouraged",
            Verdict::MayStay => "may_stay",
            Verdict::OutOfScope => "out_of_scope",
        }
    }

    /// Whether the allocation stage looks for a park for this factory.
    pub fn relocates(self) -> bool {
        matches!(self, Verdict::MustRelocate | Verdict::Encouraged)
    }
}

/// What a criterion found for one factory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// The criterion holds: the factory must relocate on this ground.
    Met,
    /// Checked, and it does not hold.
    NotMet,
    /// Not enough data to decide (no record, no zoning polygon…).
    Unknown,
    /// Switched off in the scenario.
    Off,
}

impl Finding {
    /// The value written in `c1_construction`…: `yes`, `no`, `unknown`, `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Met => "yes",
            Finding::NotMet => "no",
            Finding::Unknown => "unknown",
            Finding::Off => "off",
        }
    }
}

/// Where a decision comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Basis {
    Record,
    Screening,
    RecordAndScreening,
    None,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Record => "record",
            Basis::Screening => "screening",
            Basis::RecordAndScreening => "record+screening",
            Basis::None => "none",
        }
    }
}

/// One criterion's result for one factory.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionResult {
    pub criterion: Criterion,
    pub finding: Finding,
    /// `Record`, `Screening` or both when `Met`; `None` otherwise.
    pub basis: Basis,
    /// A sentence a person can check, in the run's language.
    pub evidence: String,
}

/// The verdict on one factory.
#[derive(Clone, Debug, Serialize)]
pub struct FactoryAssessment {
    /// Index into `Inputs::factories`.
    pub factory: usize,
    pub verdict: Verdict,
    /// C1..C4 in order.
    pub results: Vec<CriterionResult>,
    /// Basis over the criteria met.
    pub basis: Basis,
    /// The factory's district: its `district` field, else the districts polygon containing it.
    pub district: Option<String>,
    /// Year by which the factory must have moved (`[phasing]`).
    pub deadline_year: i32,
    /// Why the factory is out of scope, or what makes it encouraged; empty otherwise.
    pub note: String,
}

impl FactoryAssessment {
    /// "C2,C4": the codes of the criteria met.
    pub fn criteria_codes(&self) -> String {
        self.results
            .iter()
            .filter(|r| r.finding == Finding::Met)
            .map(|r| r.criterion.code())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The assessment stage's output: one entry per factory, in `Inputs::factories` order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Assessment {
    pub factories: Vec<FactoryAssessment>,
}

/// Assesses every factory. (Stage entry point.)
pub fn assess(_inputs: &Inputs, _settings: &Settings) -> Assessment {
    Assessment::default()
}
