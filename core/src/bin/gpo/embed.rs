//! `gpo embed`: fill the embedding cache for a task, with a progress bar.

use anyhow::Context;
use gpo_core::embed::fill::fill_store;
use gpo_core::embed::{EMBED_DIM, EmbeddingStore, StoreDType, TaskEmbeddings};

use crate::cli::{Common, EmbedArgs, Selection};
use crate::context::{embedding_progress, encoder, store_for};

pub fn run(common: &Common, args: EmbedArgs) -> anyhow::Result<()> {
    let device = args.device.init()?;
    let (encoder, sha) = encoder(common, &device)?;
    eprintln!("all-MiniLM-L6-v2 on {}", gpo_core::device::describe(&device));
    for format in args.format.formats() {
        let (mut store, path) = store_for(common, &sha, format)?;
        for source in args.surveys.all_or_named() {
            let survey = source.load(common, &Selection::default())?;
            let task = &survey.info.id;
            let texts = TaskEmbeddings::texts(&survey, format);
            let bar = embedding_progress(format!("{task}/{}", format.id()));
            let report = fill_store(&encoder, &mut store, &path, &texts, |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })?;
            bar.finish_and_clear();
            eprintln!(
                "{task}/{}: {} texts, {} newly embedded in {:.1} s ({:.1} texts/s), {} truncated at 256 tokens → {}",
                format.id(),
                report.requested,
                report.embedded,
                report.seconds,
                report.embedded as f64 / report.seconds.max(1e-9),
                report.truncated.len(),
                path.display()
            );
            for text in report.truncated.iter().take(3) {
                eprintln!("  truncated: {}…", text.chars().take(80).collect::<String>());
            }
            if let Some(export) = &args.export {
                let embeddings = TaskEmbeddings::from_store(&survey, format, &store)
                    .map_err(|missing| anyhow::anyhow!("{} texts missing after embedding", missing.len()))?;
                let mut out = EmbeddingStore::new(&sha, format.id(), EMBED_DIM);
                for (row, text) in texts.iter().enumerate() {
                    out.insert(text, embeddings.row(row));
                }
                let dtype = if args.f16 { StoreDType::F16 } else { StoreDType::F32 };
                out.save(export, dtype).with_context(|| format!("writing {}", export.display()))?;
                eprintln!("exported {} vectors ({dtype:?}) to {}", out.len(), export.display());
            }
        }
    }
    Ok(())
}
