//! The results table: one row per (method, split), mean ± std over seeds. Its JSON shape is an
//! interface (`gpo baselines --json`, `gpo reproduce --json`): keep it stable.

use serde::{Deserialize, Serialize};

use crate::util::stats::mean_std;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub method: String,
    pub split: f64,
    pub mean: f64,
    pub std: f64,
    pub seeds: Vec<u64>,
    /// Mean log-likelihood of the chosen option (individuals only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loglik_mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loglik_std: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultTable {
    pub task: String,
    pub metric: String,
    pub rows: Vec<ResultRow>,
}

/// Per-seed values of one (method, split) cell.
#[derive(Clone, Debug, Default)]
pub struct CellValues {
    pub seeds: Vec<u64>,
    pub values: Vec<f64>,
    pub logliks: Vec<f64>,
}

impl ResultRow {
    pub fn from_cell(method: &str, split: f64, cell: &CellValues) -> Self {
        let (mean, std) = mean_std(&cell.values);
        let loglik = (!cell.logliks.is_empty()).then(|| mean_std(&cell.logliks));
        Self {
            method: method.to_string(),
            split,
            mean,
            std,
            seeds: cell.seeds.clone(),
            loglik_mean: loglik.map(|l| l.0),
            loglik_std: loglik.map(|l| l.1),
        }
    }
}

impl ResultTable {
    /// Methods in first-seen order.
    pub fn methods(&self) -> Vec<&str> {
        let mut methods: Vec<&str> = Vec::new();
        for row in &self.rows {
            if !methods.contains(&row.method.as_str()) {
                methods.push(&row.method);
            }
        }
        methods
    }

    pub fn splits(&self) -> Vec<f64> {
        let mut splits: Vec<f64> = Vec::new();
        for row in &self.rows {
            if !splits.contains(&row.split) {
                splits.push(row.split);
            }
        }
        splits
    }

    pub fn row(&self, method: &str, split: f64) -> Option<&ResultRow> {
        self.rows.iter().find(|r| r.method == method && r.split == split)
    }

    /// A markdown table: one row per method, one column per split.
    pub fn to_markdown(&self) -> String {
        let splits = self.splits();
        let mut out = format!("| method ({}) |", self.metric);
        for split in &splits {
            out.push_str(&format!(" split {split} |"));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(splits.len()));
        out.push('\n');
        for method in self.methods() {
            out.push_str(&format!("| {method} |"));
            for &split in &splits {
                match self.row(method, split) {
                    Some(row) => {
                        out.push_str(&format!(" {:.4} ± {:.4}", row.mean, row.std));
                        if let Some(l) = row.loglik_mean {
                            out.push_str(&format!(" (loglik {l:.3})"));
                        }
                        out.push_str(" |");
                    }
                    None => out.push_str(" – |"),
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_the_documented_interface() {
        let cell = CellValues { seeds: vec![0, 1, 2], values: vec![0.8, 0.9, 1.0], logliks: vec![] };
        let table = ResultTable {
            task: "oqa".into(),
            metric: "alignment".into(),
            rows: vec![ResultRow::from_cell("uniform", 0.4, &cell)],
        };
        let json: serde_json::Value = serde_json::to_value(&table).unwrap();
        assert_eq!(json["task"], "oqa");
        assert_eq!(json["metric"], "alignment");
        let row = &json["rows"][0];
        assert_eq!(row["method"], "uniform");
        assert_eq!(row["split"], 0.4);
        assert!((row["mean"].as_f64().unwrap() - 0.9).abs() < 1e-12);
        assert_eq!(row["seeds"], serde_json::json!([0, 1, 2]));
        assert!(row.get("loglik_mean").is_none());
        assert!(table.to_markdown().contains("| uniform | 0.9000 ± 0.0816 |"));
    }
}
