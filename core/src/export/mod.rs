//! Export: trained models (Burn record + safetensors) and the web page's bundle.

pub mod bundle;
pub mod model;
pub mod web;
