//! Comparing place and sector names the way DESIGN.md settles it: Unicode NFC normalisation,
//! then case folding, surrounding blanks ignored.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// A name folded for comparison ("Thuận An", "THUẬN AN" and a decomposed "Thuận An" are equal).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameKey(String);

impl NameKey {
    pub fn new(name: &str) -> Self {
        NameKey(fold_name(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Folds each distinct name once: a million factories share a few hundred sector and
    /// district names, and folding (NFC, case fold, NFC) costs more than a hash lookup.
    pub fn fold_distinct<'a>(names: impl Iterator<Item = &'a str>) -> HashMap<&'a str, NameKey> {
        let mut keys = HashMap::new();
        for name in names {
            keys.entry(name).or_insert_with(|| NameKey::new(name));
        }
        keys
    }
}

/// NFC normalisation, then case folding, then NFC again (folding can decompose).
pub fn fold_name(name: &str) -> String {
    let nfc: String = name.trim().nfc().collect();
    caseless::default_case_fold_str(&nfc).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_and_upper_case_vietnamese_names_match() {
        let decomposed = "Thua\u{0323}\u{0302}n An";
        assert_eq!(NameKey::new(decomposed), NameKey::new("THUẬN AN"));
        assert_eq!(NameKey::new(" Thuận An "), NameKey::new("thuận an"));
        assert_ne!(NameKey::new("Tân Uyên"), NameKey::new("Bắc Tân Uyên"));
    }
}
