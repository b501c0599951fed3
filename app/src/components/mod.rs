//! The page's parts, one per file.

pub mod answer_tools;
pub mod app;
pub mod bars;
pub mod closest_groups;
pub mod custom_list;
pub mod editor;
pub mod editor_results;
pub mod footer;
pub mod group_compare;
pub mod group_grid;
pub mod header;
pub mod loading;
pub mod notices;
pub mod question_card;
pub mod question_form;
pub mod question_list;
pub mod side_panel;
pub mod similar_questions;
pub mod survey_picker;
pub mod unsaved;
