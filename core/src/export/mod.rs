//! Export: the web page's bundle (its format, its writer) and prediction from a bundle (the
//! page's and `gpo predict`'s one API, its groups' context order and its batch planner).

pub mod bundle;
pub mod contexts;
pub mod passes;
pub mod predictor;
pub mod web;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
pub(crate) mod test_bundle;
