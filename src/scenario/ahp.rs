//! Analytic Hierarchy Process weights for the cost terms (`[scoring] ahp`).
//!
//! 1. Read the pairwise matrix: numbers or fractions written as text ("1/3"); the diagonal must
//!    be 1 and every cell must be the reciprocal of its mirror (a_ij × a_ji = 1).
//! 2. Weights = the principal eigenvector (power iteration), normalised to sum to 1.
//! 3. Consistency ratio CR = CI / RI with CI = (λ_max − n) / (n − 1) and Saaty's random index
//!    RI; a matrix with CR > 0.1 is refused, as Saaty recommends, because its judgements
//!    contradict each other too much to rank anything.

use super::{AhpTable, Ratio};
use crate::error::{Error, Result};

/// The cost terms an AHP matrix may weigh, in the order `CostTerms` lists them.
pub const TERMS: [&str; 5] = ["distance", "workforce", "cluster", "class", "waiting"];

/// Saaty's random consistency index for n = 1..=5 (Saaty 1980, Table 2.3).
const RANDOM_INDEX: [f64; 5] = [0.0, 0.0, 0.58, 0.90, 1.12];

/// Largest consistency ratio accepted.
pub const MAX_CONSISTENCY_RATIO: f64 = 0.1;

/// Tolerance on a_ij × a_ji = 1: judgements written as rounded decimals (0.33 for 1/3) pass.
const RECIPROCAL_TOLERANCE: f64 = 0.01;

/// AHP weights per cost term (0 for a term the matrix does not name), summing to 1.
#[derive(Clone, Debug, PartialEq)]
pub struct AhpWeights {
    /// Indexed like `TERMS`.
    pub weights: [f64; 5],
    pub consistency_ratio: f64,
    pub lambda_max: f64,
}

/// Computes the weights of an AHP table, refusing inconsistent or malformed matrices with a
/// usage error that names the cell.
pub fn weights(table: &AhpTable) -> Result<AhpWeights> {
    let n = table.criteria.len();
    let usage = |msg: String| Error::Usage(format!("scoring.ahp: {msg}"));
    if n == 0 {
        return Err(usage("criteria: name at least one cost term".into()));
    }
    let mut slots = Vec::with_capacity(n);
    for name in &table.criteria {
        let key = name.trim().to_lowercase();
        match TERMS.iter().position(|t| *t == key) {
            Some(slot) if slots.contains(&slot) => {
                return Err(usage(format!("criteria: {name:?} is named twice")))
            }
            Some(slot) => slots.push(slot),
            None => {
                return Err(usage(format!(
                    "criteria: unknown cost term {name:?}; expected one of {}",
                    TERMS.join(", ")
                )))
            }
        }
    }
    if table.matrix.len() != n {
        return Err(usage(format!(
            "matrix: {} rows for {n} criteria; the matrix must be {n} × {n}",
            table.matrix.len()
        )));
    }
    let mut a = vec![vec![0.0; n]; n];
    for (i, (row, out)) in table.matrix.iter().zip(a.iter_mut()).enumerate() {
        if row.len() != n {
            return Err(usage(format!(
                "matrix row {}: {} values; the matrix must be {n} × {n}",
                i + 1,
                row.len()
            )));
        }
        for (j, (cell, value)) in row.iter().zip(out.iter_mut()).enumerate() {
            *value = ratio_value(cell).ok_or_else(|| {
                usage(format!(
                    "matrix[{}][{}]: {} is not a positive number or fraction like \"1/3\"",
                    i + 1,
                    j + 1,
                    ratio_text(cell)
                ))
            })?;
        }
    }
    for i in 0..n {
        for j in i..n {
            let (aij, aji) = (cell(&a, i, j), cell(&a, j, i));
            if i == j && (aij - 1.0).abs() > RECIPROCAL_TOLERANCE {
                return Err(usage(format!(
                    "matrix[{}][{}]: the diagonal must be 1 (a criterion is as important as itself), found {aij}",
                    i + 1,
                    j + 1
                )));
            }
            if i != j && (aij * aji - 1.0).abs() > RECIPROCAL_TOLERANCE {
                return Err(usage(format!(
                    "matrix[{}][{}]: {aji} is not the reciprocal of matrix[{}][{}] = {aij}; expected 1/{aij}",
                    j + 1,
                    i + 1,
                    i + 1,
                    j + 1
                )));
            }
        }
    }
    let (vector, lambda_max) = principal_eigenvector(&a);
    let consistency_index = if n > 1 { (lambda_max - n as f64) / (n as f64 - 1.0) } else { 0.0 };
    let random_index = RANDOM_INDEX.get(n - 1).copied().unwrap_or(1.12);
    let consistency_ratio =
        if random_index > 0.0 { (consistency_index / random_index).max(0.0) } else { 0.0 };
    if consistency_ratio > MAX_CONSISTENCY_RATIO {
        return Err(usage(format!(
            "the pairwise judgements are inconsistent: consistency ratio {consistency_ratio:.3} exceeds {MAX_CONSISTENCY_RATIO}; revise the matrix so that if A is x times B and B is y times C, A is about x·y times C"
        )));
    }
    let mut weights = [0.0; 5];
    for (slot, w) in slots.iter().zip(vector) {
        if let Some(target) = weights.get_mut(*slot) {
            *target = w;
        }
    }
    Ok(AhpWeights { weights, consistency_ratio, lambda_max })
}

fn cell(a: &[Vec<f64>], i: usize, j: usize) -> f64 {
    a.get(i).and_then(|r| r.get(j)).copied().unwrap_or(f64::NAN)
}

