//! The crate error, composed from each stage's failure. `main` maps it to an exit code:
//! 2 for invalid input or usage, 1 for anything else.

use std::fmt;
use std::path::PathBuf;

/// One problem found in an input, always naming file, feature and field.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file as the user named it (or the bundled scenario's path).
    pub file: String,
    /// The feature: its id when it has a readable one, else `#n` (1-based position in the file);
    /// empty for a problem with the file as a whole.
    pub feature: String,
    /// The field (canonical name, with the source column in brackets when mapped), `geometry`,
    /// or empty for a problem with the file as a whole.
    pub field: String,
    /// What is wrong, lowercase, saying what was found and what is expected.
    pub message: String,
}

impl Problem {
    pub fn new(
        file: impl Into<String>,
        feature: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            feature: feature.into(),
            field: field.into(),
            message: message.into(),
        }
    }

    /// A problem with a whole file (unreadable, wrong format, missing CRS).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Problem::new(file, "", "", message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.file)?;
        if !self.feature.is_empty() {
            write!(f, " feature {}:", self.feature)?;
        }
        if !self.field.is_empty() {
            write!(f, " {}:", self.field)?;
        }
        write!(f, " {}", self.message)
    }
}

/// Every way a run can fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or the scenario file is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The inputs hold problems; every one is listed (exit 2).
    #[error("{} problem(s) in the inputs", .0.len())]
    Invalid(Vec<Problem>),
    /// A file could not be read or written (exit 1). The cause is part of the message, not a
    /// `source()`, so that `main`'s error chain prints it once.
    #[error("{path}: {cause}")]
    Io { path: PathBuf, cause: std::io::Error },
    /// A failure inside GDAL while writing outputs (exit 1).
    #[error("gdal: {0}")]
    Gdal(String),
    /// A failure while writing outputs (exit 1).
    #[error("{0}")]
    Output(String),
}

impl Error {
    /// The process exit code DESIGN.md documents: 2 for invalid input or usage, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Invalid(_) => 2,
            Error::Io { .. } | Error::Gdal(_) | Error::Output(_) => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        Error::Io { path: path.into(), cause }
    }
}

impl From<gdal::errors::GdalError> for Error {
    fn from(e: gdal::errors::GdalError) -> Self {
        Error::Gdal(e.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_names_file_feature_and_field() {
        let p = Problem::new(
            "factories.geojson",
            "F-12",
            "land_ha",
            "must be greater than 0, found -2",
        );
        assert_eq!(
            p.to_string(),
            "factories.geojson: feature F-12: land_ha: must be greater than 0, found -2"
        );
    }

    #[test]
    fn an_io_error_names_its_cause_once() {
        let e = Error::io("maps/x/plan.gpkg", std::io::Error::other("disk full"));
        assert_eq!(e.to_string(), "maps/x/plan.gpkg: disk full");
        assert!(std::error::Error::source(&e).is_none());
    }

    #[test]
    fn invalid_input_exits_with_two() {
        assert_eq!(Error::Invalid(vec![]).exit_code(), 2);
        assert_eq!(Error::Output("disk full".into()).exit_code(), 1);
    }
}
