//! Export: the web page's bundle (its format, its writer) and prediction from a bundle (the
//! page's and `gpo predict`'s one API).

pub mod bundle;
pub mod predictor;
pub mod web;
