//! Background work, each a [`crate::platform::job::Job`] or a start-up task: start-up and
//! backend switches (`runtime`), predicting the person (`person`) and every group
//! (`groups`), applying the person's own questions to the models (`custom_questions`), the
//! editor's encoder (`encoder_load`), answers changed in another tab (`other_tabs`). Re-prediction is driven by state: `triggers` installs
//! the Effects that run the two prediction jobs whenever what they read changes.

pub mod custom_questions;
pub mod encoder_load;
pub mod groups;
pub mod other_tabs;
pub mod person;
pub mod runtime;
pub mod triggers;
