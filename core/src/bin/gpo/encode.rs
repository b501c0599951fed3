//! `gpo encode`: embeddings of given texts as JSON.

use crate::cli::Common;
use crate::context::encoder;

/// The page's editor is checked against these.
#[derive(clap::Args)]
pub struct EncodeArgs {
    /// Texts to embed (repeat the flag).
    #[arg(long = "text", required = true)]
    pub texts: Vec<String>,
    #[arg(long, default_value = "cpu")]
    pub device: crate::cli::DeviceArg,
}

pub fn run(common: &Common, args: EncodeArgs) -> anyhow::Result<()> {
    let device = args.device.init()?;
    let (encoder, _) = encoder(common, &device)?;
    let embedded = encoder.embed(&args.texts, 32, |_| {})?;
    let rows: Vec<&[f32]> = (0..args.texts.len()).map(|i| embedded.row(i)).collect();
    println!("{}", serde_json::json!({ "vectors": rows, "truncated": embedded.truncated }));
    Ok(())
}
