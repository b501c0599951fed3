//! Writing the web bundle (native): surveys, f16 embeddings, trained weights, population
//! statistics, and the f16 MiniLM encoder; every file atomically, the manifest last.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::Path;

use super::bundle::{
    BUNDLE_FORMAT, BUNDLE_VERSION, EncoderEntry, FileEntry, Manifest, SurveyEntry, WebGroup, WebSurvey,
};
use crate::data::{RespondentKind, Survey};
use crate::util::digest::sha256_hex;
use crate::util::fs::{replace_dir_atomically, write_atomic};

/// Files collected before they are written.
#[derive(Default)]
pub struct BundleWriter {
    files: Vec<(String, Vec<u8>)>,
    surveys: Vec<SurveyEntry>,
    encoder: Option<EncoderEntry>,
}

/// Segments of individuals with at least this many members are offered as groups.
pub const MIN_SEGMENT: usize = 10;

/// The groups a page compares a person with: the survey's own groups, or for individuals,
/// segments by each attribute value (mean answers of their members).
pub fn web_groups(survey: &Survey) -> Vec<WebGroup> {
    let groups: Vec<WebGroup> = survey
        .respondents
        .iter()
        .filter(|r| r.kind == RespondentKind::Group)
        .map(|r| WebGroup {
            name: r.name.clone(),
            // The survey's own label (respondents.csv), else its first attribute, else its name.
            label: r.label.clone().unwrap_or_else(|| {
                r.attributes.first().map_or(r.name.clone(), |(k, v)| format!("{}: {v}", attribute_label(k)))
            }),
            size: 1,
            answers: r.answers.iter().map(|a| (a.question, a.probs.clone())).collect(),
        })
        .collect();
    if !groups.is_empty() {
        return groups;
    }
    let mut segments: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in survey.respondents.iter().enumerate() {
        for (k, v) in &r.attributes {
            segments.entry((k.clone(), v.clone())).or_default().push(i);
        }
    }
    segments
        .into_iter()
        .filter(|(_, members)| members.len() >= MIN_SEGMENT)
        .map(|((key, value), members)| {
            let mut sums: BTreeMap<usize, (Vec<f32>, usize)> = BTreeMap::new();
            for &m in &members {
                for a in &survey.respondents[m].answers {
                    let entry = sums.entry(a.question).or_insert_with(|| (vec![0.0; a.probs.len()], 0));
                    entry.0.iter_mut().zip(&a.probs).for_each(|(s, p)| *s += p);
                    entry.1 += 1;
                }
            }
            WebGroup {
                name: format!("{key}={value}"),
                label: format!("{}: {value}", attribute_label(&key)),
                size: members.len(),
                answers: sums.into_iter().map(|(q, (s, n))| (q, s.iter().map(|x| x / n as f32).collect())).collect(),
            }
        })
        .collect()
}

fn attribute_label(key: &str) -> String {
    match key {
        "AGE" | "age" => "Age".into(),
        "CREGION" => "Region".into(),
        "EDUCATION" => "Education".into(),
        "INCOME" => "Income".into(),
        "POLIDEOLOGY" => "Ideology".into(),
        "POLPARTY" => "Party".into(),
        "RACE" => "Race".into(),
        "SEX" | "gender" => "Sex/gender".into(),
        "RELIG" | "religion" => "Religion".into(),
        "country" => "Country".into(),
        "place" => "Lives in".into(),
        "language" => "Language".into(),
        other => other.to_string(),
    }
}

impl BundleWriter {
    pub fn add_file(&mut self, name: &str, bytes: Vec<u8>) {
        self.files.push((name.to_string(), bytes));
    }

    pub fn add_survey(&mut self, survey: &WebSurvey, embeddings: Vec<u8>, model: Vec<u8>, personal: bool) {
        let task = survey.task.clone();
        let names = (format!("{task}.survey.json"), format!("{task}.emb"), format!("{task}.model.bpk"));
        self.add_file(&names.0, serde_json::to_vec(survey).expect("survey serialises"));
        self.add_file(&names.1, embeddings);
        self.add_file(&names.2, model);
        self.surveys.push(SurveyEntry {
            task,
            title: survey.title.clone(),
            personal,
            survey: names.0,
            embeddings: names.1,
            model: names.2,
        });
    }

