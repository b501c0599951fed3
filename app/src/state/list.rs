//! The list's settings: what it shows, in which order, which page.

use leptos::prelude::*;

use crate::domain::list::{Show, SortBy};

#[derive(Clone, Copy)]
pub struct ListState {
    pub show: RwSignal<Show>,
    pub sort: RwSignal<SortBy>,
    pub filter: RwSignal<String>,
    pub page: RwSignal<usize>,
}

impl ListState {
    pub fn new() -> Self {
        Self {
            show: RwSignal::new(Show::ToAnswer),
            sort: RwSignal::new(SortBy::Survey),
            filter: RwSignal::new(String::new()),
            page: RwSignal::new(0),
        }
    }
}

impl Default for ListState {
    fn default() -> Self {
        Self::new()
    }
}
