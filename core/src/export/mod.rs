//! Export: trained models (Burn record + safetensors), the web page's bundle, and prediction
//! from a bundle (the page's and `gpo predict`'s one API).

pub mod bundle;
pub mod model;
pub mod predictor;
pub mod web;
