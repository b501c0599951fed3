//! The person's settings the page keeps: where GPO should run.

/// What the person asked for (persisted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendChoice {
    /// WebGPU where available, else the CPU.
    Auto,
    /// Always the CPU.
    Cpu,
}

impl BackendChoice {
    pub fn id(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Cpu => "cpu",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "cpu" => Some(Self::Cpu),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_reads_back_what_it_wrote_and_nothing_else() {
        for choice in [BackendChoice::Auto, BackendChoice::Cpu] {
            assert_eq!(BackendChoice::parse(choice.id()), Some(choice));
        }
        for junk in ["", "CPU", "gpu", "auto ", r#"{"x":1}"#] {
            assert_eq!(BackendChoice::parse(junk), None, "{junk:?}");
        }
    }
}