    pub fn set_encoder(&mut self, weights_f16: Vec<u8>, tokenizer: Vec<u8>, format: &str) {
        self.add_file("minilm.f16.safetensors", weights_f16);
        self.add_file("tokenizer.json", tokenizer);
        self.encoder = Some(EncoderEntry {
            weights: "minilm.f16.safetensors".into(),
            tokenizer: "tokenizer.json".into(),
            format: format.into(),
        });
    }

    /// Writes every file, then the manifest, into a folder beside `dir`, and only then puts that
    /// folder in `dir`'s place: an interrupted export leaves the previous bundle (or none), never
    /// a mixture of old and new files. Returns the manifest.
    pub fn write(self, dir: &Path) -> std::io::Result<Manifest> {
        replace_dir_atomically(dir, |partial| self.write_files(partial))
    }

    fn write_files(self, dir: &Path) -> std::io::Result<Manifest> {
        let mut entries = Vec::new();
        for (name, bytes) in &self.files {
            write_atomic(&dir.join(name), bytes)?;
            entries.push(FileEntry { name: name.clone(), bytes: bytes.len() as u64, sha256: sha256_hex(bytes) });
        }
        let manifest = Manifest {
            format: BUNDLE_FORMAT.into(),
            version: BUNDLE_VERSION,
            created_by: format!("gpo {}", env!("CARGO_PKG_VERSION")),
            surveys: self.surveys,
            encoder: self.encoder,
            files: entries,
        };
        write_atomic(&dir.join("manifest.json"), &serde_json::to_vec_pretty(&manifest).expect("manifest serialises"))?;
        Ok(manifest)
    }
}

/// f32 safetensors → f16 safetensors (integer tensors kept as they are).
pub fn safetensors_to_f16(bytes: &[u8]) -> Result<Vec<u8>, safetensors::SafeTensorError> {
    use safetensors::{Dtype, SafeTensors, tensor::TensorView};
    let tensors = SafeTensors::deserialize(bytes)?;
    let mut converted: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::new();
    for (name, view) in tensors.tensors() {
        let data = match view.dtype() {
            Dtype::F32 => view
                .data()
                .chunks_exact(4)
                .flat_map(|b| half::f16::from_f32(f32::from_le_bytes([b[0], b[1], b[2], b[3]])).to_le_bytes())
                .collect(),
            _ => view.data().to_vec(),
        };
        let dtype = if view.dtype() == Dtype::F32 { Dtype::F16 } else { view.dtype() };
        converted.push((name, dtype, view.shape().to_vec(), data));
    }
    let views: Vec<(String, TensorView)> = converted
        .iter()
        .map(|(name, dtype, shape, data)| Ok((name.clone(), TensorView::new(*dtype, shape.clone(), data)?)))
        .collect::<Result<_, safetensors::SafeTensorError>>()?;
    safetensors::serialize(views, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_bundle_replaces_the_old_one_whole() {
        let root = std::env::temp_dir().join(format!("gpo-bundle-swap-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("bundle");
        let mut old = BundleWriter::default();
        old.add_file("old.bin", vec![1, 2, 3]);
        old.write(&dir).unwrap();
        assert_eq!(names(&dir), ["manifest.json", "old.bin"]);
        let mut new = BundleWriter::default();
        new.add_file("new.bin", vec![4]);
        let manifest = new.write(&dir).unwrap();
        assert_eq!(names(&dir), ["manifest.json", "new.bin"], "nothing of the old bundle is left");
        assert_eq!(manifest.files.len(), 1);
        assert_eq!(names(&root), ["bundle"], "no partial or previous folder is left beside it");
        std::fs::remove_dir_all(root).unwrap();
    }
}