fn ratio_value(r: &Ratio) -> Option<f64> {
    let v = match r {
        Ratio::Number(x) => *x,
        Ratio::Text(t) => match t.split_once('/') {
            Some((num, den)) => num.trim().parse::<f64>().ok()? / den.trim().parse::<f64>().ok()?,
            None => t.trim().parse::<f64>().ok()?,
        },
    };
    (v.is_finite() && v > 0.0).then_some(v)
}

fn ratio_text(r: &Ratio) -> String {
    match r {
        Ratio::Number(x) => x.to_string(),
        Ratio::Text(t) => format!("{t:?}"),
    }
}

/// Power iteration on a positive matrix (Perron–Frobenius: it converges to the principal
/// eigenvector). Returns the vector normalised to sum 1 and λ_max.
fn principal_eigenvector(a: &[Vec<f64>]) -> (Vec<f64>, f64) {
    let n = a.len();
    let mut v = vec![1.0 / n as f64; n];
    let mut lambda = n as f64;
    for _ in 0..1000 {
        let next: Vec<f64> =
            a.iter().map(|row| row.iter().zip(&v).map(|(x, y)| x * y).sum()).collect();
        let sum: f64 = next.iter().sum();
        if !(sum.is_finite() && sum > 0.0) {
            break;
        }
        // With v summing to 1, the sum of A·v is λ once v is the eigenvector.
        lambda = sum;
        let next: Vec<f64> = next.iter().map(|x| x / sum).collect();
        let change: f64 = next.iter().zip(&v).map(|(x, y)| (x - y).abs()).sum();
        v = next;
        if change < 1e-13 {
            break;
        }
    }
    (v, lambda)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(criteria: &[&str], rows: Vec<Vec<Ratio>>) -> AhpTable {
        AhpTable { criteria: criteria.iter().map(|s| s.to_string()).collect(), matrix: rows }
    }

    fn n(x: f64) -> Ratio {
        Ratio::Number(x)
    }

    fn t(s: &str) -> Ratio {
        Ratio::Text(s.to_string())
    }

    #[test]
    fn consistent_matrix_gives_the_expected_weights() {
        // Perfectly consistent: distance = 2 × workforce = 4 × waiting → weights 4/7, 2/7, 1/7.
        let ahp = table(
            &["distance", "workforce", "waiting"],
            vec![
                vec![n(1.0), n(2.0), n(4.0)],
                vec![t("1/2"), n(1.0), n(2.0)],
                vec![t("1/4"), t("1/2"), n(1.0)],
            ],
        );
        let w = weights(&ahp).unwrap();
        assert!((w.weights[0] - 4.0 / 7.0).abs() < 1e-9, "{w:?}");
        assert!((w.weights[1] - 2.0 / 7.0).abs() < 1e-9);
        assert!((w.weights[4] - 1.0 / 7.0).abs() < 1e-9);
        assert_eq!(w.weights[2], 0.0);
        assert!(w.consistency_ratio < 1e-9);
        assert!((w.lambda_max - 3.0).abs() < 1e-9);
    }

    #[test]
    fn saaty_example_matrix_is_accepted_with_a_small_consistency_ratio() {
        let ahp = table(
            &["distance", "workforce", "cluster"],
            vec![
                vec![n(1.0), n(3.0), n(5.0)],
                vec![t("1/3"), n(1.0), n(3.0)],
                vec![t("1/5"), t("1/3"), n(1.0)],
            ],
        );
        let w = weights(&ahp).unwrap();
        // Known result for this matrix: weights ≈ 0.637, 0.258, 0.105, CR ≈ 0.033.
        assert!((w.weights[0] - 0.637).abs() < 0.001, "{w:?}");
        assert!((w.weights[1] - 0.258).abs() < 0.001);
        assert!((w.weights[2] - 0.105).abs() < 0.001);
        assert!((w.consistency_ratio - 0.033).abs() < 0.002, "{w:?}");
    }

    #[test]
    fn inconsistent_matrix_is_refused_with_its_consistency_ratio() {
        // A > B, B > C but C ≫ A: circular judgements.
        let ahp = table(
            &["distance", "workforce", "class"],
            vec![
                vec![n(1.0), n(5.0), t("1/5")],
                vec![t("1/5"), n(1.0), n(5.0)],
                vec![n(5.0), t("1/5"), n(1.0)],
            ],
        );
        let err = weights(&ahp).unwrap_err();
        assert!(matches!(err, Error::Usage(_)));
        assert!(err.to_string().contains("consistency ratio"), "{err}");
    }

    #[test]
    fn non_reciprocal_matrix_is_refused_naming_the_cell() {
        let ahp = table(&["distance", "waiting"], vec![vec![n(1.0), n(3.0)], vec![n(3.0), n(1.0)]]);
        let err = weights(&ahp).unwrap_err().to_string();
        assert!(err.contains("matrix[2][1]"), "{err}");
        assert!(err.contains("reciprocal"), "{err}");
    }

    #[test]
    fn unknown_term_and_bad_fraction_are_refused() {
        let ahp = table(&["distance", "noise"], vec![vec![n(1.0), n(1.0)], vec![n(1.0), n(1.0)]]);
        assert!(weights(&ahp).unwrap_err().to_string().contains("\"noise\""));
        let ahp = table(&["distance", "class"], vec![vec![n(1.0), t("1/x")], vec![n(1.0), n(1.0)]]);
        assert!(weights(&ahp).unwrap_err().to_string().contains("matrix[1][2]"));
    }
}
