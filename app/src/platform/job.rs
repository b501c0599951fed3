//! The page's one job runner: background work (re-predicting the survey, predicting every group
//! on an editor question) runs one run at a time per job, and the latest request wins — a
//! request made during a run makes that run stale (it may stop early, see [`Job::is_stale`])
//! and one more run follows with the newest state.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::error::PageError;

#[derive(Clone, Copy)]
pub struct Job {
    /// Bumped by every request.
    generation: StoredValue<u64>,
    running: StoredValue<bool>,
    /// A run is under way (the page shows it; tests wait for it to fall).
    pub busy: RwSignal<bool>,
}

impl Job {
    pub fn new() -> Self {
        Self { generation: StoredValue::new(0), running: StoredValue::new(false), busy: RwSignal::new(false) }
    }

    /// Whether a request came after the one that started the run of `generation`.
    pub fn is_stale(&self, generation: u64) -> bool {
        self.generation.get_value() != generation
    }

    /// Asks for a run of `run` (given the generation it serves). A failed run goes to
    /// `recover`, which says whether to run again (e.g. after falling back from WebGPU to the
    /// CPU) or to give up until the next request.
    pub fn request<Run, RunFuture, Recover, RecoverFuture>(self, run: Run, recover: Recover)
    where
        Run: Fn(u64) -> RunFuture + 'static,
        RunFuture: Future<Output = Result<(), PageError>>,
        Recover: Fn(PageError) -> RecoverFuture + 'static,
        RecoverFuture: Future<Output = bool>,
    {
        self.generation.update_value(|g| *g += 1);
        if self.running.get_value() {
            return;
        }
        self.running.set_value(true);
        spawn_local(async move {
            self.busy.set(true);
            loop {
                let generation = self.generation.get_value();
                if let Err(error) = run(generation).await
                    && recover(error).await
                {
                    continue;
                }
                if !self.is_stale(generation) {
                    break;
                }
            }
            self.running.set_value(false);
            self.busy.set(false);
        });
    }
}

impl Default for Job {
    fn default() -> Self {
        Self::new()
    }
}
